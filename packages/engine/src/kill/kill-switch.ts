/**
 * The kill switch's state lives in one bit: KILL_ENGAGED in the segment header. Engaging sets
 * it before anything else, so Python refuses new submits at once; the hot loop sees it,
 * refuses new orders and cancels the working ones. Release is only ever an explicit act.
 * `cwts kill` flips the same bit from another process; `poll` notices. The GPIO watcher sets it
 * from a native thread; it registers as a FlagSetter so that `poll` names it, not "another process".
 */
import { HeaderFlag } from '@cwts/shm-layout';
import { wakeSignalConsumer, type Segment } from '@cwts/py-bridge';

/** Who pulled it: the Node API, a POSIX signal, a tripped breaker, another process (`cwts kill`), the GPIO line, or the control socket. */
export type KillSource = 'api' | 'signal' | 'breaker' | 'segment' | 'gpio' | 'network';

/** Something in this process that sets the flag outside JS, and can say whether it did since last asked. */
export interface FlagSetter {
  claim(): { readonly source: KillSource; readonly reason: string } | undefined;
}

export interface KillEvent {
  readonly engaged: boolean;
  readonly source: KillSource;
  readonly reason: string;
  readonly atMs: number;
  /** Engaged in this process: ns from the call to the flag being set in the segment. */
  readonly flagSetAfterNs?: number;
  /** The hot loop's answer to an engage in this process: ns from that call until every cancel (and flatten order) was sent. */
  readonly cancelAllSentAfterNs?: number;
}

export class KillSwitch {
  private state: boolean;
  private readonly setters: FlagSetter[] = [];

  constructor(private readonly segment: Segment, private readonly onChange: (event: KillEvent) => void) {
    this.state = segment.hasFlag(HeaderFlag.KILL_ENGAGED);
  }

  get engaged(): boolean {
    return this.state;
  }

  /** When this process last engaged it (process.hrtime ns): the start of the kill's latencies. */
  engagedAtNs: number | undefined;

  engage(source: KillSource, reason: string): void {
    const startedNs = Number(process.hrtime.bigint());
    this.segment.setFlag(HeaderFlag.KILL_ENGAGED, true);
    const flagSetAfterNs = Number(process.hrtime.bigint()) - startedNs;
    // The hot loop may sleep on the signal ring's futex: wake it to see the flag now.
    wakeSignalConsumer(this.segment);
    if (!this.state) this.engagedAtNs = startedNs;
    this.changed(true, source, reason, flagSetAfterNs);
  }

  release(source: KillSource, reason: string): void {
    this.segment.setFlag(HeaderFlag.KILL_ENGAGED, false);
    this.changed(false, source, reason);
  }

  addSetter(setter: FlagSetter): void {
    this.setters.push(setter);
  }

  /** Picks up a change another process, or a FlagSetter, made to the flag. */
  poll(): void {
    const engaged = this.segment.hasFlag(HeaderFlag.KILL_ENGAGED);
    if (engaged === this.state) return;
    const claimed = engaged ? this.setters.map((setter) => setter.claim()).find((claim) => claim !== undefined) : undefined;
    if (claimed) this.changed(true, claimed.source, claimed.reason);
    else this.changed(engaged, 'segment', engaged ? 'engaged by another process (cwts kill engage)' : 'released by another process (cwts kill release)');
  }

  private changed(engaged: boolean, source: KillSource, reason: string, flagSetAfterNs?: number): void {
    if (engaged === this.state) return;
    this.state = engaged;
    if (!engaged || flagSetAfterNs === undefined) this.engagedAtNs = undefined;
    this.onChange({ engaged, source, reason, atMs: Date.now(), ...(flagSetAfterNs === undefined ? {} : { flagSetAfterNs }) });
  }
}
