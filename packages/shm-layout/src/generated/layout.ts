// Generated from packages/shm-layout/src/spec.ts by `npm run generate`. Do not edit.
import { SegmentViews } from '../views.js';

export const LAYOUT_VERSION = 1;
export const LAYOUT_HASH = 0x9cd46bba6062f655n;
/** "CWTS-SHM" read as a little-endian u64. */
export const MAGIC = 0x4d48532d53545743n;
export const PAGE_SIZE = 4096;
export const SEGMENT_SIZE = 724992;
/** Strategies map [0, SHARED_OFFSET) read-only and the rest read-write. */
export const SHARED_OFFSET = 589824;
/** symbol slots in the segment */
export const MAX_SYMBOLS = 100;
/** levels per side per symbol */
export const BOOK_DEPTH = 50;
/** slots in the signal ring */
export const SIGNAL_CAPACITY = 1000;
/** slots in the report ring (power of two) */
export const REPORT_CAPACITY = 2048;
/** strategy rows in the positions region */
export const MAX_STRATEGIES = 16;
/** bytes of a symbol name, NUL-padded UTF-8 */
export const SYMBOL_NAME_BYTES = 32;

/** bits of header.flags */
export const HeaderFlag = {
  /** the engine is running and beating */
  ENGINE_ALIVE: 1,
  /** the kill switch is engaged: strategies must not submit */
  KILL_ENGAGED: 2,
  /** the engine stopped on purpose (not a crash) */
  STOPPED_CLEANLY: 4,
  /** a circuit breaker is tripped (until its reset) */
  BREAKER_TRIPPED: 8,
} as const;
export type HeaderFlag = (typeof HeaderFlag)[keyof typeof HeaderFlag];

/** the engine control mode in header.control_mode */
export const ControlMode = {
  /** every order needs an operator */
  MANUAL: 0,
  /** orders wait in an approval queue */
  SEMI_AUTO: 1,
  /** orders flow through risk unattended */
  FULL_AUTO: 2,
  /** reduce-only; new exposure rejected */
  EMERGENCY: 3,
} as const;
export type ControlMode = (typeof ControlMode)[keyof typeof ControlMode];

/** bits of symbol.status, written inside the seqlock */
export const SymbolStatus = {
  /** the slot holds a symbol */
  ACTIVE: 1,
  /** no update within the configured time */
  STALE: 2,
  /** best bid at or above best ask */
  CROSSED: 4,
  /** trading halted by the venue or the engine */
  HALTED: 8,
  /** last price outside the rolling band */
  OUTLIER: 16,
  /** a feed sequence gap since the last snapshot */
  SEQUENCE_GAP: 32,
} as const;
export type SymbolStatus = (typeof SymbolStatus)[keyof typeof SymbolStatus];

/** what a signal asks for */
export const SignalAction = {
  /** no order; an intent for the record */
  HOLD: 0,
  /** new buy order */
  BUY: 1,
  /** new sell order */
  SELL: 2,
  /** cancel target_client_order_id */
  CANCEL: 3,
  /** change price and size of target_client_order_id */
  MODIFY: 4,
} as const;
export type SignalAction = (typeof SignalAction)[keyof typeof SignalAction];

/** how an order prices */
export const OrderType = {
  /** rests at its price */
  LIMIT: 0,
  /** takes liquidity at any price */
  MARKET: 1,
} as const;
export type OrderType = (typeof OrderType)[keyof typeof OrderType];

/** how long an order lives */
export const TimeInForce = {
  /** good till cancelled */
  GTC: 0,
  /** immediate or cancel: the rest is cancelled */
  IOC: 1,
  /** fill or kill: all at once or nothing */
  FOK: 2,
  /** rejected if it would take liquidity */
  POST_ONLY: 3,
} as const;
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];

/** what a report says; FILLED and later are terminal */
export const ReportKind = {
  /** passed risk, working at the venue */
  ACCEPTED: 1,
  /** a fill that leaves a remainder */
  PARTIALLY_FILLED: 2,
  /** terminal: completely filled */
  FILLED: 3,
  /** terminal: cancelled (by request, IOC rest, or kill) */
  CANCELLED: 4,
  /** terminal: refused; reason says why */
  REJECTED: 5,
  /** terminal: its time ran out */
  EXPIRED: 6,
  /** a modify took effect */
  MODIFIED: 7,
} as const;
export type ReportKind = (typeof ReportKind)[keyof typeof ReportKind];

/** why a signal was rejected: ReportSlot.reason of a REJECTED report */
export const RejectReason = {
  /** not rejected */
  NONE: 0,
  /** size is NaN, infinite, zero or negative */
  INVALID_SIZE: 1,
  /** a limit price that is NaN, infinite, zero or negative */
  INVALID_PRICE: 2,
  /** symbol_index names no active symbol */
  UNKNOWN_SYMBOL: 3,
  /** action is not a SignalAction */
  UNKNOWN_ACTION: 4,
  /** order_type is not an OrderType */
  UNKNOWN_ORDER_TYPE: 5,
  /** time_in_force is not a TimeInForce, or POST_ONLY on a market order */
  UNKNOWN_TIME_IN_FORCE: 6,
  /** the strategy already used this client order id */
  DUPLICATE_CLIENT_ORDER_ID: 7,
  /** CANCEL or MODIFY of an order that is not working */
  UNKNOWN_ORDER: 8,
  /** the price is not a multiple of the tick size */
  PRICE_OFF_TICK: 9,
  /** the size is not a multiple of the lot size */
  SIZE_OFF_LOT: 10,
  /** a post-only order would have taken liquidity */
  POST_ONLY_WOULD_CROSS: 11,
  /** not enough liquidity to fill a FOK order at once */
  FILL_OR_KILL_UNFILLED: 12,
  /** a market order found nothing to take */
  NO_LIQUIDITY: 13,
  /** it would have traded with its own strategy */
  SELF_TRADE: 14,
  /** the symbol has no fresh book to trade against */
  NO_MARKET_DATA: 15,
  /** a reserved field is not 0, or confidence is outside 0..1 */
  INVALID_FIELD: 16,
  /** the kill switch is engaged */
  KILL_ENGAGED: 17,
  /** a HOLD signal: recorded, never an order */
  HOLD: 18,
  /** the live venue refused it (its message is in the engine log and audit) */
  VENUE_REJECTED: 19,
  /** the engine stopped, or crashed, while the order worked on the simulated venue, whose orders end with it (after a crash: answered at the next start) */
  ENGINE_STOPPED: 20,
  /** risk: no limits configured for this strategy or the account; nothing is unlimited */
  RISK_NOT_CONFIGURED: 100,
  /** risk: the size is above the strategy maximum */
  RISK_MAX_ORDER_SIZE: 101,
  /** risk: size times price is above the strategy maximum */
  RISK_MAX_ORDER_VALUE: 102,
  /** risk: positions plus working orders would exceed the strategy or account credit limit */
  RISK_CREDIT_LIMIT: 103,
  /** risk: the limit price is outside the band around the reference price */
  RISK_PRICE_COLLAR: 104,
  /** risk: more new orders per second than the strategy may send */
  RISK_RATE_LIMIT: 105,
  /** risk: the same order (side, symbol, size, price) again within the duplicate window */
  RISK_DUPLICATE_ORDER: 106,
  /** risk: the symbol is on the restricted list */
  RISK_RESTRICTED_SYMBOL: 107,
  /** risk: the repeated-execution throttle disabled the strategy; an operator must re-enable it */
  RISK_STRATEGY_DISABLED: 108,
  /** the engine is in MANUAL mode: strategies place no orders */
  MODE_MANUAL: 110,
  /** the engine is in EMERGENCY mode: only orders that reduce a position */
  MODE_EMERGENCY: 111,
  /** SEMI_AUTO: the operator rejected the order */
  APPROVAL_REJECTED: 112,
  /** SEMI_AUTO: no operator approved the order in time */
  APPROVAL_TIMEOUT: 113,
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

export interface RegionInfo {
  readonly offset: number;
  readonly stride: number;
  readonly count: number;
  readonly dims: readonly number[];
  readonly access: 'engine' | 'shared';
}

export const Region = {
  header: { offset: 0, stride: 64, count: 1, dims: [1], access: 'engine' },
  symbols: { offset: 4096, stride: 512, count: 100, dims: [100], access: 'engine' },
  bids: { offset: 57344, stride: 16, count: 5000, dims: [100, 50], access: 'engine' },
  asks: { offset: 139264, stride: 16, count: 5000, dims: [100, 50], access: 'engine' },
  reportControl: { offset: 221184, stride: 64, count: 1, dims: [1], access: 'engine' },
  reports: { offset: 225280, stride: 128, count: 2048, dims: [2048], access: 'engine' },
  positions: { offset: 487424, stride: 64, count: 1600, dims: [16, 100], access: 'engine' },
  signalControl: { offset: 589824, stride: 256, count: 1, dims: [1], access: 'shared' },
  signals: { offset: 593920, stride: 128, count: 1000, dims: [1000], access: 'shared' },
} as const satisfies Record<string, RegionInfo>;

/** Byte offset of header. */
export function headerOffset(): number {
  return 0;
}

/** Byte offset of symbols[i0]. */
export function symbolsOffset(i0: number): number {
  return 4096 + (i0) * 512;
}

/** Byte offset of bids[i0][i1]. */
export function bidsOffset(i0: number, i1: number): number {
  return 57344 + ((i0) * 50 + i1) * 16;
}

/** Byte offset of asks[i0][i1]. */
export function asksOffset(i0: number, i1: number): number {
  return 139264 + ((i0) * 50 + i1) * 16;
}

/** Byte offset of report_control. */
export function reportControlOffset(): number {
  return 221184;
}

/** Byte offset of reports[i0]. */
export function reportsOffset(i0: number): number {
  return 225280 + (i0) * 128;
}

/** Byte offset of positions[i0][i1]. */
export function positionsOffset(i0: number, i1: number): number {
  return 487424 + ((i0) * 100 + i1) * 64;
}

/** Byte offset of signal_control. */
export function signalControlOffset(): number {
  return 589824;
}

/** Byte offset of signals[i0]. */
export function signalsOffset(i0: number): number {
  return 593920 + (i0) * 128;
}

/** Byte offsets of Header's fields. */
export const HeaderOffsets = {
  magic: 0,
  layout_version: 8,
  flags: 12,
  layout_hash: 16,
  total_size: 24,
  heartbeat_ns: 32,
  created_ns: 40,
  engine_pid: 48,
  symbol_count: 52,
  control_mode: 56,
} as const;

/** segment identity and engine liveness; each word written atomically. Point it with `at(byteOffset)`; one view can walk many structs. */
export class HeaderView {
  static readonly size = 64;
  base = 0;
  constructor(readonly views: SegmentViews) {}
  at(byteOffset: number): this {
    this.base = byteOffset;
    return this;
  }
  /** the ASCII bytes "CWTS-SHM" */
  get magic(): bigint { return this.views.loadU64Atomic(this.base + 0); }
  set magic(value: bigint) { this.views.storeU64Atomic(this.base + 0, value); }
  get magicIndex(): number { return (this.base + 0) >>> 3; }
  /** layout version of the spec that wrote the segment */
  get layoutVersion(): number { return this.views.u32[(this.base + 8) >>> 2]!; }
  set layoutVersion(value: number) { this.views.u32[(this.base + 8) >>> 2] = value; }
  /** HeaderFlag bits */
  get flags(): number { return Atomics.load(this.views.u32, (this.base + 12) >>> 2); }
  set flags(value: number) { Atomics.store(this.views.u32, (this.base + 12) >>> 2, value); }
  /** Index of flags in the u32 view, for Atomics and futex calls. */
  get flagsIndex(): number { return (this.base + 12) >>> 2; }
  /** first 8 bytes of SHA-256 over the canonical spec */
  get layoutHash(): bigint { return this.views.loadU64Atomic(this.base + 16); }
  set layoutHash(value: bigint) { this.views.storeU64Atomic(this.base + 16, value); }
  get layoutHashIndex(): number { return (this.base + 16) >>> 3; }
  /** segment size in bytes */
  get totalSize(): number { return this.views.readU64(this.base + 24); }
  set totalSize(value: number) { this.views.writeU64(this.base + 24, value); }
  /** CLOCK_MONOTONIC ns of the last engine beat */
  get heartbeatNs(): bigint { return this.views.loadU64Atomic(this.base + 32); }
  set heartbeatNs(value: bigint) { this.views.storeU64Atomic(this.base + 32, value); }
  get heartbeatNsIndex(): number { return (this.base + 32) >>> 3; }
  /** CLOCK_REALTIME ns when the segment was created */
  get createdNs(): number { return this.views.readU64(this.base + 40); }
  set createdNs(value: number) { this.views.writeU64(this.base + 40, value); }
  /** process id of the engine */
  get enginePid(): number { return Atomics.load(this.views.u32, (this.base + 48) >>> 2); }
  set enginePid(value: number) { Atomics.store(this.views.u32, (this.base + 48) >>> 2, value); }
  /** Index of engine_pid in the u32 view, for Atomics and futex calls. */
  get enginePidIndex(): number { return (this.base + 48) >>> 2; }
  /** symbol slots in use, from index 0 */
  get symbolCount(): number { return Atomics.load(this.views.u32, (this.base + 52) >>> 2); }
  set symbolCount(value: number) { Atomics.store(this.views.u32, (this.base + 52) >>> 2, value); }
  /** Index of symbol_count in the u32 view, for Atomics and futex calls. */
  get symbolCountIndex(): number { return (this.base + 52) >>> 2; }
  /** ControlMode value */
  get controlMode(): number { return Atomics.load(this.views.u32, (this.base + 56) >>> 2); }
  set controlMode(value: number) { Atomics.store(this.views.u32, (this.base + 56) >>> 2, value); }
  /** Index of control_mode in the u32 view, for Atomics and futex calls. */
  get controlModeIndex(): number { return (this.base + 56) >>> 2; }
}

/** Byte offsets of SymbolSlot's fields. */
export const SymbolSlotOffsets = {
  seq: 0,
  status: 4,
  name: 8,
  bid: 40,
  ask: 48,
  bid_volume: 56,
  ask_volume: 64,
  last: 72,
  volume_24h: 80,
  exchange_ts_ns: 88,
  receive_ts_ns: 96,
  publish_ts_ns: 104,
  update_count: 112,
  bid_depth: 120,
  ask_depth: 124,
  venue: 128,
  tick_size: 144,
  lot_size: 152,
} as const;

/** top of book and stats of one symbol, covered by seq with its levels. Point it with `at(byteOffset)`; one view can walk many structs. */
export class SymbolSlotView {
  static readonly size = 512;
  base = 0;
  constructor(readonly views: SegmentViews) {}
  at(byteOffset: number): this {
    this.base = byteOffset;
    return this;
  }
  /** seqlock word: odd while the writer is inside, even when stable */
  get seq(): number { return Atomics.load(this.views.u32, (this.base + 0) >>> 2); }
  set seq(value: number) { Atomics.store(this.views.u32, (this.base + 0) >>> 2, value); }
  /** Index of seq in the u32 view, for Atomics and futex calls. */
  get seqIndex(): number { return (this.base + 0) >>> 2; }
  /** SymbolStatus bits */
  get status(): number { return this.views.u32[(this.base + 4) >>> 2]!; }
  set status(value: number) { this.views.u32[(this.base + 4) >>> 2] = value; }
  /** symbol as the strategies name it, e.g. BTC/USDT */
  get name(): string { return this.views.readText(this.base + 8, 32); }
  set name(value: string) { this.views.writeText(this.base + 8, 32, value, 'SymbolSlot.name'); }
  /** best bid price */
  get bid(): number { return this.views.f64[(this.base + 40) >>> 3]!; }
  set bid(value: number) { this.views.f64[(this.base + 40) >>> 3] = value; }
  /** best ask price */
  get ask(): number { return this.views.f64[(this.base + 48) >>> 3]!; }
  set ask(value: number) { this.views.f64[(this.base + 48) >>> 3] = value; }
  /** volume at the best bid */
  get bidVolume(): number { return this.views.f64[(this.base + 56) >>> 3]!; }
  set bidVolume(value: number) { this.views.f64[(this.base + 56) >>> 3] = value; }
  /** volume at the best ask */
  get askVolume(): number { return this.views.f64[(this.base + 64) >>> 3]!; }
  set askVolume(value: number) { this.views.f64[(this.base + 64) >>> 3] = value; }
  /** last trade price */
  get last(): number { return this.views.f64[(this.base + 72) >>> 3]!; }
  set last(value: number) { this.views.f64[(this.base + 72) >>> 3] = value; }
  /** traded volume over 24 h, base currency */
  get volume24h(): number { return this.views.f64[(this.base + 80) >>> 3]!; }
  set volume24h(value: number) { this.views.f64[(this.base + 80) >>> 3] = value; }
  /** CLOCK_REALTIME ns the venue stamped on the update */
  get exchangeTsNs(): number { return this.views.readU64(this.base + 88); }
  set exchangeTsNs(value: number) { this.views.writeU64(this.base + 88, value); }
  /** CLOCK_MONOTONIC ns the engine received it */
  get receiveTsNs(): number { return this.views.readU64(this.base + 96); }
  set receiveTsNs(value: number) { this.views.writeU64(this.base + 96, value); }
  /** CLOCK_MONOTONIC ns the engine published it */
  get publishTsNs(): number { return this.views.readU64(this.base + 104); }
  set publishTsNs(value: number) { this.views.writeU64(this.base + 104, value); }
  /** updates published for this symbol */
  get updateCount(): number { return this.views.readU64(this.base + 112); }
  set updateCount(value: number) { this.views.writeU64(this.base + 112, value); }
  /** valid bid levels, best first */
  get bidDepth(): number { return this.views.u32[(this.base + 120) >>> 2]!; }
  set bidDepth(value: number) { this.views.u32[(this.base + 120) >>> 2] = value; }
  /** valid ask levels, best first */
  get askDepth(): number { return this.views.u32[(this.base + 124) >>> 2]!; }
  set askDepth(value: number) { this.views.u32[(this.base + 124) >>> 2] = value; }
  /** venue the book comes from, e.g. sim or binance */
  get venue(): string { return this.views.readText(this.base + 128, 16); }
  set venue(value: string) { this.views.writeText(this.base + 128, 16, value, 'SymbolSlot.venue'); }
  /** price increment */
  get tickSize(): number { return this.views.f64[(this.base + 144) >>> 3]!; }
  set tickSize(value: number) { this.views.f64[(this.base + 144) >>> 3] = value; }
  /** size increment */
  get lotSize(): number { return this.views.f64[(this.base + 152) >>> 3]!; }
  set lotSize(value: number) { this.views.f64[(this.base + 152) >>> 3] = value; }
}

/** Byte offsets of Level's fields. */
export const LevelOffsets = {
  price: 0,
  volume: 8,
} as const;

/** one price level. Point it with `at(byteOffset)`; one view can walk many structs. */
export class LevelView {
  static readonly size = 16;
  base = 0;
  constructor(readonly views: SegmentViews) {}
  at(byteOffset: number): this {
    this.base = byteOffset;
    return this;
  }
  /** level price */
  get price(): number { return this.views.f64[(this.base + 0) >>> 3]!; }
  set price(value: number) { this.views.f64[(this.base + 0) >>> 3] = value; }
  /** volume at the price */
  get volume(): number { return this.views.f64[(this.base + 8) >>> 3]!; }
  set volume(value: number) { this.views.f64[(this.base + 8) >>> 3] = value; }
}

/** Byte offsets of SignalRingControl's fields. */
export const SignalRingControlOffsets = {
  tail: 0,
  next_client_order_id: 8,
  head: 64,
  abandoned: 72,
  consumer_sleeping: 80,
  consumer_wake: 84,
  report_waiters: 88,
} as const;

/** cursors of the signal ring; producers and the consumer on separate cache lines. Point it with `at(byteOffset)`; one view can walk many structs. */
export class SignalRingControlView {
  static readonly size = 256;
  base = 0;
  constructor(readonly views: SegmentViews) {}
  at(byteOffset: number): this {
    this.base = byteOffset;
    return this;
  }
  /** next position to claim; producers compare-and-swap it */
  get tail(): bigint { return this.views.loadU64Atomic(this.base + 0); }
  set tail(value: bigint) { this.views.storeU64Atomic(this.base + 0, value); }
  get tailIndex(): number { return (this.base + 0) >>> 3; }
  /** fetch-and-add source of client order ids */
  get nextClientOrderId(): bigint { return this.views.loadU64Atomic(this.base + 8); }
  set nextClientOrderId(value: bigint) { this.views.storeU64Atomic(this.base + 8, value); }
  get nextClientOrderIdIndex(): number { return (this.base + 8) >>> 3; }
  /** next position the consumer takes (published for monitoring) */
  get head(): bigint { return this.views.loadU64Atomic(this.base + 64); }
  set head(value: bigint) { this.views.storeU64Atomic(this.base + 64, value); }
  get headIndex(): number { return (this.base + 64) >>> 3; }
  /** slots skipped because their producer never committed */
  get abandoned(): bigint { return this.views.loadU64Atomic(this.base + 72); }
  set abandoned(value: bigint) { this.views.storeU64Atomic(this.base + 72, value); }
  get abandonedIndex(): number { return (this.base + 72) >>> 3; }
  /** 1 while the consumer may sleep in FUTEX_WAIT on consumer_wake */
  get consumerSleeping(): number { return Atomics.load(this.views.u32, (this.base + 80) >>> 2); }
  set consumerSleeping(value: number) { Atomics.store(this.views.u32, (this.base + 80) >>> 2, value); }
  /** Index of consumer_sleeping in the u32 view, for Atomics and futex calls. */
  get consumerSleepingIndex(): number { return (this.base + 80) >>> 2; }
  /** futex word the consumer sleeps on; producers add 1 and wake */
  get consumerWake(): number { return Atomics.load(this.views.u32, (this.base + 84) >>> 2); }
  set consumerWake(value: number) { Atomics.store(this.views.u32, (this.base + 84) >>> 2, value); }
  /** Index of consumer_wake in the u32 view, for Atomics and futex calls. */
  get consumerWakeIndex(): number { return (this.base + 84) >>> 2; }
  /** strategies sleeping on report_control.write_position */
  get reportWaiters(): number { return Atomics.load(this.views.u32, (this.base + 88) >>> 2); }
  set reportWaiters(value: number) { Atomics.store(this.views.u32, (this.base + 88) >>> 2, value); }
  /** Index of report_waiters in the u32 view, for Atomics and futex calls. */
  get reportWaitersIndex(): number { return (this.base + 88) >>> 2; }
}

/** Byte offsets of SignalSlot's fields. */
export const SignalSlotOffsets = {
  seq: 0,
  action: 4,
  order_type: 8,
  time_in_force: 12,
  symbol_index: 16,
  strategy_id: 20,
  client_order_id: 24,
  size: 32,
  price: 40,
  confidence: 48,
  created_ns: 56,
  producer_pid: 64,
  flags: 68,
  target_client_order_id: 72,
} as const;

/** one signal from a strategy; seq is the ring sequence, not a seqlock. Point it with `at(byteOffset)`; one view can walk many structs. */
export class SignalSlotView {
  static readonly size = 128;
  base = 0;
  constructor(readonly views: SegmentViews) {}
  at(byteOffset: number): this {
    this.base = byteOffset;
    return this;
  }
  /** low 32 bits of position while free, position+1 once committed */
  get seq(): number { return Atomics.load(this.views.u32, (this.base + 0) >>> 2); }
  set seq(value: number) { Atomics.store(this.views.u32, (this.base + 0) >>> 2, value); }
  /** Index of seq in the u32 view, for Atomics and futex calls. */
  get seqIndex(): number { return (this.base + 0) >>> 2; }
  /** SignalAction */
  get action(): number { return this.views.u32[(this.base + 4) >>> 2]!; }
  set action(value: number) { this.views.u32[(this.base + 4) >>> 2] = value; }
  /** OrderType */
  get orderType(): number { return this.views.u32[(this.base + 8) >>> 2]!; }
  set orderType(value: number) { this.views.u32[(this.base + 8) >>> 2] = value; }
  /** TimeInForce */
  get timeInForce(): number { return this.views.u32[(this.base + 12) >>> 2]!; }
  set timeInForce(value: number) { this.views.u32[(this.base + 12) >>> 2] = value; }
  /** index of the symbol slot */
  get symbolIndex(): number { return this.views.u32[(this.base + 16) >>> 2]!; }
  set symbolIndex(value: number) { this.views.u32[(this.base + 16) >>> 2] = value; }
  /** the strategy that sent it */
  get strategyId(): number { return this.views.u32[(this.base + 20) >>> 2]!; }
  set strategyId(value: number) { this.views.u32[(this.base + 20) >>> 2] = value; }
  /** id the strategy knows the order by */
  get clientOrderId(): number { return this.views.readU64(this.base + 24); }
  set clientOrderId(value: number) { this.views.writeU64(this.base + 24, value); }
  /** base-currency size, > 0 */
  get size(): number { return this.views.f64[(this.base + 32) >>> 3]!; }
  set size(value: number) { this.views.f64[(this.base + 32) >>> 3] = value; }
  /** limit price; ignored for market orders */
  get price(): number { return this.views.f64[(this.base + 40) >>> 3]!; }
  set price(value: number) { this.views.f64[(this.base + 40) >>> 3] = value; }
  /** 0..1, used by signal fusion */
  get confidence(): number { return this.views.f64[(this.base + 48) >>> 3]!; }
  set confidence(value: number) { this.views.f64[(this.base + 48) >>> 3] = value; }
  /** CLOCK_MONOTONIC ns the producer wrote it */
  get createdNs(): number { return this.views.readU64(this.base + 56); }
  set createdNs(value: number) { this.views.writeU64(this.base + 56, value); }
  /** process id of the producer */
  get producerPid(): number { return this.views.u32[(this.base + 64) >>> 2]!; }
  set producerPid(value: number) { this.views.u32[(this.base + 64) >>> 2] = value; }
  /** reserved, 0 */
  get flags(): number { return this.views.u32[(this.base + 68) >>> 2]!; }
  set flags(value: number) { this.views.u32[(this.base + 68) >>> 2] = value; }
  /** order a CANCEL or MODIFY refers to */
  get targetClientOrderId(): number { return this.views.readU64(this.base + 72); }
  set targetClientOrderId(value: number) { this.views.writeU64(this.base + 72, value); }
}

/** Byte offsets of ReportRingControl's fields. */
export const ReportRingControlOffsets = {
  write_position: 0,
  capacity: 4,
} as const;

/** the engine-written cursor of the report ring. Point it with `at(byteOffset)`; one view can walk many structs. */
export class ReportRingControlView {
  static readonly size = 64;
  base = 0;
  constructor(readonly views: SegmentViews) {}
  at(byteOffset: number): this {
    this.base = byteOffset;
    return this;
  }
  /** reports published so far (wraps); futex word for waiting strategies */
  get writePosition(): number { return Atomics.load(this.views.u32, (this.base + 0) >>> 2); }
  set writePosition(value: number) { Atomics.store(this.views.u32, (this.base + 0) >>> 2, value); }
  /** Index of write_position in the u32 view, for Atomics and futex calls. */
  get writePositionIndex(): number { return (this.base + 0) >>> 2; }
  /** REPORT_CAPACITY */
  get capacity(): number { return this.views.u32[(this.base + 4) >>> 2]!; }
  set capacity(value: number) { this.views.u32[(this.base + 4) >>> 2] = value; }
}

/** Byte offsets of ReportSlot's fields. */
export const ReportSlotOffsets = {
  seq: 0,
  kind: 4,
  position: 8,
  reason: 12,
  client_order_id: 16,
  strategy_id: 24,
  symbol_index: 28,
  signal_position: 32,
  fill_size: 40,
  fill_price: 48,
  cumulative_filled: 56,
  remaining: 64,
  ts_ns: 72,
  order_id: 80,
} as const;

/** one report from the engine to a strategy, under its own seqlock. Point it with `at(byteOffset)`; one view can walk many structs. */
export class ReportSlotView {
  static readonly size = 128;
  base = 0;
  constructor(readonly views: SegmentViews) {}
  at(byteOffset: number): this {
    this.base = byteOffset;
    return this;
  }
  /** seqlock word: odd while the writer is inside, even when stable */
  get seq(): number { return Atomics.load(this.views.u32, (this.base + 0) >>> 2); }
  set seq(value: number) { Atomics.store(this.views.u32, (this.base + 0) >>> 2, value); }
  /** Index of seq in the u32 view, for Atomics and futex calls. */
  get seqIndex(): number { return (this.base + 0) >>> 2; }
  /** ReportKind */
  get kind(): number { return this.views.u32[(this.base + 4) >>> 2]!; }
  set kind(value: number) { this.views.u32[(this.base + 4) >>> 2] = value; }
  /** report position this slot holds; a reader that finds another was lapped */
  get position(): number { return this.views.u32[(this.base + 8) >>> 2]!; }
  set position(value: number) { this.views.u32[(this.base + 8) >>> 2] = value; }
  /** reject reason code, 0 when not rejected */
  get reason(): number { return this.views.u32[(this.base + 12) >>> 2]!; }
  set reason(value: number) { this.views.u32[(this.base + 12) >>> 2] = value; }
  /** the order it reports on */
  get clientOrderId(): number { return this.views.readU64(this.base + 16); }
  set clientOrderId(value: number) { this.views.writeU64(this.base + 16, value); }
  /** the strategy the order belongs to */
  get strategyId(): number { return this.views.u32[(this.base + 24) >>> 2]!; }
  set strategyId(value: number) { this.views.u32[(this.base + 24) >>> 2] = value; }
  /** index of the symbol slot */
  get symbolIndex(): number { return this.views.u32[(this.base + 28) >>> 2]!; }
  set symbolIndex(value: number) { this.views.u32[(this.base + 28) >>> 2] = value; }
  /** signal ring position of the signal it answers */
  get signalPosition(): number { return this.views.readU64(this.base + 32); }
  set signalPosition(value: number) { this.views.writeU64(this.base + 32, value); }
  /** size of this fill, 0 if none */
  get fillSize(): number { return this.views.f64[(this.base + 40) >>> 3]!; }
  set fillSize(value: number) { this.views.f64[(this.base + 40) >>> 3] = value; }
  /** price of this fill */
  get fillPrice(): number { return this.views.f64[(this.base + 48) >>> 3]!; }
  set fillPrice(value: number) { this.views.f64[(this.base + 48) >>> 3] = value; }
  /** filled so far */
  get cumulativeFilled(): number { return this.views.f64[(this.base + 56) >>> 3]!; }
  set cumulativeFilled(value: number) { this.views.f64[(this.base + 56) >>> 3] = value; }
  /** size still working */
  get remaining(): number { return this.views.f64[(this.base + 64) >>> 3]!; }
  set remaining(value: number) { this.views.f64[(this.base + 64) >>> 3] = value; }
  /** CLOCK_MONOTONIC ns the engine wrote it */
  get tsNs(): number { return this.views.readU64(this.base + 72); }
  set tsNs(value: number) { this.views.writeU64(this.base + 72, value); }
  /** engine order id */
  get orderId(): number { return this.views.readU64(this.base + 80); }
  set orderId(value: number) { this.views.writeU64(this.base + 80, value); }
}

/** Byte offsets of PositionSlot's fields. */
export const PositionSlotOffsets = {
  seq: 0,
  flags: 4,
  strategy_id: 8,
  symbol_index: 12,
  size: 16,
  avg_price: 24,
  realized_pnl: 32,
  unrealized_pnl: 40,
  updated_ns: 48,
} as const;

/** position of one strategy in one symbol, under its own seqlock. Point it with `at(byteOffset)`; one view can walk many structs. */
export class PositionSlotView {
  static readonly size = 64;
  base = 0;
  constructor(readonly views: SegmentViews) {}
  at(byteOffset: number): this {
    this.base = byteOffset;
    return this;
  }
  /** seqlock word: odd while the writer is inside, even when stable */
  get seq(): number { return Atomics.load(this.views.u32, (this.base + 0) >>> 2); }
  set seq(value: number) { Atomics.store(this.views.u32, (this.base + 0) >>> 2, value); }
  /** Index of seq in the u32 view, for Atomics and futex calls. */
  get seqIndex(): number { return (this.base + 0) >>> 2; }
  /** 1 when the slot holds a position */
  get flags(): number { return this.views.u32[(this.base + 4) >>> 2]!; }
  set flags(value: number) { this.views.u32[(this.base + 4) >>> 2] = value; }
  /** owner strategy */
  get strategyId(): number { return this.views.u32[(this.base + 8) >>> 2]!; }
  set strategyId(value: number) { this.views.u32[(this.base + 8) >>> 2] = value; }
  /** index of the symbol slot */
  get symbolIndex(): number { return this.views.u32[(this.base + 12) >>> 2]!; }
  set symbolIndex(value: number) { this.views.u32[(this.base + 12) >>> 2] = value; }
  /** signed base size: > 0 long, < 0 short */
  get size(): number { return this.views.f64[(this.base + 16) >>> 3]!; }
  set size(value: number) { this.views.f64[(this.base + 16) >>> 3] = value; }
  /** average entry price */
  get avgPrice(): number { return this.views.f64[(this.base + 24) >>> 3]!; }
  set avgPrice(value: number) { this.views.f64[(this.base + 24) >>> 3] = value; }
  /** realized profit and loss, quote currency */
  get realizedPnl(): number { return this.views.f64[(this.base + 32) >>> 3]!; }
  set realizedPnl(value: number) { this.views.f64[(this.base + 32) >>> 3] = value; }
  /** against the published mid */
  get unrealizedPnl(): number { return this.views.f64[(this.base + 40) >>> 3]!; }
  set unrealizedPnl(value: number) { this.views.f64[(this.base + 40) >>> 3] = value; }
  /** CLOCK_MONOTONIC ns of the last change */
  get updatedNs(): number { return this.views.readU64(this.base + 48); }
  set updatedNs(value: number) { this.views.writeU64(this.base + 48, value); }
}

/** One accessor per struct over the same views. */
export class SegmentAccessors {
  readonly views: SegmentViews;
  readonly header: HeaderView;
  readonly symbolSlot: SymbolSlotView;
  readonly level: LevelView;
  readonly signalRingControl: SignalRingControlView;
  readonly signalSlot: SignalSlotView;
  readonly reportRingControl: ReportRingControlView;
  readonly reportSlot: ReportSlotView;
  readonly positionSlot: PositionSlotView;
  constructor(buffer: ArrayBuffer) {
    this.views = new SegmentViews(buffer);
    this.header = new HeaderView(this.views);
    this.symbolSlot = new SymbolSlotView(this.views);
    this.level = new LevelView(this.views);
    this.signalRingControl = new SignalRingControlView(this.views);
    this.signalSlot = new SignalSlotView(this.views);
    this.reportRingControl = new ReportRingControlView(this.views);
    this.reportSlot = new ReportSlotView(this.views);
    this.positionSlot = new PositionSlotView(this.views);
  }
}
