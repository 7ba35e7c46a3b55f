/**
 * The one writer of the report ring (docs/segment.md, "Reports"): each report under its
 * slot's seqlock, then the write position, then a futex wake only if a strategy sleeps.
 */
import {
  REPORT_CAPACITY,
  ReportRingControlView,
  ReportSlotView,
  SignalRingControlView,
  reportControlOffset,
  reportsOffset,
  signalControlOffset,
} from '@cwts/shm-layout';
import { futexWake } from './native.js';
import type { Segment } from './segment.js';

export interface Report {
  kind: number;
  reason: number;
  clientOrderId: number;
  strategyId: number;
  symbolIndex: number;
  signalPosition: number;
  fillSize: number;
  fillPrice: number;
  cumulativeFilled: number;
  remaining: number;
  orderId: number;
}

export class ReportPublisher {
  private readonly slot: ReportSlotView;
  private readonly control: ReportRingControlView;
  private readonly signalControl: SignalRingControlView;
  private readonly u32: Uint32Array;

  constructor(private readonly segment: Segment) {
    const views = segment.accessors.views;
    this.slot = new ReportSlotView(views);
    this.control = new ReportRingControlView(views).at(reportControlOffset());
    this.signalControl = new SignalRingControlView(views).at(signalControlOffset());
    this.u32 = views.u32;
  }

  /** Publishes one report; returns its position in the ring. */
  publish(report: Report): number {
    const position = this.control.writePosition;
    // REPORT_CAPACITY is a power of two, so the wrapping u32 position indexes slots across its wrap.
    const slot = this.slot.at(reportsOffset(position % REPORT_CAPACITY));
    Atomics.add(this.u32, slot.seqIndex, 1); // odd: readers of this slot retry
    slot.kind = report.kind;
    slot.position = position;
    slot.reason = report.reason;
    slot.clientOrderId = report.clientOrderId;
    slot.strategyId = report.strategyId;
    slot.symbolIndex = report.symbolIndex;
    slot.signalPosition = report.signalPosition;
    slot.fillSize = report.fillSize;
    slot.fillPrice = report.fillPrice;
    slot.cumulativeFilled = report.cumulativeFilled;
    slot.remaining = report.remaining;
    slot.tsNs = Number(process.hrtime.bigint());
    slot.orderId = report.orderId;
    Atomics.add(this.u32, slot.seqIndex, 1); // even: the report is whole
    this.control.writePosition = (position + 1) >>> 0;
    // A sequentially consistent load after the store above: a waiter that registered before it is seen.
    if (this.signalControl.reportWaiters > 0) {
      futexWake(this.segment.buffer, this.control.writePositionIndex * 4, 0x7fffffff);
    }
    return position;
  }
}
