/**
 * Signals that came over the control socket: they go into the segment's signal ring through
 * `Engine.submitSignal`, the path of every strategy's signal, and each of their reports goes
 * back to the peer that sent them, tagged with the request id. A signal's reports end with
 * exactly one terminal report, as on the ring. A cancel or modify is answered on the order it
 * targets (CANCELLED or MODIFIED there), or on its own id when the engine refuses it.
 */
import { RejectReason, ReportKind, SignalAction } from '@cwts/shm-layout';
import type { Report } from '@cwts/py-bridge';
import type { Engine, EngineSignal } from '../engine.js';
import { isTerminalKind } from '../execution/execution.js';
import { wireReport, type ControlReply, type RequestId, SCHEMA_VERSION } from './schema.js';

/** Where a peer's messages go. */
export type PeerSink = (message: ControlReply) => void;

interface Owner {
  readonly peer: PeerSink;
  readonly requestId: RequestId;
  /** As the peer named it: a symbol the engine does not know has no slot name to report. */
  readonly symbol: string;
}

const keyOf = (strategyId: number, clientOrderId: number): string => `${strategyId}:${clientOrderId}`;

export class RemoteSignals {
  private readonly owners = new Map<string, Owner>();
  /** Cancels and modifies not yet answered, by the order they target, oldest first. */
  private readonly pendingOnTarget = new Map<string, string[]>();
  private readonly targetOf = new Map<string, string>();
  private readonly stopListening: () => void;

  constructor(private readonly engine: Engine) {
    this.stopListening = engine.on('report', (report) => this.onReport(report));
  }

  /** Puts the signal into the ring; its reports will go to `peer`. Throws what submitSignal throws. */
  submit(peer: PeerSink, requestId: RequestId, signal: EngineSignal): { clientOrderId: number; position: number } {
    const written = this.engine.submitSignal(signal);
    const own = keyOf(signal.strategyId, written.clientOrderId);
    this.owners.set(own, { peer, requestId, symbol: signal.symbol });
    if (signal.action === SignalAction.CANCEL || signal.action === SignalAction.MODIFY) {
      const target = keyOf(signal.strategyId, signal.targetClientOrderId);
      this.pendingOnTarget.set(target, [...(this.pendingOnTarget.get(target) ?? []), own]);
      this.targetOf.set(own, target);
    }
    return written;
  }

  /** Signals sent over the network still waiting for their terminal report. */
  get open(): number {
    return this.owners.size;
  }

  private onReport(report: Report): void {
    const key = keyOf(report.strategyId, report.clientOrderId);
    const owner = this.owners.get(key);
    if (!owner) return;
    owner.peer({ v: SCHEMA_VERSION, type: 'report', id: owner.requestId, report: wireReport(report, owner.symbol) });
    if (isTerminalKind(report.kind)) {
      this.owners.delete(key);
      // A refused cancel or modify is answered on its own id: it waits on its target no more.
      this.forgetRequest(key);
    }
    // A CANCELLED by request (not by a kill or an IOC rest) or a MODIFIED answers the oldest request on that order.
    if (report.kind === ReportKind.MODIFIED || (report.kind === ReportKind.CANCELLED && report.reason === RejectReason.NONE)) {
      const answered = this.pendingOnTarget.get(key)?.[0];
      if (answered !== undefined) {
        this.owners.delete(answered);
        this.forgetRequest(answered);
      }
    }
  }

  private forgetRequest(own: string): void {
    const target = this.targetOf.get(own);
    if (target === undefined) return;
    this.targetOf.delete(own);
    const rest = (this.pendingOnTarget.get(target) ?? []).filter((k) => k !== own);
    if (rest.length) this.pendingOnTarget.set(target, rest);
    else this.pendingOnTarget.delete(target);
  }

  close(): void {
    this.stopListening();
  }
}
