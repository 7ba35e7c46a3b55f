/**
 * Writes the stress pattern of docs/segment.md as fast as it can: every field of update n
 * derives from n, so any reader can tell a torn snapshot from a whole one.
 */
import { BOOK_DEPTH } from '@cwts/shm-layout';
import { MarketDataWriter, emptyBookUpdate, type BookUpdate } from './market-data-writer.js';
import type { Segment } from './segment.js';

export interface StressOptions {
  readonly seconds: number;
  readonly symbols: number;
  /** Called about every 100 ms with updates so far. */
  readonly onProgress?: (updates: number, elapsedSeconds: number) => void;
  /** Asked about every 100 ms; true ends the run early (Ctrl-C). */
  readonly shouldStop?: () => boolean;
  /** Open-loop pacing: one update every this many microseconds (spinning), 0 for flat out. */
  readonly intervalUs?: number;
}

export interface StressResult {
  readonly updates: number;
  readonly seconds: number;
  readonly updatesPerSecond: number;
}

/** Fills `update` with the stress pattern of update `n` of symbol `k`. */
export function stressUpdate(update: BookUpdate, k: number, n: number): void {
  update.bid = n;
  update.ask = n + 1;
  update.bidVolume = n + 2;
  update.askVolume = n + 3;
  update.last = n + 0.5;
  update.volume24h = 2 * n;
  update.exchangeTsNs = 1000 * n;
  update.receiveTsNs = 1000 * n + 1;
  update.status = 0;
  update.bidDepth = 1 + (n % BOOK_DEPTH);
  update.askDepth = BOOK_DEPTH - (n % BOOK_DEPTH);
  for (let j = 0; j < BOOK_DEPTH; j++) {
    update.bids[2 * j] = n - j;
    update.bids[2 * j + 1] = n + k + j;
    update.asks[2 * j] = n + 1 + j;
    update.asks[2 * j + 1] = n + k + j + 1;
  }
}

export function registerStressSymbols(writer: MarketDataWriter, symbols: number): void {
  for (let k = 0; k < symbols; k++) {
    writer.register(k, { name: `STRESS${k}/USD`, venue: 'stress', tickSize: 1, lotSize: 1 });
  }
}

export async function runStressPublisher(segment: Segment, options: StressOptions): Promise<StressResult> {
  const writer = new MarketDataWriter(segment);
  registerStressSymbols(writer, options.symbols);
  const update = emptyBookUpdate();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(options.seconds * 1e9));
  let updates = 0;
  let now = started;
  let nextProgress = started;
  const intervalMs = (options.intervalUs ?? 0) / 1000;
  // Updates go out on a fixed schedule, not "interval after the last one", so that a slow
  // moment does not silently lower the rate (no coordinated omission in the reader's numbers).
  let due = performance.now();
  while (now < deadline && !(options.shouldStop?.() ?? false)) {
    for (let batch = 0; batch < 256; batch++) {
      if (intervalMs > 0) {
        due += intervalMs;
        while (performance.now() < due);
      }
      const k = updates % options.symbols;
      stressUpdate(update, k, writer.nextUpdateCount(k));
      writer.publish(k, update);
      updates++;
    }
    segment.beat();
    now = process.hrtime.bigint();
    if (now >= nextProgress) {
      options.onProgress?.(updates, Number(now - started) / 1e9);
      nextProgress = now + 100_000_000n;
      // Yield to the event loop so that signals (Ctrl-C) and timers get a turn.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { updates, seconds, updatesPerSecond: updates / seconds };
}
