/**
 * What a fresh segment holds: every signal slot free for its first lap, client order ids
 * from 1, an empty report ring, and the identity words, magic last, so that a reader
 * racing the creation finds no magic and refuses.
 */
import {
  HeaderView,
  LAYOUT_HASH,
  LAYOUT_VERSION,
  MAGIC,
  REPORT_CAPACITY,
  ReportRingControlView,
  SEGMENT_SIZE,
  SIGNAL_CAPACITY,
  SignalRingControlView,
  SignalSlotView,
  headerOffset,
  reportControlOffset,
  signalControlOffset,
  signalsOffset,
} from './generated/layout.js';
import type { SegmentViews } from './views.js';

export interface SegmentIdentity {
  readonly enginePid: number;
  /** CLOCK_REALTIME ns. */
  readonly createdNs: number;
  /** CLOCK_MONOTONIC ns of the first beat. */
  readonly heartbeatNs: bigint;
}

export function formatSegment(views: SegmentViews, identity: SegmentIdentity): void {
  const slot = new SignalSlotView(views);
  // Slot p is free for position p on the first lap (docs/segment.md, "Signals").
  for (let p = 0; p < SIGNAL_CAPACITY; p++) slot.at(signalsOffset(p)).seq = p;
  new SignalRingControlView(views).at(signalControlOffset()).nextClientOrderId = 1n;
  new ReportRingControlView(views).at(reportControlOffset()).capacity = REPORT_CAPACITY;
  const header = new HeaderView(views).at(headerOffset());
  header.layoutVersion = LAYOUT_VERSION;
  header.totalSize = SEGMENT_SIZE;
  header.createdNs = identity.createdNs;
  header.enginePid = identity.enginePid;
  header.heartbeatNs = identity.heartbeatNs;
  header.layoutHash = LAYOUT_HASH;
  header.magic = MAGIC;
}
