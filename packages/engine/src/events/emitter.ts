/**
 * A small typed event emitter with async iteration (zeromq.js style): `on` for callbacks,
 * `stream` for `for await`. A stream buffers at most `highWaterMark` events and then drops
 * the oldest, counting them, so a slow consumer never holds the engine back.
 */
export type Listener<T> = (event: T) => void;

export interface EventStream<T> extends AsyncIterableIterator<T> {
  /** Events dropped because the consumer fell more than highWaterMark behind. */
  readonly dropped: number;
}

export class TypedEmitter<Events extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();
  private readonly streamEnds = new Set<() => void>();

  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /** True when someone listens: lets the producer skip building an event nobody reads. */
  has(type: keyof Events): boolean {
    return (this.listeners.get(type)?.size ?? 0) > 0;
  }

  emit<K extends keyof Events>(type: K, event: Events[K]): void {
    const set = this.listeners.get(type);
    if (set) for (const listener of set) (listener as Listener<Events[K]>)(event);
  }

  stream<K extends keyof Events>(type: K, highWaterMark = 10_000): EventStream<Events[K]> {
    const queue: Events[K][] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    let dropped = 0;
    const unsubscribe = this.on(type, (event) => {
      if (queue.length >= highWaterMark) {
        queue.shift();
        dropped++;
      }
      queue.push(event);
      wake?.();
    });
    const end = (): void => {
      ended = true;
      unsubscribe();
      wake?.();
    };
    this.streamEnds.add(end);
    const iterator: EventStream<Events[K]> = {
      get dropped() {
        return dropped;
      },
      next: async () => {
        while (queue.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        return queue.length ? { value: queue.shift()!, done: false } : { value: undefined, done: true };
      },
      return: async () => {
        end();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /** Ends every open stream (their `for await` loops finish) and drops all listeners. */
  close(): void {
    for (const end of this.streamEnds) end();
    this.streamEnds.clear();
    this.listeners.clear();
  }
}
