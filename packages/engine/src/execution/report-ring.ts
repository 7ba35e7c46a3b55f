/**
 * Reports from the hot-loop thread to the main thread: a single-producer single-consumer
 * ring of fixed rows in a SharedArrayBuffer. The producer never waits: when the ring is
 * full the report is dropped and counted (the strategy already has it in the segment).
 */
import type { Report } from '@cwts/py-bridge';

const FIELDS = ['kind', 'reason', 'clientOrderId', 'strategyId', 'symbolIndex', 'signalPosition', 'fillSize', 'fillPrice', 'cumulativeFilled', 'remaining', 'orderId'] as const;
const ROW = FIELDS.length;
// Head and tail on separate 64-byte lines, so producer and consumer do not share one.
const HEAD = 0;
const TAIL = 16;
const DROPPED = 32;
const CONTROL_BYTES = 192;

export class ReportRing {
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

  /** Producer side. */
  push(report: Report): void {
    const tail = this.control[TAIL]!;
    if (tail - Atomics.load(this.control, HEAD) >= this.capacity) {
      Atomics.add(this.control, DROPPED, 1);
      return;
    }
    const at = (tail & (this.capacity - 1)) * ROW;
    for (let i = 0; i < ROW; i++) this.rows[at + i] = report[FIELDS[i]!];
    // The row's stores are visible before the new tail (Atomics.store is sequentially consistent).
    Atomics.store(this.control, TAIL, tail + 1);
  }

  /** Consumer side: every report pushed so far, oldest first. */
  drain(each: (report: Report) => void): number {
    const head = this.control[HEAD]!;
    const tail = Atomics.load(this.control, TAIL);
    for (let h = head; h !== tail; h++) {
      const at = (h & (this.capacity - 1)) * ROW;
      const report = {} as Record<(typeof FIELDS)[number], number>;
      for (let i = 0; i < ROW; i++) report[FIELDS[i]!] = this.rows[at + i]!;
      each(report);
    }
    Atomics.store(this.control, HEAD, tail);
    return tail - head;
  }

  get dropped(): number {
    return Atomics.load(this.control, DROPPED);
  }
}
