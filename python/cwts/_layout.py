"""Layout v1 of the cwts segment. Generated from packages/shm-layout/src/spec.ts by `npm run generate`. Do not edit."""

from enum import IntEnum, IntFlag
from typing import NamedTuple

LAYOUT_VERSION = 1
LAYOUT_HASH = 0x9cd46bba6062f655
MAGIC = 0x4d48532d53545743  # "CWTS-SHM" little-endian
PAGE_SIZE = 4096
SEGMENT_SIZE = 724992
SHARED_OFFSET = 589824  # strategies map [0, this) read-only
MAX_SYMBOLS = 100  # symbol slots in the segment
BOOK_DEPTH = 50  # levels per side per symbol
SIGNAL_CAPACITY = 1000  # slots in the signal ring
REPORT_CAPACITY = 2048  # slots in the report ring (power of two)
MAX_STRATEGIES = 16  # strategy rows in the positions region
SYMBOL_NAME_BYTES = 32  # bytes of a symbol name, NUL-padded UTF-8


class HeaderFlag(IntFlag):
    """bits of header.flags"""

    ENGINE_ALIVE = 1  # the engine is running and beating
    KILL_ENGAGED = 2  # the kill switch is engaged: strategies must not submit
    STOPPED_CLEANLY = 4  # the engine stopped on purpose (not a crash)
    BREAKER_TRIPPED = 8  # a circuit breaker is tripped (until its reset)


class ControlMode(IntEnum):
    """the engine control mode in header.control_mode"""

    MANUAL = 0  # every order needs an operator
    SEMI_AUTO = 1  # orders wait in an approval queue
    FULL_AUTO = 2  # orders flow through risk unattended
    EMERGENCY = 3  # reduce-only; new exposure rejected


class SymbolStatus(IntFlag):
    """bits of symbol.status, written inside the seqlock"""

    ACTIVE = 1  # the slot holds a symbol
    STALE = 2  # no update within the configured time
    CROSSED = 4  # best bid at or above best ask
    HALTED = 8  # trading halted by the venue or the engine
    OUTLIER = 16  # last price outside the rolling band
    SEQUENCE_GAP = 32  # a feed sequence gap since the last snapshot


class SignalAction(IntEnum):
    """what a signal asks for"""

    HOLD = 0  # no order; an intent for the record
    BUY = 1  # new buy order
    SELL = 2  # new sell order
    CANCEL = 3  # cancel target_client_order_id
    MODIFY = 4  # change price and size of target_client_order_id


class OrderType(IntEnum):
    """how an order prices"""

    LIMIT = 0  # rests at its price
    MARKET = 1  # takes liquidity at any price


class TimeInForce(IntEnum):
    """how long an order lives"""

    GTC = 0  # good till cancelled
    IOC = 1  # immediate or cancel: the rest is cancelled
    FOK = 2  # fill or kill: all at once or nothing
    POST_ONLY = 3  # rejected if it would take liquidity


class ReportKind(IntEnum):
    """what a report says; FILLED and later are terminal"""

    ACCEPTED = 1  # passed risk, working at the venue
    PARTIALLY_FILLED = 2  # a fill that leaves a remainder
    FILLED = 3  # terminal: completely filled
    CANCELLED = 4  # terminal: cancelled (by request, IOC rest, or kill)
    REJECTED = 5  # terminal: refused; reason says why
    EXPIRED = 6  # terminal: its time ran out
    MODIFIED = 7  # a modify took effect


class RejectReason(IntEnum):
    """why a signal was rejected: ReportSlot.reason of a REJECTED report"""

    NONE = 0  # not rejected
    INVALID_SIZE = 1  # size is NaN, infinite, zero or negative
    INVALID_PRICE = 2  # a limit price that is NaN, infinite, zero or negative
    UNKNOWN_SYMBOL = 3  # symbol_index names no active symbol
    UNKNOWN_ACTION = 4  # action is not a SignalAction
    UNKNOWN_ORDER_TYPE = 5  # order_type is not an OrderType
    UNKNOWN_TIME_IN_FORCE = 6  # time_in_force is not a TimeInForce, or POST_ONLY on a market order
    DUPLICATE_CLIENT_ORDER_ID = 7  # the strategy already used this client order id
    UNKNOWN_ORDER = 8  # CANCEL or MODIFY of an order that is not working
    PRICE_OFF_TICK = 9  # the price is not a multiple of the tick size
    SIZE_OFF_LOT = 10  # the size is not a multiple of the lot size
    POST_ONLY_WOULD_CROSS = 11  # a post-only order would have taken liquidity
    FILL_OR_KILL_UNFILLED = 12  # not enough liquidity to fill a FOK order at once
    NO_LIQUIDITY = 13  # a market order found nothing to take
    SELF_TRADE = 14  # it would have traded with its own strategy
    NO_MARKET_DATA = 15  # the symbol has no fresh book to trade against
    INVALID_FIELD = 16  # a reserved field is not 0, or confidence is outside 0..1
    KILL_ENGAGED = 17  # the kill switch is engaged
    HOLD = 18  # a HOLD signal: recorded, never an order
    VENUE_REJECTED = 19  # the live venue refused it (its message is in the engine log and audit)
    ENGINE_STOPPED = 20  # the engine stopped, or crashed, while the order worked on the simulated venue, whose orders end with it (after a crash: answered at the next start)
    RISK_NOT_CONFIGURED = 100  # risk: no limits configured for this strategy or the account; nothing is unlimited
    RISK_MAX_ORDER_SIZE = 101  # risk: the size is above the strategy maximum
    RISK_MAX_ORDER_VALUE = 102  # risk: size times price is above the strategy maximum
    RISK_CREDIT_LIMIT = 103  # risk: positions plus working orders would exceed the strategy or account credit limit
    RISK_PRICE_COLLAR = 104  # risk: the limit price is outside the band around the reference price
    RISK_RATE_LIMIT = 105  # risk: more new orders per second than the strategy may send
    RISK_DUPLICATE_ORDER = 106  # risk: the same order (side, symbol, size, price) again within the duplicate window
    RISK_RESTRICTED_SYMBOL = 107  # risk: the symbol is on the restricted list
    RISK_STRATEGY_DISABLED = 108  # risk: the repeated-execution throttle disabled the strategy; an operator must re-enable it
    MODE_MANUAL = 110  # the engine is in MANUAL mode: strategies place no orders
    MODE_EMERGENCY = 111  # the engine is in EMERGENCY mode: only orders that reduce a position
    APPROVAL_REJECTED = 112  # SEMI_AUTO: the operator rejected the order
    APPROVAL_TIMEOUT = 113  # SEMI_AUTO: no operator approved the order in time


class Region(NamedTuple):
    offset: int
    stride: int
    count: int
    dims: tuple[int, ...]
    access: str


class Field(NamedTuple):
    offset: int
    format: str


REGIONS: dict[str, Region] = {
    "header": Region(0, 64, 1, (1,), "engine"),
    "symbols": Region(4096, 512, 100, (100,), "engine"),
    "bids": Region(57344, 16, 5000, (100, 50,), "engine"),
    "asks": Region(139264, 16, 5000, (100, 50,), "engine"),
    "report_control": Region(221184, 64, 1, (1,), "engine"),
    "reports": Region(225280, 128, 2048, (2048,), "engine"),
    "positions": Region(487424, 64, 1600, (16, 100,), "engine"),
    "signal_control": Region(589824, 256, 1, (1,), "shared"),
    "signals": Region(593920, 128, 1000, (1000,), "shared"),
}

# segment identity and engine liveness; each word written atomically
HEADER_SIZE = 64
HEADER_FIELDS: dict[str, Field] = {
    "magic": Field(0, "Q"),  # the ASCII bytes "CWTS-SHM"
    "layout_version": Field(8, "I"),  # layout version of the spec that wrote the segment
    "flags": Field(12, "I"),  # HeaderFlag bits
    "layout_hash": Field(16, "Q"),  # first 8 bytes of SHA-256 over the canonical spec
    "total_size": Field(24, "Q"),  # segment size in bytes
    "heartbeat_ns": Field(32, "Q"),  # CLOCK_MONOTONIC ns of the last engine beat
    "created_ns": Field(40, "Q"),  # CLOCK_REALTIME ns when the segment was created
    "engine_pid": Field(48, "I"),  # process id of the engine
    "symbol_count": Field(52, "I"),  # symbol slots in use, from index 0
    "control_mode": Field(56, "I"),  # ControlMode value
}
HEADER_FORMAT = "<QIIQQQQIII4x"
HEADER_NAMES: tuple[str, ...] = ("magic", "layout_version", "flags", "layout_hash", "total_size", "heartbeat_ns", "created_ns", "engine_pid", "symbol_count", "control_mode",)

# top of book and stats of one symbol, covered by seq with its levels
SYMBOL_SLOT_SIZE = 512
SYMBOL_SLOT_FIELDS: dict[str, Field] = {
    "seq": Field(0, "I"),  # seqlock word: odd while the writer is inside, even when stable
    "status": Field(4, "I"),  # SymbolStatus bits
    "name": Field(8, "32s"),  # symbol as the strategies name it, e.g. BTC/USDT
    "bid": Field(40, "d"),  # best bid price
    "ask": Field(48, "d"),  # best ask price
    "bid_volume": Field(56, "d"),  # volume at the best bid
    "ask_volume": Field(64, "d"),  # volume at the best ask
    "last": Field(72, "d"),  # last trade price
    "volume_24h": Field(80, "d"),  # traded volume over 24 h, base currency
    "exchange_ts_ns": Field(88, "Q"),  # CLOCK_REALTIME ns the venue stamped on the update
    "receive_ts_ns": Field(96, "Q"),  # CLOCK_MONOTONIC ns the engine received it
    "publish_ts_ns": Field(104, "Q"),  # CLOCK_MONOTONIC ns the engine published it
    "update_count": Field(112, "Q"),  # updates published for this symbol
    "bid_depth": Field(120, "I"),  # valid bid levels, best first
    "ask_depth": Field(124, "I"),  # valid ask levels, best first
    "venue": Field(128, "16s"),  # venue the book comes from, e.g. sim or binance
    "tick_size": Field(144, "d"),  # price increment
    "lot_size": Field(152, "d"),  # size increment
}
SYMBOL_SLOT_FORMAT = "<II32sddddddQQQQII16sdd352x"
SYMBOL_SLOT_NAMES: tuple[str, ...] = ("seq", "status", "name", "bid", "ask", "bid_volume", "ask_volume", "last", "volume_24h", "exchange_ts_ns", "receive_ts_ns", "publish_ts_ns", "update_count", "bid_depth", "ask_depth", "venue", "tick_size", "lot_size",)

# one price level
LEVEL_SIZE = 16
LEVEL_FIELDS: dict[str, Field] = {
    "price": Field(0, "d"),  # level price
    "volume": Field(8, "d"),  # volume at the price
}
LEVEL_FORMAT = "<dd"
LEVEL_NAMES: tuple[str, ...] = ("price", "volume",)

# cursors of the signal ring; producers and the consumer on separate cache lines
SIGNAL_RING_CONTROL_SIZE = 256
SIGNAL_RING_CONTROL_FIELDS: dict[str, Field] = {
    "tail": Field(0, "Q"),  # next position to claim; producers compare-and-swap it
    "next_client_order_id": Field(8, "Q"),  # fetch-and-add source of client order ids
    "head": Field(64, "Q"),  # next position the consumer takes (published for monitoring)
    "abandoned": Field(72, "Q"),  # slots skipped because their producer never committed
    "consumer_sleeping": Field(80, "I"),  # 1 while the consumer may sleep in FUTEX_WAIT on consumer_wake
    "consumer_wake": Field(84, "I"),  # futex word the consumer sleeps on; producers add 1 and wake
    "report_waiters": Field(88, "I"),  # strategies sleeping on report_control.write_position
}
SIGNAL_RING_CONTROL_FORMAT = "<QQ48xQQIII36x128x"
SIGNAL_RING_CONTROL_NAMES: tuple[str, ...] = ("tail", "next_client_order_id", "head", "abandoned", "consumer_sleeping", "consumer_wake", "report_waiters",)

# one signal from a strategy; seq is the ring sequence, not a seqlock
SIGNAL_SLOT_SIZE = 128
SIGNAL_SLOT_FIELDS: dict[str, Field] = {
    "seq": Field(0, "I"),  # low 32 bits of position while free, position+1 once committed
    "action": Field(4, "I"),  # SignalAction
    "order_type": Field(8, "I"),  # OrderType
    "time_in_force": Field(12, "I"),  # TimeInForce
    "symbol_index": Field(16, "I"),  # index of the symbol slot
    "strategy_id": Field(20, "I"),  # the strategy that sent it
    "client_order_id": Field(24, "Q"),  # id the strategy knows the order by
    "size": Field(32, "d"),  # base-currency size, > 0
    "price": Field(40, "d"),  # limit price; ignored for market orders
    "confidence": Field(48, "d"),  # 0..1, used by signal fusion
    "created_ns": Field(56, "Q"),  # CLOCK_MONOTONIC ns the producer wrote it
    "producer_pid": Field(64, "I"),  # process id of the producer
    "flags": Field(68, "I"),  # reserved, 0
    "target_client_order_id": Field(72, "Q"),  # order a CANCEL or MODIFY refers to
}
SIGNAL_SLOT_FORMAT = "<IIIIIIQdddQIIQ48x"
SIGNAL_SLOT_NAMES: tuple[str, ...] = ("seq", "action", "order_type", "time_in_force", "symbol_index", "strategy_id", "client_order_id", "size", "price", "confidence", "created_ns", "producer_pid", "flags", "target_client_order_id",)

# the engine-written cursor of the report ring
REPORT_RING_CONTROL_SIZE = 64
REPORT_RING_CONTROL_FIELDS: dict[str, Field] = {
    "write_position": Field(0, "I"),  # reports published so far (wraps); futex word for waiting strategies
    "capacity": Field(4, "I"),  # REPORT_CAPACITY
}
REPORT_RING_CONTROL_FORMAT = "<II56x"
REPORT_RING_CONTROL_NAMES: tuple[str, ...] = ("write_position", "capacity",)

# one report from the engine to a strategy, under its own seqlock
REPORT_SLOT_SIZE = 128
REPORT_SLOT_FIELDS: dict[str, Field] = {
    "seq": Field(0, "I"),  # seqlock word: odd while the writer is inside, even when stable
    "kind": Field(4, "I"),  # ReportKind
    "position": Field(8, "I"),  # report position this slot holds; a reader that finds another was lapped
    "reason": Field(12, "I"),  # reject reason code, 0 when not rejected
    "client_order_id": Field(16, "Q"),  # the order it reports on
    "strategy_id": Field(24, "I"),  # the strategy the order belongs to
    "symbol_index": Field(28, "I"),  # index of the symbol slot
    "signal_position": Field(32, "Q"),  # signal ring position of the signal it answers
    "fill_size": Field(40, "d"),  # size of this fill, 0 if none
    "fill_price": Field(48, "d"),  # price of this fill
    "cumulative_filled": Field(56, "d"),  # filled so far
    "remaining": Field(64, "d"),  # size still working
    "ts_ns": Field(72, "Q"),  # CLOCK_MONOTONIC ns the engine wrote it
    "order_id": Field(80, "Q"),  # engine order id
}
REPORT_SLOT_FORMAT = "<IIIIQIIQddddQQ40x"
REPORT_SLOT_NAMES: tuple[str, ...] = ("seq", "kind", "position", "reason", "client_order_id", "strategy_id", "symbol_index", "signal_position", "fill_size", "fill_price", "cumulative_filled", "remaining", "ts_ns", "order_id",)

# position of one strategy in one symbol, under its own seqlock
POSITION_SLOT_SIZE = 64
POSITION_SLOT_FIELDS: dict[str, Field] = {
    "seq": Field(0, "I"),  # seqlock word: odd while the writer is inside, even when stable
    "flags": Field(4, "I"),  # 1 when the slot holds a position
    "strategy_id": Field(8, "I"),  # owner strategy
    "symbol_index": Field(12, "I"),  # index of the symbol slot
    "size": Field(16, "d"),  # signed base size: > 0 long, < 0 short
    "avg_price": Field(24, "d"),  # average entry price
    "realized_pnl": Field(32, "d"),  # realized profit and loss, quote currency
    "unrealized_pnl": Field(40, "d"),  # against the published mid
    "updated_ns": Field(48, "Q"),  # CLOCK_MONOTONIC ns of the last change
}
POSITION_SLOT_FORMAT = "<IIIIddddQ8x"
POSITION_SLOT_NAMES: tuple[str, ...] = ("seq", "flags", "strategy_id", "symbol_index", "size", "avg_price", "realized_pnl", "unrealized_pnl", "updated_ns",)
