/**
 * Records from the hot-loop thread to the main thread (reports for the event stream and the
 * audit, positions for SQLite): a single-producer single-consumer ring of fixed rows in a
 * SharedArrayBuffer. The producer never waits: when the ring is full the record is dropped
 * and counted (strategies already have it in the segment).
 */
import type { PositionUpdate, Report } from '@cwts/py-bridge';

const REPORT_FIELDS = ['kind', 'reason', 'clientOrderId', 'strategyId', 'symbolIndex', 'signalPosition', 'fillSize', 'fillPrice', 'cumulativeFilled', 'remaining', 'orderId'] as const;
const POSITION_FIELDS = ['strategyId', 'symbolIndex', 'size', 'avgPrice', 'realizedPnl', 'unrealizedPnl'] as const;
// A row: its record type, then the larger of the two field lists.
const ROW = 1 + REPORT_FIELDS.length;
const REPORT = 0;
const POSITION = 1;
// Head and tail on separate 64-byte lines, so producer and consumer do not share one.
const HEAD = 0;
const TAIL = 16;
const DROPPED = 32;
const CONTROL_BYTES = 192;

export interface PositionRecord extends PositionUpdate {
  readonly strategyId: number;
  readonly symbolIndex: number;
}

export interface RecordHandlers {
  report(report: Report): void;
  position(position: PositionRecord): void;
}

export class RecordRing {
  private readonly control: Int32Array;
  private readonly rows: Float64Array;
  private readonly capacity: number;

  /** A new ring's memory, to hand to both threads. `capacity` must be a power of two. */
  static allocate(capacity = 1 << 14): SharedArrayBuffer {
    return new SharedArrayBuffer(CONTROL_BYTES + capacity * ROW * 8);
  }

  constructor(buffer: SharedArrayBuffer) {
    this.control = new Int32Array(buffer, 0, CONTROL_BYTES / 4);
    this.rows = new Float64Array(buffer, CONTROL_BYTES);
    this.capacity = this.rows.length / ROW;
  }

  pushReport(report: Report): void {
    this.push(REPORT, REPORT_FIELDS, report);
  }

  pushPosition(position: PositionRecord): void {
    this.push(POSITION, POSITION_FIELDS, position);
  }

  /** Consumer side: every record pushed so far, oldest first. */
  drain(handlers: RecordHandlers): number {
    const head = this.control[HEAD]!;
    const tail = Atomics.load(this.control, TAIL);
    for (let h = head; h !== tail; h++) {
      const at = (h & (this.capacity - 1)) * ROW;
      if (this.rows[at] === REPORT) handlers.report(this.read(at, REPORT_FIELDS));
      else handlers.position(this.read(at, POSITION_FIELDS));
    }
    Atomics.store(this.control, HEAD, tail);
    return tail - head;
  }

  get dropped(): number {
    return Atomics.load(this.control, DROPPED);
  }

  private push<F extends readonly string[]>(type: number, fields: F, record: Readonly<Record<F[number], number>>): void {
    const tail = this.control[TAIL]!;
    if (tail - Atomics.load(this.control, HEAD) >= this.capacity) {
      Atomics.add(this.control, DROPPED, 1);
      return;
    }
    const at = (tail & (this.capacity - 1)) * ROW;
    this.rows[at] = type;
    for (let i = 0; i < fields.length; i++) this.rows[at + 1 + i] = record[fields[i] as F[number]];
    // The row's stores are visible before the new tail (Atomics.store is sequentially consistent).
    Atomics.store(this.control, TAIL, tail + 1);
  }

  private read<F extends readonly string[]>(at: number, fields: F): Record<F[number], number> {
    const record = {} as Record<F[number], number>;
    for (let i = 0; i < fields.length; i++) record[fields[i] as F[number]] = this.rows[at + 1 + i]!;
    return record;
  }
}
