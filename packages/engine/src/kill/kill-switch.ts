/**
 * The kill switch's state lives in one bit: KILL_ENGAGED in the segment header. Engaging sets
 * it before anything else, so Python refuses new submits at once; the hot loop sees it,
 * refuses new orders and cancels the working ones. Release is only ever an explicit act.
 * `cwts kill` flips the same bit from another process; `poll` notices.
 */
import { HeaderFlag } from '@cwts/shm-layout';
import type { Segment } from '@cwts/py-bridge';

/** Who pulled it: the Node API, a POSIX signal, a tripped breaker, another process (`cwts kill`), or the control socket. */
export type KillSource = 'api' | 'signal' | 'breaker' | 'segment' | 'network';

export interface KillEvent {
  readonly engaged: boolean;
  readonly source: KillSource;
  readonly reason: string;
  readonly atMs: number;
}

export class KillSwitch {
  private state: boolean;

  constructor(private readonly segment: Segment, private readonly onChange: (event: KillEvent) => void) {
    this.state = segment.hasFlag(HeaderFlag.KILL_ENGAGED);
  }

  get engaged(): boolean {
    return this.state;
  }

  engage(source: KillSource, reason: string): void {
    this.segment.setFlag(HeaderFlag.KILL_ENGAGED, true);
    this.changed(true, source, reason);
  }

  release(source: KillSource, reason: string): void {
    this.segment.setFlag(HeaderFlag.KILL_ENGAGED, false);
    this.changed(false, source, reason);
  }

  /** Picks up a change another process made to the flag. */
  poll(): void {
    const engaged = this.segment.hasFlag(HeaderFlag.KILL_ENGAGED);
    if (engaged !== this.state) this.changed(engaged, 'segment', engaged ? 'engaged by another process (cwts kill engage)' : 'released by another process (cwts kill release)');
  }

  private changed(engaged: boolean, source: KillSource, reason: string): void {
    if (engaged === this.state) return;
    this.state = engaged;
    this.onChange({ engaged, source, reason, atMs: Date.now() });
  }
}
