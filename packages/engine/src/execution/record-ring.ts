/**
 * Records between the hot-loop thread and the main thread, one single-producer single-consumer
 * ring of fixed rows in a SharedArrayBuffer per direction. Out of the hot loop: reports (for
 * the event stream and SQLite), positions, and orders for a live venue. Into it: what the
 * live venue answered. The producer never waits: when the ring is full the record is dropped
 * and counted.
 */
import type { PositionUpdate, Report } from '@cwts/py-bridge';

const REPORT_FIELDS = ['kind', 'reason', 'clientOrderId', 'strategyId', 'symbolIndex', 'signalPosition', 'fillSize', 'fillPrice', 'cumulativeFilled', 'remaining', 'orderId'] as const;
const POSITION_FIELDS = ['strategyId', 'symbolIndex', 'size', 'avgPrice', 'realizedPnl', 'unrealizedPnl'] as const;
const ORDER_REQUEST_FIELDS = ['op', 'orderId', 'symbolIndex', 'buy', 'market', 'timeInForce', 'price', 'size'] as const;
const VENUE_EVENT_FIELDS = ['type', 'orderId', 'price', 'size', 'remaining', 'reason'] as const;
const RISK_FIELDS = ['reason', 'control', 'strategyId', 'clientOrderId', 'symbolIndex', 'limit', 'attempted', 'reference'] as const;
const CONTROL_FIELDS = ['command', 'strategyId', 'field', 'value'] as const;
/** doneNs: process.hrtime ns when the hot loop had sent every cancel (and flatten order). */
const KILL_FIELDS = ['engaged', 'cancelled', 'flattened', 'doneNs'] as const;
const APPROVAL_FIELDS = ['orderId', 'strategyId', 'clientOrderId', 'symbolIndex', 'buy', 'size', 'price'] as const;
const VOTE_FIELDS = ['strategyId', 'clientOrderId', 'symbolIndex', 'buy', 'confidence'] as const;
// A row: its record type, then the longest field list.
const ROW = 1 + REPORT_FIELDS.length;
const REPORT = 0;
const POSITION = 1;
const ORDER_REQUEST = 2;
const VENUE_EVENT = 3;
const RISK = 4;
const CONTROL = 5;
const KILL = 6;
const APPROVAL = 7;
const VOTE = 8;
// Head and tail on separate 64-byte lines, so producer and consumer do not share one.
const HEAD = 0;
/** Set by a consumer waiting in `waitForRecords`: only then does a push pay for a notify. */
const WAITING = 4;
const TAIL = 16;
const DROPPED = 32;
const CONTROL_BYTES = 192;

// ES2024's Atomics.waitAsync (V8 has it since Node 16); the ES2022 lib this build targets does not declare it.
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

export interface PositionRecord extends PositionUpdate {
  readonly strategyId: number;
  readonly symbolIndex: number;
}

/** An order for a live venue, in venue decimals. `op`: 0 new, 1 cancel, 2 modify. */
export type OrderRequest = Record<(typeof ORDER_REQUEST_FIELDS)[number], number>;
export const REQUEST_OP = { NEW: 0, CANCEL: 1, MODIFY: 2 } as const;

/** What a live venue said about an order. `size` is the fill's, `remaining` what is left open. */
export type VenueEvent = Record<(typeof VENUE_EVENT_FIELDS)[number], number>;
/** REJECTED refuses a new order; REQUEST_REFUSED a cancel or modify of a working one. */
export const VENUE_EVENT_TYPE = { ACCEPTED: 0, FILL: 1, CANCELLED: 2, REJECTED: 3, REQUEST_REFUSED: 4, MODIFIED: 5 } as const;

/** A pre-trade refusal (or a throttle trip, with clientOrderId 0), `control` indexing RISK_CONTROLS. */
export type RiskRecord = Record<(typeof RISK_FIELDS)[number], number>;

/** An operator's command to the hot loop. */
export type ControlRecord = Record<(typeof CONTROL_FIELDS)[number], number>;
/**
 * `strategyId` carries the engine order id for APPROVE and REJECT; SET_LIMIT carries an
 * encoded limit update (risk/limit-update.ts) in `strategyId`, `field` and `value`.
 */
export const CONTROL_COMMAND = { ENABLE_STRATEGY: 0, APPROVE: 1, REJECT: 2, SET_LIMIT: 3 } as const;

/** A SEMI_AUTO order waiting for an operator (price 0: a market order). */
export type ApprovalRecord = Record<(typeof APPROVAL_FIELDS)[number], number>;

/** A fusion voter's signal (fusion.sources `strategy:<id>`): a vote, never an order of its own. */
export type VoteRecord = Record<(typeof VOTE_FIELDS)[number], number>;

/** The hot loop saw the kill flag change: engaged (1, with the working orders it cancelled) or released (0). */
export type KillRecord = Record<(typeof KILL_FIELDS)[number], number>;

export interface RecordHandlers {
  approval?(record: ApprovalRecord): void;
  vote?(record: VoteRecord): void;
  kill?(record: KillRecord): void;
  risk?(record: RiskRecord): void;
  control?(record: ControlRecord): void;
  report?(report: Report): void;
  position?(position: PositionRecord): void;
  orderRequest?(request: OrderRequest): void;
  venueEvent?(event: VenueEvent): void;
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

  pushOrderRequest(request: OrderRequest): void {
    this.push(ORDER_REQUEST, ORDER_REQUEST_FIELDS, request);
  }

  pushVenueEvent(event: VenueEvent): void {
    this.push(VENUE_EVENT, VENUE_EVENT_FIELDS, event);
  }

  pushRisk(record: RiskRecord): void {
    this.push(RISK, RISK_FIELDS, record);
  }

  pushControl(record: ControlRecord): void {
    this.push(CONTROL, CONTROL_FIELDS, record);
  }

  pushKill(record: KillRecord): void {
    this.push(KILL, KILL_FIELDS, record);
  }

  pushApproval(record: ApprovalRecord): void {
    this.push(APPROVAL, APPROVAL_FIELDS, record);
  }

  pushVote(record: VoteRecord): void {
    this.push(VOTE, VOTE_FIELDS, record);
  }

  /** Consumer side: every record pushed so far, oldest first. */
  drain(handlers: RecordHandlers): number {
    const head = this.control[HEAD]!;
    const tail = Atomics.load(this.control, TAIL);
    for (let h = head; h !== tail; h++) {
      const at = (h & (this.capacity - 1)) * ROW;
      switch (this.rows[at]) {
        case REPORT:
          handlers.report?.(this.read(at, REPORT_FIELDS));
          break;
        case POSITION:
          handlers.position?.(this.read(at, POSITION_FIELDS));
          break;
        case ORDER_REQUEST:
          handlers.orderRequest?.(this.read(at, ORDER_REQUEST_FIELDS));
          break;
        case VENUE_EVENT:
          handlers.venueEvent?.(this.read(at, VENUE_EVENT_FIELDS));
          break;
        case RISK:
          handlers.risk?.(this.read(at, RISK_FIELDS));
          break;
        case CONTROL:
          handlers.control?.(this.read(at, CONTROL_FIELDS));
          break;
        case KILL:
          handlers.kill?.(this.read(at, KILL_FIELDS));
          break;
        case VOTE:
          handlers.vote?.(this.read(at, VOTE_FIELDS));
          break;
        default:
          handlers.approval?.(this.read(at, APPROVAL_FIELDS));
      }
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
    if (Atomics.load(this.control, WAITING) === 1) Atomics.notify(this.control, TAIL);
  }

  /**
   * Consumer side: resolves once a record is there to drain, or after `timeoutMs`, without
   * blocking the thread (Atomics.waitAsync). A producer notifies only while the consumer waits.
   */
  async waitForRecords(timeoutMs: number): Promise<void> {
    const tail = Atomics.load(this.control, TAIL);
    if (tail !== this.control[HEAD]) return;
    Atomics.store(this.control, WAITING, 1);
    // Re-check after announcing the wait: a push before it saw the flag did not notify.
    if (Atomics.load(this.control, TAIL) === tail) {
      const waited = waitAsync(this.control, TAIL, tail, timeoutMs);
      if (waited.async) await waited.value;
    }
    Atomics.store(this.control, WAITING, 0);
  }

  private read<F extends readonly string[]>(at: number, fields: F): Record<F[number], number> {
    const record = {} as Record<F[number], number>;
    for (let i = 0; i < fields.length; i++) record[fields[i] as F[number]] = this.rows[at + 1 + i]!;
    return record;
  }
}
