/**
 * The hardware kill switch: a GPIO line whose active edge engages the kill switch. The native
 * watcher sets KILL_ENGAGED itself before JS hears of the edge; this class then engages the
 * KillSwitch with source 'gpio', so the engine cancels working orders and says who pulled it.
 * A line already active at start engages at once. A line going inactive releases nothing:
 * release stays an operator's act. A line that can no longer be watched engages too (fail safe).
 */
import { HeaderFlag } from '@cwts/shm-layout';
import { GpioLine, type GpioLineEvent, type Segment } from '@cwts/py-bridge';
import type { GpioKillConfig } from '../config/schema.js';
import type { FlagSetter, KillSource, KillSwitch } from './kill-switch.js';

/** What the line did, for the engine's `gpio` event stream and the audit trail. */
export interface GpioKillLineEvent {
  readonly line: string;
  readonly kind: 'active' | 'inactive' | 'error';
  readonly detail: string;
  readonly seqno?: number;
  /** Events the kernel dropped so far (its buffer overflowed). */
  readonly dropped: number;
  /** Edge (kernel timestamp) to flag set by the watcher thread, ns; active edges only. */
  readonly edgeToFlagNs?: number;
  readonly atMs: number;
}

export class GpioKillSource implements FlagSetter {
  /** Active edges already turned into a KillSwitch engage (the watcher counts them too). */
  private engagedEdges = 0;

  private constructor(
    private readonly line: GpioLine,
    private readonly killSwitch: KillSwitch,
    private readonly onEvent: (event: GpioKillLineEvent) => void,
  ) {}

  /**
   * Watches `standIn` if given (a line the caller opened, or a stand-in fd), else the line of
   * `config`; neither: no GPIO kill source. Takes ownership of the line: `close` closes it.
   */
  static start(config: GpioKillConfig | undefined, standIn: GpioLine | undefined, segment: Segment, killSwitch: KillSwitch, onEvent: (event: GpioKillLineEvent) => void): GpioKillSource | undefined {
    const line = standIn ?? (config && GpioLine.open(config.chip, config.line, { activeLow: config.activeLow, bias: config.bias, debounceUs: config.debounceUs, consumer: config.consumer }));
    if (!line) return undefined;
    try {
      const source = new GpioKillSource(line, killSwitch, onEvent);
      // Edges tell changes only: a switch already pressed at start must engage now.
      if (line.activeAtOpen) killSwitch.engage('gpio', `${line.label} is active at start`);
      line.watch(segment.flagWord(HeaderFlag.KILL_ENGAGED), (event) => source.handle(event));
      killSwitch.addSetter(source);
      return source;
    } catch (error) {
      line.close();
      throw error;
    }
  }

  claim(): { source: KillSource; reason: string } | undefined {
    const edges = this.line.stats()?.activeEdges ?? 0;
    if (edges <= this.engagedEdges) return undefined;
    this.engagedEdges = edges;
    return { source: 'gpio', reason: `${this.line.label} went active` };
  }

  close(): void {
    this.line.close();
  }

  private handle(event: GpioLineEvent): void {
    const base = { line: this.line.label, dropped: event.gaps, atMs: Date.now() };
    if (event.kind === 'error') {
      this.onEvent({ ...base, kind: 'error', detail: event.message });
      // Not seeing the switch any more is treated as the switch pulled.
      if (event.ended) this.killSwitch.engage('gpio', `${event.message}: engaged, as the kill line can no longer be seen`);
      return;
    }
    if (!event.active) {
      this.onEvent({ ...base, kind: 'inactive', seqno: event.seqno, detail: `${this.line.label} went inactive; the kill switch stays as it is until an operator releases it` });
      return;
    }
    const edgeToFlagNs = Number((event.flagSetNs ?? event.timestampNs) - event.timestampNs);
    this.onEvent({ ...base, kind: 'active', seqno: event.seqno, edgeToFlagNs, detail: `${this.line.label} went active` });
    // `poll` may have named this edge already, and an operator may have released since: engage
    // only for an edge not yet engaged for.
    if (event.activeEdges <= this.engagedEdges) return;
    this.engagedEdges = event.activeEdges;
    this.killSwitch.engage('gpio', `${this.line.label} went active (seqno ${event.seqno}, flag set ${(edgeToFlagNs / 1000).toFixed(1)} µs after the edge)`);
  }
}
