"""cwts: the Python side of the cwts trading engine's shared-memory bridge.

    import cwts
    with cwts.Bridge.attach("cwts") as bridge:
        book = bridge.book("BTC/USDT", depth=5)
        order_id = bridge.submit("BTC/USDT", cwts.SignalAction.BUY, 0.01, 64000.0)
        report = bridge.wait_report(order_id, timeout=1.0)

The segment layout and its protocols are described in docs/segment.md of the repository.
"""

from __future__ import annotations

from cwts._layout import (
    LAYOUT_HASH,
    LAYOUT_VERSION,
    ControlMode,
    HeaderFlag,
    OrderType,
    RejectReason,
    ReportKind,
    SignalAction,
    SymbolStatus,
    TimeInForce,
)
from cwts.affinity import pin
from cwts.bridge import Book, Bridge, HeaderInfo, Position, Report, Ticker
from cwts.errors import (
    CwtsError,
    EngineUnavailable,
    InvalidSignal,
    KillEngaged,
    LayoutMismatch,
    ReportTimeout,
    RingFull,
    SegmentNotFound,
    SegmentSizeMismatch,
    SignalAbandoned,
    UnknownSymbol,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Bridge",
    "Book",
    "HeaderInfo",
    "Position",
    "Report",
    "Ticker",
    "pin",
    "LAYOUT_HASH",
    "LAYOUT_VERSION",
    "ControlMode",
    "HeaderFlag",
    "OrderType",
    "RejectReason",
    "ReportKind",
    "SignalAction",
    "SymbolStatus",
    "TimeInForce",
    "CwtsError",
    "EngineUnavailable",
    "InvalidSignal",
    "KillEngaged",
    "LayoutMismatch",
    "ReportTimeout",
    "RingFull",
    "SegmentNotFound",
    "SegmentSizeMismatch",
    "SignalAbandoned",
    "UnknownSymbol",
]
