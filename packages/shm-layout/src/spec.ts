/**
 * Layout v1 of the cwts shared-memory segment: the one declarative spec.
 *
 * Every offset, size, enum value and constant that TS, C and Python use is derived from
 * this file by `computeLayout` and the generators under `generate/`. Nothing else in the
 * repository writes an offset by hand. Changing anything here changes the layout hash, so
 * readers built from an older spec refuse to attach instead of misreading.
 */

/** A field's machine type; all little-endian, naturally aligned. */
export type ScalarType = 'u8' | 'u32' | 'i32' | 'u64' | 'f64';

export interface FieldSpec {
  readonly name: string;
  readonly type: ScalarType;
  /** Array length: `char[32]` is `{ type: 'u8', length: 32, text: true }`. */
  readonly length?: number;
  /** A NUL-padded UTF-8 string stored in a u8 array. */
  readonly text?: boolean;
  /** Written with one atomic store outside any seqlock (header words, ring cursors). */
  readonly atomic?: boolean;
  /** Padding that keeps contended words on separate cache lines; never read. */
  readonly padding?: boolean;
  readonly doc: string;
}

export interface StructSpec {
  readonly name: string;
  /** Declared size; the generators pad the tail and assert the sum. */
  readonly size: number;
  readonly doc: string;
  readonly fields: readonly FieldSpec[];
}

/** Who may write a region: strategies map `engine` regions read-only. */
export type RegionAccess = 'engine' | 'shared';

export interface RegionSpec {
  readonly name: string;
  readonly struct: string;
  /** Array dimensions, outermost first: bids are `[symbols, depth]`. */
  readonly dims: readonly number[];
  readonly access: RegionAccess;
  readonly doc: string;
}

export interface EnumSpec {
  readonly name: string;
  /** `flags` enums are bit masks that combine; the others are exclusive values. */
  readonly kind: 'values' | 'flags';
  readonly doc: string;
  readonly members: readonly { readonly name: string; readonly value: number; readonly doc: string }[];
}

export interface LayoutSpec {
  readonly name: string;
  /** Eight ASCII bytes at offset 0, read as a little-endian u64. */
  readonly magic: string;
  readonly version: number;
  readonly pageSize: number;
  readonly constants: readonly { readonly name: string; readonly value: number; readonly doc: string }[];
  readonly enums: readonly EnumSpec[];
  readonly structs: readonly StructSpec[];
  readonly regions: readonly RegionSpec[];
}

const MAX_SYMBOLS = 100;
const BOOK_DEPTH = 50;
const SIGNAL_CAPACITY = 1000;
/** A power of two so that a u32 write position indexes slots across its wrap-around. */
const REPORT_CAPACITY = 2048;
const MAX_STRATEGIES = 16;

const f64 = (name: string, doc: string): FieldSpec => ({ name, type: 'f64', doc });
const u32 = (name: string, doc: string): FieldSpec => ({ name, type: 'u32', doc });
const u64 = (name: string, doc: string): FieldSpec => ({ name, type: 'u64', doc });
const text = (name: string, length: number, doc: string): FieldSpec => ({ name, type: 'u8', length, text: true, doc });
const pad = (name: string, length: number): FieldSpec => ({ name, type: 'u8', length, padding: true, doc: 'cache-line padding' });
const seq: FieldSpec = { ...u32('seq', 'seqlock word: odd while the writer is inside, even when stable'), atomic: true };

export const layoutSpec: LayoutSpec = {
  name: 'cwts',
  magic: 'CWTS-SHM',
  version: 1,
  pageSize: 4096,
  constants: [
    { name: 'MAX_SYMBOLS', value: MAX_SYMBOLS, doc: 'symbol slots in the segment' },
    { name: 'BOOK_DEPTH', value: BOOK_DEPTH, doc: 'levels per side per symbol' },
    { name: 'SIGNAL_CAPACITY', value: SIGNAL_CAPACITY, doc: 'slots in the signal ring' },
    { name: 'REPORT_CAPACITY', value: REPORT_CAPACITY, doc: 'slots in the report ring (power of two)' },
    { name: 'MAX_STRATEGIES', value: MAX_STRATEGIES, doc: 'strategy rows in the positions region' },
    { name: 'SYMBOL_NAME_BYTES', value: 32, doc: 'bytes of a symbol name, NUL-padded UTF-8' },
  ],
  enums: [
    {
      name: 'HeaderFlag', kind: 'flags', doc: 'bits of header.flags',
      members: [
        { name: 'ENGINE_ALIVE', value: 1, doc: 'the engine is running and beating' },
        { name: 'KILL_ENGAGED', value: 2, doc: 'the kill switch is engaged: strategies must not submit' },
        { name: 'STOPPED_CLEANLY', value: 4, doc: 'the engine stopped on purpose (not a crash)' },
        { name: 'BREAKER_TRIPPED', value: 8, doc: 'a circuit breaker is tripped (until its reset)' },
      ],
    },
    {
      name: 'ControlMode', kind: 'values', doc: 'the engine control mode in header.control_mode',
      members: [
        { name: 'MANUAL', value: 0, doc: 'every order needs an operator' },
        { name: 'SEMI_AUTO', value: 1, doc: 'orders wait in an approval queue' },
        { name: 'FULL_AUTO', value: 2, doc: 'orders flow through risk unattended' },
        { name: 'EMERGENCY', value: 3, doc: 'reduce-only; new exposure rejected' },
      ],
    },
    {
      name: 'SymbolStatus', kind: 'flags', doc: 'bits of symbol.status, written inside the seqlock',
      members: [
        { name: 'ACTIVE', value: 1, doc: 'the slot holds a symbol' },
        { name: 'STALE', value: 2, doc: 'no update within the configured time' },
        { name: 'CROSSED', value: 4, doc: 'best bid at or above best ask' },
        { name: 'HALTED', value: 8, doc: 'trading halted by the venue or the engine' },
        { name: 'OUTLIER', value: 16, doc: 'last price outside the rolling band' },
        { name: 'SEQUENCE_GAP', value: 32, doc: 'a feed sequence gap since the last snapshot' },
      ],
    },
    {
      name: 'SignalAction', kind: 'values', doc: 'what a signal asks for',
      members: [
        { name: 'HOLD', value: 0, doc: 'no order; an intent for the record' },
        { name: 'BUY', value: 1, doc: 'new buy order' },
        { name: 'SELL', value: 2, doc: 'new sell order' },
        { name: 'CANCEL', value: 3, doc: 'cancel target_client_order_id' },
        { name: 'MODIFY', value: 4, doc: 'change price and size of target_client_order_id' },
      ],
    },
    {
      name: 'OrderType', kind: 'values', doc: 'how an order prices',
      members: [
        { name: 'LIMIT', value: 0, doc: 'rests at its price' },
        { name: 'MARKET', value: 1, doc: 'takes liquidity at any price' },
      ],
    },
    {
      name: 'TimeInForce', kind: 'values', doc: 'how long an order lives',
      members: [
        { name: 'GTC', value: 0, doc: 'good till cancelled' },
        { name: 'IOC', value: 1, doc: 'immediate or cancel: the rest is cancelled' },
        { name: 'FOK', value: 2, doc: 'fill or kill: all at once or nothing' },
        { name: 'POST_ONLY', value: 3, doc: 'rejected if it would take liquidity' },
      ],
    },
    {
      name: 'ReportKind', kind: 'values', doc: 'what a report says; FILLED and later are terminal',
      members: [
        { name: 'ACCEPTED', value: 1, doc: 'passed risk, working at the venue' },
        { name: 'PARTIALLY_FILLED', value: 2, doc: 'a fill that leaves a remainder' },
        { name: 'FILLED', value: 3, doc: 'terminal: completely filled' },
        { name: 'CANCELLED', value: 4, doc: 'terminal: cancelled (by request, IOC rest, or kill)' },
        { name: 'REJECTED', value: 5, doc: 'terminal: refused; reason says why' },
        { name: 'EXPIRED', value: 6, doc: 'terminal: its time ran out' },
        { name: 'MODIFIED', value: 7, doc: 'a modify took effect' },
      ],
    },
    {
      name: 'RejectReason', kind: 'values', doc: 'why a signal was rejected: ReportSlot.reason of a REJECTED report',
      members: [
        { name: 'NONE', value: 0, doc: 'not rejected' },
        { name: 'INVALID_SIZE', value: 1, doc: 'size is NaN, infinite, zero or negative' },
        { name: 'INVALID_PRICE', value: 2, doc: 'a limit price that is NaN, infinite, zero or negative' },
        { name: 'UNKNOWN_SYMBOL', value: 3, doc: 'symbol_index names no active symbol' },
        { name: 'UNKNOWN_ACTION', value: 4, doc: 'action is not a SignalAction' },
        { name: 'UNKNOWN_ORDER_TYPE', value: 5, doc: 'order_type is not an OrderType' },
        { name: 'UNKNOWN_TIME_IN_FORCE', value: 6, doc: 'time_in_force is not a TimeInForce, or POST_ONLY on a market order' },
        { name: 'DUPLICATE_CLIENT_ORDER_ID', value: 7, doc: 'the strategy already used this client order id' },
        { name: 'UNKNOWN_ORDER', value: 8, doc: 'CANCEL or MODIFY of an order that is not working' },
        { name: 'PRICE_OFF_TICK', value: 9, doc: 'the price is not a multiple of the tick size' },
        { name: 'SIZE_OFF_LOT', value: 10, doc: 'the size is not a multiple of the lot size' },
        { name: 'POST_ONLY_WOULD_CROSS', value: 11, doc: 'a post-only order would have taken liquidity' },
        { name: 'FILL_OR_KILL_UNFILLED', value: 12, doc: 'not enough liquidity to fill a FOK order at once' },
        { name: 'NO_LIQUIDITY', value: 13, doc: 'a market order found nothing to take' },
        { name: 'SELF_TRADE', value: 14, doc: 'it would have traded with its own strategy' },
        { name: 'NO_MARKET_DATA', value: 15, doc: 'the symbol has no fresh book to trade against' },
        { name: 'INVALID_FIELD', value: 16, doc: 'a reserved field is not 0, or confidence is outside 0..1' },
        { name: 'KILL_ENGAGED', value: 17, doc: 'the kill switch is engaged' },
        { name: 'HOLD', value: 18, doc: 'a HOLD signal: recorded, never an order' },
        { name: 'VENUE_REJECTED', value: 19, doc: 'the live venue refused it (its message is in the engine log and audit)' },
        { name: 'ENGINE_STOPPED', value: 20, doc: 'the engine stopped, or crashed, while the order worked on the simulated venue, whose orders end with it (after a crash: answered at the next start)' },
        { name: 'RISK_NOT_CONFIGURED', value: 100, doc: 'risk: no limits configured for this strategy or the account; nothing is unlimited' },
        { name: 'RISK_MAX_ORDER_SIZE', value: 101, doc: 'risk: the size is above the strategy maximum' },
        { name: 'RISK_MAX_ORDER_VALUE', value: 102, doc: 'risk: size times price is above the strategy maximum' },
        { name: 'RISK_CREDIT_LIMIT', value: 103, doc: 'risk: positions plus working orders would exceed the strategy or account credit limit' },
        { name: 'RISK_PRICE_COLLAR', value: 104, doc: 'risk: the limit price is outside the band around the reference price' },
        { name: 'RISK_RATE_LIMIT', value: 105, doc: 'risk: more new orders per second than the strategy may send' },
        { name: 'RISK_DUPLICATE_ORDER', value: 106, doc: 'risk: the same order (side, symbol, size, price) again within the duplicate window' },
        { name: 'RISK_RESTRICTED_SYMBOL', value: 107, doc: 'risk: the symbol is on the restricted list' },
        { name: 'RISK_STRATEGY_DISABLED', value: 108, doc: 'risk: the repeated-execution throttle disabled the strategy; an operator must re-enable it' },
        { name: 'MODE_MANUAL', value: 110, doc: 'the engine is in MANUAL mode: strategies place no orders' },
        { name: 'MODE_EMERGENCY', value: 111, doc: 'the engine is in EMERGENCY mode: only orders that reduce a position' },
        { name: 'APPROVAL_REJECTED', value: 112, doc: 'SEMI_AUTO: the operator rejected the order' },
        { name: 'APPROVAL_TIMEOUT', value: 113, doc: 'SEMI_AUTO: no operator approved the order in time' },
      ],
    },
  ],
  structs: [
    {
      name: 'Header', size: 64, doc: 'segment identity and engine liveness; each word written atomically',
      fields: [
        { ...u64('magic', 'the ASCII bytes "CWTS-SHM"'), atomic: true },
        u32('layout_version', 'layout version of the spec that wrote the segment'),
        { ...u32('flags', 'HeaderFlag bits'), atomic: true },
        { ...u64('layout_hash', 'first 8 bytes of SHA-256 over the canonical spec'), atomic: true },
        u64('total_size', 'segment size in bytes'),
        { ...u64('heartbeat_ns', 'CLOCK_MONOTONIC ns of the last engine beat'), atomic: true },
        u64('created_ns', 'CLOCK_REALTIME ns when the segment was created'),
        { ...u32('engine_pid', 'process id of the engine'), atomic: true },
        { ...u32('symbol_count', 'symbol slots in use, from index 0'), atomic: true },
        { ...u32('control_mode', 'ControlMode value'), atomic: true },
      ],
    },
    {
      name: 'SymbolSlot', size: 512, doc: 'top of book and stats of one symbol, covered by seq with its levels',
      fields: [
        seq,
        u32('status', 'SymbolStatus bits'),
        text('name', 32, 'symbol as the strategies name it, e.g. BTC/USDT'),
        f64('bid', 'best bid price'),
        f64('ask', 'best ask price'),
        f64('bid_volume', 'volume at the best bid'),
        f64('ask_volume', 'volume at the best ask'),
        f64('last', 'last trade price'),
        f64('volume_24h', 'traded volume over 24 h, base currency'),
        u64('exchange_ts_ns', 'CLOCK_REALTIME ns the venue stamped on the update'),
        u64('receive_ts_ns', 'CLOCK_MONOTONIC ns the engine received it'),
        u64('publish_ts_ns', 'CLOCK_MONOTONIC ns the engine published it'),
        u64('update_count', 'updates published for this symbol'),
        u32('bid_depth', 'valid bid levels, best first'),
        u32('ask_depth', 'valid ask levels, best first'),
        text('venue', 16, 'venue the book comes from, e.g. sim or binance'),
        f64('tick_size', 'price increment'),
        f64('lot_size', 'size increment'),
      ],
    },
    {
      name: 'Level', size: 16, doc: 'one price level',
      fields: [f64('price', 'level price'), f64('volume', 'volume at the price')],
    },
    {
      name: 'SignalRingControl', size: 256, doc: 'cursors of the signal ring; producers and the consumer on separate cache lines',
      fields: [
        { ...u64('tail', 'next position to claim; producers compare-and-swap it'), atomic: true },
        { ...u64('next_client_order_id', 'fetch-and-add source of client order ids'), atomic: true },
        pad('_pad0', 48),
        { ...u64('head', 'next position the consumer takes (published for monitoring)'), atomic: true },
        { ...u64('abandoned', 'slots skipped because their producer never committed'), atomic: true },
        { ...u32('consumer_sleeping', '1 while the consumer may sleep in FUTEX_WAIT on consumer_wake'), atomic: true },
        { ...u32('consumer_wake', 'futex word the consumer sleeps on; producers add 1 and wake'), atomic: true },
        { ...u32('report_waiters', 'strategies sleeping on report_control.write_position'), atomic: true },
        pad('_pad1', 36),
      ],
    },
    {
      name: 'SignalSlot', size: 128, doc: 'one signal from a strategy; seq is the ring sequence, not a seqlock',
      fields: [
        { ...u32('seq', 'low 32 bits of position while free, position+1 once committed'), atomic: true },
        u32('action', 'SignalAction'),
        u32('order_type', 'OrderType'),
        u32('time_in_force', 'TimeInForce'),
        u32('symbol_index', 'index of the symbol slot'),
        u32('strategy_id', 'the strategy that sent it'),
        u64('client_order_id', 'id the strategy knows the order by'),
        f64('size', 'base-currency size, > 0'),
        f64('price', 'limit price; ignored for market orders'),
        f64('confidence', '0..1, used by signal fusion'),
        u64('created_ns', 'CLOCK_MONOTONIC ns the producer wrote it'),
        u32('producer_pid', 'process id of the producer'),
        u32('flags', 'reserved, 0'),
        u64('target_client_order_id', 'order a CANCEL or MODIFY refers to'),
      ],
    },
    {
      name: 'ReportRingControl', size: 64, doc: 'the engine-written cursor of the report ring',
      fields: [
        { ...u32('write_position', 'reports published so far (wraps); futex word for waiting strategies'), atomic: true },
        u32('capacity', 'REPORT_CAPACITY'),
      ],
    },
    {
      name: 'ReportSlot', size: 128, doc: 'one report from the engine to a strategy, under its own seqlock',
      fields: [
        seq,
        u32('kind', 'ReportKind'),
        u32('position', 'report position this slot holds; a reader that finds another was lapped'),
        u32('reason', 'reject reason code, 0 when not rejected'),
        u64('client_order_id', 'the order it reports on'),
        u32('strategy_id', 'the strategy the order belongs to'),
        u32('symbol_index', 'index of the symbol slot'),
        u64('signal_position', 'signal ring position of the signal it answers'),
        f64('fill_size', 'size of this fill, 0 if none'),
        f64('fill_price', 'price of this fill'),
        f64('cumulative_filled', 'filled so far'),
        f64('remaining', 'size still working'),
        u64('ts_ns', 'CLOCK_MONOTONIC ns the engine wrote it'),
        u64('order_id', 'engine order id'),
      ],
    },
    {
      name: 'PositionSlot', size: 64, doc: 'position of one strategy in one symbol, under its own seqlock',
      fields: [
        seq,
        u32('flags', '1 when the slot holds a position'),
        u32('strategy_id', 'owner strategy'),
        u32('symbol_index', 'index of the symbol slot'),
        f64('size', 'signed base size: > 0 long, < 0 short'),
        f64('avg_price', 'average entry price'),
        f64('realized_pnl', 'realized profit and loss, quote currency'),
        f64('unrealized_pnl', 'against the published mid'),
        u64('updated_ns', 'CLOCK_MONOTONIC ns of the last change'),
      ],
    },
  ],
  // Engine-written regions first, then the strategy-writable ones, so that a strategy
  // maps everything before `signal_control` read-only and the rest read-write.
  regions: [
    { name: 'header', struct: 'Header', dims: [1], access: 'engine', doc: 'identity, flags, liveness' },
    { name: 'symbols', struct: 'SymbolSlot', dims: [MAX_SYMBOLS], access: 'engine', doc: 'one slot per symbol' },
    { name: 'bids', struct: 'Level', dims: [MAX_SYMBOLS, BOOK_DEPTH], access: 'engine', doc: 'bid levels, best first, under the symbol seqlock' },
    { name: 'asks', struct: 'Level', dims: [MAX_SYMBOLS, BOOK_DEPTH], access: 'engine', doc: 'ask levels, best first, under the symbol seqlock' },
    { name: 'report_control', struct: 'ReportRingControl', dims: [1], access: 'engine', doc: 'report ring cursor' },
    { name: 'reports', struct: 'ReportSlot', dims: [REPORT_CAPACITY], access: 'engine', doc: 'engine-to-strategy reports, broadcast' },
    { name: 'positions', struct: 'PositionSlot', dims: [MAX_STRATEGIES, MAX_SYMBOLS], access: 'engine', doc: 'positions per strategy row and symbol' },
    { name: 'signal_control', struct: 'SignalRingControl', dims: [1], access: 'shared', doc: 'signal ring cursors and wake words' },
    { name: 'signals', struct: 'SignalSlot', dims: [SIGNAL_CAPACITY], access: 'shared', doc: 'strategy-to-engine signals, many producers, one consumer' },
  ],
};
