/* Generated from packages/shm-layout/src/spec.ts by `npm run generate`. Do not edit. */
#ifndef CWTS_SHM_H
#define CWTS_SHM_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#define CWTS_MAGIC UINT64_C(0x4d48532d53545743) /* "CWTS-SHM" little-endian */
#define CWTS_LAYOUT_VERSION 1u
#define CWTS_LAYOUT_HASH UINT64_C(0x9cd46bba6062f655)
#define CWTS_PAGE_SIZE 4096u
#define CWTS_SEGMENT_SIZE 724992u
#define CWTS_SHARED_OFFSET 589824u /* strategies map [0, this) read-only */
#define CWTS_MAX_SYMBOLS 100u /* symbol slots in the segment */
#define CWTS_BOOK_DEPTH 50u /* levels per side per symbol */
#define CWTS_SIGNAL_CAPACITY 1000u /* slots in the signal ring */
#define CWTS_REPORT_CAPACITY 2048u /* slots in the report ring (power of two) */
#define CWTS_MAX_STRATEGIES 16u /* strategy rows in the positions region */
#define CWTS_SYMBOL_NAME_BYTES 32u /* bytes of a symbol name, NUL-padded UTF-8 */

#define CWTS_HEADER_OFFSET 0u
#define CWTS_HEADER_STRIDE 64u
#define CWTS_SYMBOLS_OFFSET 4096u
#define CWTS_SYMBOLS_STRIDE 512u
#define CWTS_BIDS_OFFSET 57344u
#define CWTS_BIDS_STRIDE 16u
#define CWTS_ASKS_OFFSET 139264u
#define CWTS_ASKS_STRIDE 16u
#define CWTS_REPORT_CONTROL_OFFSET 221184u
#define CWTS_REPORT_CONTROL_STRIDE 64u
#define CWTS_REPORTS_OFFSET 225280u
#define CWTS_REPORTS_STRIDE 128u
#define CWTS_POSITIONS_OFFSET 487424u
#define CWTS_POSITIONS_STRIDE 64u
#define CWTS_SIGNAL_CONTROL_OFFSET 589824u
#define CWTS_SIGNAL_CONTROL_STRIDE 256u
#define CWTS_SIGNALS_OFFSET 593920u
#define CWTS_SIGNALS_STRIDE 128u

/* bits of header.flags */
enum cwts_header_flag {
  CWTS_HEADER_FLAG_ENGINE_ALIVE = 1, /* the engine is running and beating */
  CWTS_HEADER_FLAG_KILL_ENGAGED = 2, /* the kill switch is engaged: strategies must not submit */
  CWTS_HEADER_FLAG_STOPPED_CLEANLY = 4, /* the engine stopped on purpose (not a crash) */
  CWTS_HEADER_FLAG_BREAKER_TRIPPED = 8, /* a circuit breaker is tripped (until its reset) */
};

/* the engine control mode in header.control_mode */
enum cwts_control_mode {
  CWTS_CONTROL_MODE_MANUAL = 0, /* every order needs an operator */
  CWTS_CONTROL_MODE_SEMI_AUTO = 1, /* orders wait in an approval queue */
  CWTS_CONTROL_MODE_FULL_AUTO = 2, /* orders flow through risk unattended */
  CWTS_CONTROL_MODE_EMERGENCY = 3, /* reduce-only; new exposure rejected */
};

/* bits of symbol.status, written inside the seqlock */
enum cwts_symbol_status {
  CWTS_SYMBOL_STATUS_ACTIVE = 1, /* the slot holds a symbol */
  CWTS_SYMBOL_STATUS_STALE = 2, /* no update within the configured time */
  CWTS_SYMBOL_STATUS_CROSSED = 4, /* best bid at or above best ask */
  CWTS_SYMBOL_STATUS_HALTED = 8, /* trading halted by the venue or the engine */
  CWTS_SYMBOL_STATUS_OUTLIER = 16, /* last price outside the rolling band */
  CWTS_SYMBOL_STATUS_SEQUENCE_GAP = 32, /* a feed sequence gap since the last snapshot */
};

/* what a signal asks for */
enum cwts_signal_action {
  CWTS_SIGNAL_ACTION_HOLD = 0, /* no order; an intent for the record */
  CWTS_SIGNAL_ACTION_BUY = 1, /* new buy order */
  CWTS_SIGNAL_ACTION_SELL = 2, /* new sell order */
  CWTS_SIGNAL_ACTION_CANCEL = 3, /* cancel target_client_order_id */
  CWTS_SIGNAL_ACTION_MODIFY = 4, /* change price and size of target_client_order_id */
};

/* how an order prices */
enum cwts_order_type {
  CWTS_ORDER_TYPE_LIMIT = 0, /* rests at its price */
  CWTS_ORDER_TYPE_MARKET = 1, /* takes liquidity at any price */
};

/* how long an order lives */
enum cwts_time_in_force {
  CWTS_TIME_IN_FORCE_GTC = 0, /* good till cancelled */
  CWTS_TIME_IN_FORCE_IOC = 1, /* immediate or cancel: the rest is cancelled */
  CWTS_TIME_IN_FORCE_FOK = 2, /* fill or kill: all at once or nothing */
  CWTS_TIME_IN_FORCE_POST_ONLY = 3, /* rejected if it would take liquidity */
};

/* what a report says; FILLED and later are terminal */
enum cwts_report_kind {
  CWTS_REPORT_KIND_ACCEPTED = 1, /* passed risk, working at the venue */
  CWTS_REPORT_KIND_PARTIALLY_FILLED = 2, /* a fill that leaves a remainder */
  CWTS_REPORT_KIND_FILLED = 3, /* terminal: completely filled */
  CWTS_REPORT_KIND_CANCELLED = 4, /* terminal: cancelled (by request, IOC rest, or kill) */
  CWTS_REPORT_KIND_REJECTED = 5, /* terminal: refused; reason says why */
  CWTS_REPORT_KIND_EXPIRED = 6, /* terminal: its time ran out */
  CWTS_REPORT_KIND_MODIFIED = 7, /* a modify took effect */
};

/* why a signal was rejected: ReportSlot.reason of a REJECTED report */
enum cwts_reject_reason {
  CWTS_REJECT_REASON_NONE = 0, /* not rejected */
  CWTS_REJECT_REASON_INVALID_SIZE = 1, /* size is NaN, infinite, zero or negative */
  CWTS_REJECT_REASON_INVALID_PRICE = 2, /* a limit price that is NaN, infinite, zero or negative */
  CWTS_REJECT_REASON_UNKNOWN_SYMBOL = 3, /* symbol_index names no active symbol */
  CWTS_REJECT_REASON_UNKNOWN_ACTION = 4, /* action is not a SignalAction */
  CWTS_REJECT_REASON_UNKNOWN_ORDER_TYPE = 5, /* order_type is not an OrderType */
  CWTS_REJECT_REASON_UNKNOWN_TIME_IN_FORCE = 6, /* time_in_force is not a TimeInForce, or POST_ONLY on a market order */
  CWTS_REJECT_REASON_DUPLICATE_CLIENT_ORDER_ID = 7, /* the strategy already used this client order id */
  CWTS_REJECT_REASON_UNKNOWN_ORDER = 8, /* CANCEL or MODIFY of an order that is not working */
  CWTS_REJECT_REASON_PRICE_OFF_TICK = 9, /* the price is not a multiple of the tick size */
  CWTS_REJECT_REASON_SIZE_OFF_LOT = 10, /* the size is not a multiple of the lot size */
  CWTS_REJECT_REASON_POST_ONLY_WOULD_CROSS = 11, /* a post-only order would have taken liquidity */
  CWTS_REJECT_REASON_FILL_OR_KILL_UNFILLED = 12, /* not enough liquidity to fill a FOK order at once */
  CWTS_REJECT_REASON_NO_LIQUIDITY = 13, /* a market order found nothing to take */
  CWTS_REJECT_REASON_SELF_TRADE = 14, /* it would have traded with its own strategy */
  CWTS_REJECT_REASON_NO_MARKET_DATA = 15, /* the symbol has no fresh book to trade against */
  CWTS_REJECT_REASON_INVALID_FIELD = 16, /* a reserved field is not 0, or confidence is outside 0..1 */
  CWTS_REJECT_REASON_KILL_ENGAGED = 17, /* the kill switch is engaged */
  CWTS_REJECT_REASON_HOLD = 18, /* a HOLD signal: recorded, never an order */
  CWTS_REJECT_REASON_VENUE_REJECTED = 19, /* the live venue refused it (its message is in the engine log and audit) */
  CWTS_REJECT_REASON_ENGINE_STOPPED = 20, /* the engine stopped, or crashed, while the order worked on the simulated venue, whose orders end with it (after a crash: answered at the next start) */
  CWTS_REJECT_REASON_RISK_NOT_CONFIGURED = 100, /* risk: no limits configured for this strategy or the account; nothing is unlimited */
  CWTS_REJECT_REASON_RISK_MAX_ORDER_SIZE = 101, /* risk: the size is above the strategy maximum */
  CWTS_REJECT_REASON_RISK_MAX_ORDER_VALUE = 102, /* risk: size times price is above the strategy maximum */
  CWTS_REJECT_REASON_RISK_CREDIT_LIMIT = 103, /* risk: positions plus working orders would exceed the strategy or account credit limit */
  CWTS_REJECT_REASON_RISK_PRICE_COLLAR = 104, /* risk: the limit price is outside the band around the reference price */
  CWTS_REJECT_REASON_RISK_RATE_LIMIT = 105, /* risk: more new orders per second than the strategy may send */
  CWTS_REJECT_REASON_RISK_DUPLICATE_ORDER = 106, /* risk: the same order (side, symbol, size, price) again within the duplicate window */
  CWTS_REJECT_REASON_RISK_RESTRICTED_SYMBOL = 107, /* risk: the symbol is on the restricted list */
  CWTS_REJECT_REASON_RISK_STRATEGY_DISABLED = 108, /* risk: the repeated-execution throttle disabled the strategy; an operator must re-enable it */
  CWTS_REJECT_REASON_MODE_MANUAL = 110, /* the engine is in MANUAL mode: strategies place no orders */
  CWTS_REJECT_REASON_MODE_EMERGENCY = 111, /* the engine is in EMERGENCY mode: only orders that reduce a position */
  CWTS_REJECT_REASON_APPROVAL_REJECTED = 112, /* SEMI_AUTO: the operator rejected the order */
  CWTS_REJECT_REASON_APPROVAL_TIMEOUT = 113, /* SEMI_AUTO: no operator approved the order in time */
};

/* segment identity and engine liveness; each word written atomically */
typedef struct cwts_header {
  uint64_t magic; /* @0: the ASCII bytes "CWTS-SHM" */
  uint32_t layout_version; /* @8: layout version of the spec that wrote the segment */
  uint32_t flags; /* @12: HeaderFlag bits */
  uint64_t layout_hash; /* @16: first 8 bytes of SHA-256 over the canonical spec */
  uint64_t total_size; /* @24: segment size in bytes */
  uint64_t heartbeat_ns; /* @32: CLOCK_MONOTONIC ns of the last engine beat */
  uint64_t created_ns; /* @40: CLOCK_REALTIME ns when the segment was created */
  uint32_t engine_pid; /* @48: process id of the engine */
  uint32_t symbol_count; /* @52: symbol slots in use, from index 0 */
  uint32_t control_mode; /* @56: ControlMode value */
  uint8_t _tail[4];
} cwts_header_t;
static_assert(sizeof(cwts_header_t) == 64, "Header size");
static_assert(offsetof(cwts_header_t, magic) == 0, "Header.magic offset");
static_assert(offsetof(cwts_header_t, layout_version) == 8, "Header.layout_version offset");
static_assert(offsetof(cwts_header_t, flags) == 12, "Header.flags offset");
static_assert(offsetof(cwts_header_t, layout_hash) == 16, "Header.layout_hash offset");
static_assert(offsetof(cwts_header_t, total_size) == 24, "Header.total_size offset");
static_assert(offsetof(cwts_header_t, heartbeat_ns) == 32, "Header.heartbeat_ns offset");
static_assert(offsetof(cwts_header_t, created_ns) == 40, "Header.created_ns offset");
static_assert(offsetof(cwts_header_t, engine_pid) == 48, "Header.engine_pid offset");
static_assert(offsetof(cwts_header_t, symbol_count) == 52, "Header.symbol_count offset");
static_assert(offsetof(cwts_header_t, control_mode) == 56, "Header.control_mode offset");

/* top of book and stats of one symbol, covered by seq with its levels */
typedef struct cwts_symbol_slot {
  uint32_t seq; /* @0: seqlock word: odd while the writer is inside, even when stable */
  uint32_t status; /* @4: SymbolStatus bits */
  char name[32]; /* @8: symbol as the strategies name it, e.g. BTC/USDT */
  double bid; /* @40: best bid price */
  double ask; /* @48: best ask price */
  double bid_volume; /* @56: volume at the best bid */
  double ask_volume; /* @64: volume at the best ask */
  double last; /* @72: last trade price */
  double volume_24h; /* @80: traded volume over 24 h, base currency */
  uint64_t exchange_ts_ns; /* @88: CLOCK_REALTIME ns the venue stamped on the update */
  uint64_t receive_ts_ns; /* @96: CLOCK_MONOTONIC ns the engine received it */
  uint64_t publish_ts_ns; /* @104: CLOCK_MONOTONIC ns the engine published it */
  uint64_t update_count; /* @112: updates published for this symbol */
  uint32_t bid_depth; /* @120: valid bid levels, best first */
  uint32_t ask_depth; /* @124: valid ask levels, best first */
  char venue[16]; /* @128: venue the book comes from, e.g. sim or binance */
  double tick_size; /* @144: price increment */
  double lot_size; /* @152: size increment */
  uint8_t _tail[352];
} cwts_symbol_slot_t;
static_assert(sizeof(cwts_symbol_slot_t) == 512, "SymbolSlot size");
static_assert(offsetof(cwts_symbol_slot_t, seq) == 0, "SymbolSlot.seq offset");
static_assert(offsetof(cwts_symbol_slot_t, status) == 4, "SymbolSlot.status offset");
static_assert(offsetof(cwts_symbol_slot_t, name) == 8, "SymbolSlot.name offset");
static_assert(offsetof(cwts_symbol_slot_t, bid) == 40, "SymbolSlot.bid offset");
static_assert(offsetof(cwts_symbol_slot_t, ask) == 48, "SymbolSlot.ask offset");
static_assert(offsetof(cwts_symbol_slot_t, bid_volume) == 56, "SymbolSlot.bid_volume offset");
static_assert(offsetof(cwts_symbol_slot_t, ask_volume) == 64, "SymbolSlot.ask_volume offset");
static_assert(offsetof(cwts_symbol_slot_t, last) == 72, "SymbolSlot.last offset");
static_assert(offsetof(cwts_symbol_slot_t, volume_24h) == 80, "SymbolSlot.volume_24h offset");
static_assert(offsetof(cwts_symbol_slot_t, exchange_ts_ns) == 88, "SymbolSlot.exchange_ts_ns offset");
static_assert(offsetof(cwts_symbol_slot_t, receive_ts_ns) == 96, "SymbolSlot.receive_ts_ns offset");
static_assert(offsetof(cwts_symbol_slot_t, publish_ts_ns) == 104, "SymbolSlot.publish_ts_ns offset");
static_assert(offsetof(cwts_symbol_slot_t, update_count) == 112, "SymbolSlot.update_count offset");
static_assert(offsetof(cwts_symbol_slot_t, bid_depth) == 120, "SymbolSlot.bid_depth offset");
static_assert(offsetof(cwts_symbol_slot_t, ask_depth) == 124, "SymbolSlot.ask_depth offset");
static_assert(offsetof(cwts_symbol_slot_t, venue) == 128, "SymbolSlot.venue offset");
static_assert(offsetof(cwts_symbol_slot_t, tick_size) == 144, "SymbolSlot.tick_size offset");
static_assert(offsetof(cwts_symbol_slot_t, lot_size) == 152, "SymbolSlot.lot_size offset");

/* one price level */
typedef struct cwts_level {
  double price; /* @0: level price */
  double volume; /* @8: volume at the price */
} cwts_level_t;
static_assert(sizeof(cwts_level_t) == 16, "Level size");
static_assert(offsetof(cwts_level_t, price) == 0, "Level.price offset");
static_assert(offsetof(cwts_level_t, volume) == 8, "Level.volume offset");

/* cursors of the signal ring; producers and the consumer on separate cache lines */
typedef struct cwts_signal_ring_control {
  uint64_t tail; /* @0: next position to claim; producers compare-and-swap it */
  uint64_t next_client_order_id; /* @8: fetch-and-add source of client order ids */
  uint8_t _pad0[48]; /* @16: cache-line padding */
  uint64_t head; /* @64: next position the consumer takes (published for monitoring) */
  uint64_t abandoned; /* @72: slots skipped because their producer never committed */
  uint32_t consumer_sleeping; /* @80: 1 while the consumer may sleep in FUTEX_WAIT on consumer_wake */
  uint32_t consumer_wake; /* @84: futex word the consumer sleeps on; producers add 1 and wake */
  uint32_t report_waiters; /* @88: strategies sleeping on report_control.write_position */
  uint8_t _pad1[36]; /* @92: cache-line padding */
  uint8_t _tail[128];
} cwts_signal_ring_control_t;
static_assert(sizeof(cwts_signal_ring_control_t) == 256, "SignalRingControl size");
static_assert(offsetof(cwts_signal_ring_control_t, tail) == 0, "SignalRingControl.tail offset");
static_assert(offsetof(cwts_signal_ring_control_t, next_client_order_id) == 8, "SignalRingControl.next_client_order_id offset");
static_assert(offsetof(cwts_signal_ring_control_t, _pad0) == 16, "SignalRingControl._pad0 offset");
static_assert(offsetof(cwts_signal_ring_control_t, head) == 64, "SignalRingControl.head offset");
static_assert(offsetof(cwts_signal_ring_control_t, abandoned) == 72, "SignalRingControl.abandoned offset");
static_assert(offsetof(cwts_signal_ring_control_t, consumer_sleeping) == 80, "SignalRingControl.consumer_sleeping offset");
static_assert(offsetof(cwts_signal_ring_control_t, consumer_wake) == 84, "SignalRingControl.consumer_wake offset");
static_assert(offsetof(cwts_signal_ring_control_t, report_waiters) == 88, "SignalRingControl.report_waiters offset");
static_assert(offsetof(cwts_signal_ring_control_t, _pad1) == 92, "SignalRingControl._pad1 offset");

/* one signal from a strategy; seq is the ring sequence, not a seqlock */
typedef struct cwts_signal_slot {
  uint32_t seq; /* @0: low 32 bits of position while free, position+1 once committed */
  uint32_t action; /* @4: SignalAction */
  uint32_t order_type; /* @8: OrderType */
  uint32_t time_in_force; /* @12: TimeInForce */
  uint32_t symbol_index; /* @16: index of the symbol slot */
  uint32_t strategy_id; /* @20: the strategy that sent it */
  uint64_t client_order_id; /* @24: id the strategy knows the order by */
  double size; /* @32: base-currency size, > 0 */
  double price; /* @40: limit price; ignored for market orders */
  double confidence; /* @48: 0..1, used by signal fusion */
  uint64_t created_ns; /* @56: CLOCK_MONOTONIC ns the producer wrote it */
  uint32_t producer_pid; /* @64: process id of the producer */
  uint32_t flags; /* @68: reserved, 0 */
  uint64_t target_client_order_id; /* @72: order a CANCEL or MODIFY refers to */
  uint8_t _tail[48];
} cwts_signal_slot_t;
static_assert(sizeof(cwts_signal_slot_t) == 128, "SignalSlot size");
static_assert(offsetof(cwts_signal_slot_t, seq) == 0, "SignalSlot.seq offset");
static_assert(offsetof(cwts_signal_slot_t, action) == 4, "SignalSlot.action offset");
static_assert(offsetof(cwts_signal_slot_t, order_type) == 8, "SignalSlot.order_type offset");
static_assert(offsetof(cwts_signal_slot_t, time_in_force) == 12, "SignalSlot.time_in_force offset");
static_assert(offsetof(cwts_signal_slot_t, symbol_index) == 16, "SignalSlot.symbol_index offset");
static_assert(offsetof(cwts_signal_slot_t, strategy_id) == 20, "SignalSlot.strategy_id offset");
static_assert(offsetof(cwts_signal_slot_t, client_order_id) == 24, "SignalSlot.client_order_id offset");
static_assert(offsetof(cwts_signal_slot_t, size) == 32, "SignalSlot.size offset");
static_assert(offsetof(cwts_signal_slot_t, price) == 40, "SignalSlot.price offset");
static_assert(offsetof(cwts_signal_slot_t, confidence) == 48, "SignalSlot.confidence offset");
static_assert(offsetof(cwts_signal_slot_t, created_ns) == 56, "SignalSlot.created_ns offset");
static_assert(offsetof(cwts_signal_slot_t, producer_pid) == 64, "SignalSlot.producer_pid offset");
static_assert(offsetof(cwts_signal_slot_t, flags) == 68, "SignalSlot.flags offset");
static_assert(offsetof(cwts_signal_slot_t, target_client_order_id) == 72, "SignalSlot.target_client_order_id offset");

/* the engine-written cursor of the report ring */
typedef struct cwts_report_ring_control {
  uint32_t write_position; /* @0: reports published so far (wraps); futex word for waiting strategies */
  uint32_t capacity; /* @4: REPORT_CAPACITY */
  uint8_t _tail[56];
} cwts_report_ring_control_t;
static_assert(sizeof(cwts_report_ring_control_t) == 64, "ReportRingControl size");
static_assert(offsetof(cwts_report_ring_control_t, write_position) == 0, "ReportRingControl.write_position offset");
static_assert(offsetof(cwts_report_ring_control_t, capacity) == 4, "ReportRingControl.capacity offset");

/* one report from the engine to a strategy, under its own seqlock */
typedef struct cwts_report_slot {
  uint32_t seq; /* @0: seqlock word: odd while the writer is inside, even when stable */
  uint32_t kind; /* @4: ReportKind */
  uint32_t position; /* @8: report position this slot holds; a reader that finds another was lapped */
  uint32_t reason; /* @12: reject reason code, 0 when not rejected */
  uint64_t client_order_id; /* @16: the order it reports on */
  uint32_t strategy_id; /* @24: the strategy the order belongs to */
  uint32_t symbol_index; /* @28: index of the symbol slot */
  uint64_t signal_position; /* @32: signal ring position of the signal it answers */
  double fill_size; /* @40: size of this fill, 0 if none */
  double fill_price; /* @48: price of this fill */
  double cumulative_filled; /* @56: filled so far */
  double remaining; /* @64: size still working */
  uint64_t ts_ns; /* @72: CLOCK_MONOTONIC ns the engine wrote it */
  uint64_t order_id; /* @80: engine order id */
  uint8_t _tail[40];
} cwts_report_slot_t;
static_assert(sizeof(cwts_report_slot_t) == 128, "ReportSlot size");
static_assert(offsetof(cwts_report_slot_t, seq) == 0, "ReportSlot.seq offset");
static_assert(offsetof(cwts_report_slot_t, kind) == 4, "ReportSlot.kind offset");
static_assert(offsetof(cwts_report_slot_t, position) == 8, "ReportSlot.position offset");
static_assert(offsetof(cwts_report_slot_t, reason) == 12, "ReportSlot.reason offset");
static_assert(offsetof(cwts_report_slot_t, client_order_id) == 16, "ReportSlot.client_order_id offset");
static_assert(offsetof(cwts_report_slot_t, strategy_id) == 24, "ReportSlot.strategy_id offset");
static_assert(offsetof(cwts_report_slot_t, symbol_index) == 28, "ReportSlot.symbol_index offset");
static_assert(offsetof(cwts_report_slot_t, signal_position) == 32, "ReportSlot.signal_position offset");
static_assert(offsetof(cwts_report_slot_t, fill_size) == 40, "ReportSlot.fill_size offset");
static_assert(offsetof(cwts_report_slot_t, fill_price) == 48, "ReportSlot.fill_price offset");
static_assert(offsetof(cwts_report_slot_t, cumulative_filled) == 56, "ReportSlot.cumulative_filled offset");
static_assert(offsetof(cwts_report_slot_t, remaining) == 64, "ReportSlot.remaining offset");
static_assert(offsetof(cwts_report_slot_t, ts_ns) == 72, "ReportSlot.ts_ns offset");
static_assert(offsetof(cwts_report_slot_t, order_id) == 80, "ReportSlot.order_id offset");

/* position of one strategy in one symbol, under its own seqlock */
typedef struct cwts_position_slot {
  uint32_t seq; /* @0: seqlock word: odd while the writer is inside, even when stable */
  uint32_t flags; /* @4: 1 when the slot holds a position */
  uint32_t strategy_id; /* @8: owner strategy */
  uint32_t symbol_index; /* @12: index of the symbol slot */
  double size; /* @16: signed base size: > 0 long, < 0 short */
  double avg_price; /* @24: average entry price */
  double realized_pnl; /* @32: realized profit and loss, quote currency */
  double unrealized_pnl; /* @40: against the published mid */
  uint64_t updated_ns; /* @48: CLOCK_MONOTONIC ns of the last change */
  uint8_t _tail[8];
} cwts_position_slot_t;
static_assert(sizeof(cwts_position_slot_t) == 64, "PositionSlot size");
static_assert(offsetof(cwts_position_slot_t, seq) == 0, "PositionSlot.seq offset");
static_assert(offsetof(cwts_position_slot_t, flags) == 4, "PositionSlot.flags offset");
static_assert(offsetof(cwts_position_slot_t, strategy_id) == 8, "PositionSlot.strategy_id offset");
static_assert(offsetof(cwts_position_slot_t, symbol_index) == 12, "PositionSlot.symbol_index offset");
static_assert(offsetof(cwts_position_slot_t, size) == 16, "PositionSlot.size offset");
static_assert(offsetof(cwts_position_slot_t, avg_price) == 24, "PositionSlot.avg_price offset");
static_assert(offsetof(cwts_position_slot_t, realized_pnl) == 32, "PositionSlot.realized_pnl offset");
static_assert(offsetof(cwts_position_slot_t, unrealized_pnl) == 40, "PositionSlot.unrealized_pnl offset");
static_assert(offsetof(cwts_position_slot_t, updated_ns) == 48, "PositionSlot.updated_ns offset");

/* The whole segment; each region starts on a page boundary. */
typedef struct cwts_segment {
  cwts_header_t header[1]; /* @0: identity, flags, liveness */
  uint8_t _header_page_pad[4032];
  cwts_symbol_slot_t symbols[100]; /* @4096: one slot per symbol */
  uint8_t _symbols_page_pad[2048];
  cwts_level_t bids[100][50]; /* @57344: bid levels, best first, under the symbol seqlock */
  uint8_t _bids_page_pad[1920];
  cwts_level_t asks[100][50]; /* @139264: ask levels, best first, under the symbol seqlock */
  uint8_t _asks_page_pad[1920];
  cwts_report_ring_control_t report_control[1]; /* @221184: report ring cursor */
  uint8_t _report_control_page_pad[4032];
  cwts_report_slot_t reports[2048]; /* @225280: engine-to-strategy reports, broadcast */
  cwts_position_slot_t positions[16][100]; /* @487424: positions per strategy row and symbol */
  cwts_signal_ring_control_t signal_control[1]; /* @589824: signal ring cursors and wake words */
  uint8_t _signal_control_page_pad[3840];
  cwts_signal_slot_t signals[1000]; /* @593920: strategy-to-engine signals, many producers, one consumer */
  uint8_t _signals_page_pad[3072];
} cwts_segment_t;
static_assert(sizeof(cwts_segment_t) == CWTS_SEGMENT_SIZE, "segment size");
static_assert(offsetof(cwts_segment_t, header) == CWTS_HEADER_OFFSET, "header offset");
static_assert(CWTS_HEADER_OFFSET % CWTS_PAGE_SIZE == 0, "header page aligned");
static_assert(offsetof(cwts_segment_t, symbols) == CWTS_SYMBOLS_OFFSET, "symbols offset");
static_assert(CWTS_SYMBOLS_OFFSET % CWTS_PAGE_SIZE == 0, "symbols page aligned");
static_assert(offsetof(cwts_segment_t, bids) == CWTS_BIDS_OFFSET, "bids offset");
static_assert(CWTS_BIDS_OFFSET % CWTS_PAGE_SIZE == 0, "bids page aligned");
static_assert(offsetof(cwts_segment_t, asks) == CWTS_ASKS_OFFSET, "asks offset");
static_assert(CWTS_ASKS_OFFSET % CWTS_PAGE_SIZE == 0, "asks page aligned");
static_assert(offsetof(cwts_segment_t, report_control) == CWTS_REPORT_CONTROL_OFFSET, "report_control offset");
static_assert(CWTS_REPORT_CONTROL_OFFSET % CWTS_PAGE_SIZE == 0, "report_control page aligned");
static_assert(offsetof(cwts_segment_t, reports) == CWTS_REPORTS_OFFSET, "reports offset");
static_assert(CWTS_REPORTS_OFFSET % CWTS_PAGE_SIZE == 0, "reports page aligned");
static_assert(offsetof(cwts_segment_t, positions) == CWTS_POSITIONS_OFFSET, "positions offset");
static_assert(CWTS_POSITIONS_OFFSET % CWTS_PAGE_SIZE == 0, "positions page aligned");
static_assert(offsetof(cwts_segment_t, signal_control) == CWTS_SIGNAL_CONTROL_OFFSET, "signal_control offset");
static_assert(CWTS_SIGNAL_CONTROL_OFFSET % CWTS_PAGE_SIZE == 0, "signal_control page aligned");
static_assert(offsetof(cwts_segment_t, signals) == CWTS_SIGNALS_OFFSET, "signals offset");
static_assert(CWTS_SIGNALS_OFFSET % CWTS_PAGE_SIZE == 0, "signals page aligned");

#endif /* CWTS_SHM_H */
