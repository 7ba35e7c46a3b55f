"""The strategy side of the cwts segment (docs/segment.md): books, signals, reports, positions."""

from __future__ import annotations

import math
import os
import time
from collections import deque
from dataclasses import dataclass
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np

from cwts._layout import (
    BOOK_DEPTH,
    LAYOUT_HASH,
    LAYOUT_VERSION,
    MAGIC,
    MAX_STRATEGIES,
    MAX_SYMBOLS,
    REPORT_CAPACITY,
    REPORT_SLOT_NAMES,
    SEGMENT_SIZE,
    SIGNAL_RING_CONTROL_NAMES,
    ControlMode,
    HeaderFlag,
    OrderType,
    ReportKind,
    SignalAction,
    SymbolStatus,
    TimeInForce,
)
from cwts.affinity import pin
from cwts.errors import (
    CwtsError,
    EngineUnavailable,
    InvalidSignal,
    KillEngaged,
    LayoutMismatch,
    ReportTimeout,
    SegmentNotFound,
    SegmentSizeMismatch,
    UnknownSymbol,
)

if TYPE_CHECKING:
    # Both backends (cwts._shim.Segment and cwts._fallback.Segment) provide this interface.
    from cwts._shim import Segment as _Impl

__all__ = ["Bridge", "Ticker", "Book", "HeaderInfo", "Report", "Position", "BackendName", "ReportsFrom"]

BackendName = Literal["auto", "cython", "python"]
ReportsFrom = Literal["now", "oldest"]
_T = TypeVar("_T")

_U32 = 0xFFFFFFFF
_U64 = 0xFFFFFFFFFFFFFFFF
_ACTIVE = int(SymbolStatus.ACTIVE)
_ALIVE = int(HeaderFlag.ENGINE_ALIVE)
_KILL = int(HeaderFlag.KILL_ENGAGED)
# Polls of write_position before wait_report goes to sleep.
_SPIN_POLLS = 200
# Reports wait_report set aside for a later reports() call, at most.
_PENDING_MAX = 4 * REPORT_CAPACITY
# Report fields in the order the backends return them: ReportSlot's, without seq.
_REPORT_FIELDS = REPORT_SLOT_NAMES[1:]


@dataclass(frozen=True)
class Ticker:
    """Top of book of one symbol, from one consistent snapshot."""

    symbol: str
    bid: float
    ask: float
    bid_volume: float
    ask_volume: float
    last: float
    volume_24h: float
    exchange_ts_ns: int
    receive_ts_ns: int
    publish_ts_ns: int
    update_count: int
    status: SymbolStatus
    venue: str


@dataclass(frozen=True, eq=False)
class Book:
    """Levels of one symbol, best first, as float64 arrays of shape (n, 2): [price, volume]."""

    symbol: str
    bids: np.ndarray
    asks: np.ndarray
    update_count: int
    publish_ts_ns: int
    status: SymbolStatus


@dataclass(frozen=True, slots=True)
class HeaderInfo:
    magic: int
    layout_version: int
    flags: HeaderFlag
    layout_hash: int
    total_size: int
    heartbeat_ns: int
    created_ns: int
    engine_pid: int
    symbol_count: int
    control_mode: ControlMode | int


@dataclass(frozen=True)
class Report:
    """One engine-to-strategy report (every field of ReportSlot but its seqlock word)."""

    kind: ReportKind | int
    position: int
    reason: int
    client_order_id: int
    strategy_id: int
    symbol_index: int
    signal_position: int
    fill_size: float
    fill_price: float
    cumulative_filled: float
    remaining: float
    ts_ns: int
    order_id: int


@dataclass(frozen=True, slots=True)
class Position:
    symbol: str
    strategy_id: int
    size: float
    avg_price: float
    realized_pnl: float
    unrealized_pnl: float
    updated_ns: int
    symbol_index: int
    row: int
    flags: int


_new = object.__new__
_set = object.__setattr__
_STATUS_CACHE: dict[int, SymbolStatus] = {}


def _build(cls: type[_T], fields: dict[str, Any]) -> _T:
    """A frozen dataclass instance from a complete field dict, without __init__'s per-field setattr."""
    obj = _new(cls)
    _set(obj, "__dict__", fields)
    return obj


def _status(value: int) -> SymbolStatus:
    status = _STATUS_CACHE.get(value)
    if status is None:
        status = SymbolStatus(value)
        if len(_STATUS_CACHE) < 4096:
            _STATUS_CACHE[value] = status
    return status


def _enum_or_int(kind: type[ReportKind] | type[ControlMode], value: int) -> Any:
    try:
        return kind(value)
    except ValueError:
        return value


def _load_backend(backend: str) -> ModuleType:
    if backend == "python":
        from cwts import _fallback

        return _fallback
    if backend in ("cython", "auto"):
        try:
            from cwts import _shim

            return _shim
        except ImportError as error:
            if backend == "auto":
                from cwts import _fallback

                return _fallback
            raise CwtsError(
                f"the Cython backend cwts._shim does not import ({error}): expected a compiled extension next to "
                f"{os.path.dirname(__file__)}; reinstall the package from the repository (pip install ./python), "
                "or pass backend='python' (reads only)"
            ) from error
    raise ValueError(f"backend must be 'auto', 'cython' or 'python', not {backend!r}")


def _check_u32(what: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _U32:
        raise InvalidSignal(f"{what} must be an integer in 0..{_U32}, got {value!r}")
    return value


def _check_enum(kind: type[SignalAction] | type[OrderType] | type[TimeInForce], what: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidSignal(f"{what} must be a {kind.__name__}, got {value!r}")
    try:
        return int(kind(value))
    except ValueError:
        allowed = ", ".join(f"{m.name}={m.value}" for m in kind)
        raise InvalidSignal(f"{what} {value!r} is not a {kind.__name__}; expected one of {allowed}") from None


def _check_float(what: str, value: object, *, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidSignal(f"{what} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        need = "a finite number > 0" if positive else "a finite number >= 0"
        raise InvalidSignal(f"{what} must be {need}, got {number!r}")
    return number


class Bridge:
    """One attachment to the engine's segment. Create it with `Bridge.attach(name)`."""

    def __init__(self, impl: _Impl, name: str, stale_after: float, reports_from: ReportsFrom = "now") -> None:
        self._impl = impl
        self.name = name
        self.path = f"/dev/shm/{name}"
        self.stale_after = stale_after
        self._stale_ns = int(stale_after * 1e9)
        self._symbols: dict[str, tuple[int, bytes]] = {}
        written = impl.write_position()
        # "oldest": the reports still in the ring, e.g. those a restarted engine published at its start.
        self._cursor = written if reports_from == "now" else (written - min(written, REPORT_CAPACITY)) & _U32
        self._pending: deque[Report] = deque()
        self.lost_reports = 0

    # ----------------------------------------------------------------- attach
    @classmethod
    def attach(
        cls,
        name: str = "cwts",
        *,
        backend: BackendName = "auto",
        stale_after: float = 0.05,
        seqlock_timeout: float = 1.0,
        reports_from: ReportsFrom = "now",
    ) -> Bridge:
        """Maps /dev/shm/<name> and checks it is a cwts segment of this build's layout.

        backend: "cython" (compiled, reads and submits), "python" (pure Python, reads only),
        "auto" (cython when it imports). stale_after: seconds after which the engine's heartbeat
        counts as stale. seqlock_timeout: seconds a seqlock may stay unstable before a read gives up.
        reports_from: "now" (reports published from here on) or "oldest" (also those still in the
        ring, such as the ENGINE_STOPPED reports a restarted engine publishes at its start).
        """
        if not isinstance(name, str) or not name.lstrip("/") or "/" in name.lstrip("/") or "\0" in name:
            raise CwtsError(f"segment name must be a plain name like 'cwts' (no '/'), got {name!r}")
        name = name.lstrip("/")
        if not (isinstance(stale_after, (int, float)) and math.isfinite(stale_after) and stale_after > 0):
            raise ValueError(f"stale_after must be a finite number of seconds > 0, got {stale_after!r}")
        if not (isinstance(seqlock_timeout, (int, float)) and math.isfinite(seqlock_timeout) and seqlock_timeout > 0):
            raise ValueError(f"seqlock_timeout must be a finite number of seconds > 0, got {seqlock_timeout!r}")
        if reports_from not in ("now", "oldest"):
            raise ValueError(f"reports_from must be 'now' or 'oldest', got {reports_from!r}")
        module = _load_backend(backend)
        path = f"/dev/shm/{name}"
        # 1. the object exists
        try:
            fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
        except FileNotFoundError:
            raise SegmentNotFound(
                f"no segment {path}: start the engine, or pass the name it uses (Bridge.attach(name))"
            ) from None
        except PermissionError as error:
            raise CwtsError(
                f"cannot open {path} read-write: {error.strerror}; the engine creates it with mode 0600: "
                "run the strategy as the engine's user, or configure the engine's segment mode"
            ) from None
        try:
            # 2. its size
            size = os.fstat(fd).st_size
            if size != SEGMENT_SIZE:
                raise SegmentSizeMismatch(
                    f"{path} is {size} bytes, layout v{LAYOUT_VERSION} needs {SEGMENT_SIZE}: the engine and this "
                    "reader were built from different specs; rebuild both from one checkout "
                    "(npm run build, and reinstall the cwts Python package: pip install ./python)"
                )
            impl: _Impl = module.Segment(fd, seqlock_timeout)
        finally:
            os.close(fd)
        try:
            magic, version, _flags, layout_hash = impl.header()[:4]
            # 3. the magic
            if magic != MAGIC:
                raise LayoutMismatch(
                    f'{path} has magic 0x{magic:016x}, expected 0x{MAGIC:016x} ("CWTS-SHM"): not a cwts segment; '
                    "pass the name the engine uses"
                )
            # 4. layout version and hash
            if version != LAYOUT_VERSION or layout_hash != LAYOUT_HASH:
                raise LayoutMismatch(
                    f"{path} has layout v{version} hash 0x{layout_hash:016x}, this build reads v{LAYOUT_VERSION} "
                    f"hash 0x{LAYOUT_HASH:016x}: rebuild the reader (npm run build, or reinstall the cwts Python "
                    "package: pip install ./python) from the same checkout as the engine"
                )
            return cls(impl, name, float(stale_after), reports_from)
        except BaseException:
            impl.close()
            raise

    @property
    def backend(self) -> str:
        """"cython" or "python"."""
        return self._impl.backend

    @property
    def seqlock_retries(self) -> int:
        """Seqlock passes that had to be repeated (odd or changed word) since attach."""
        return int(self._impl.retries)

    @property
    def closed(self) -> bool:
        return self._impl.closed

    def close(self) -> None:
        self._impl.close()

    def __enter__(self) -> Bridge:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "attached"
        return f"<cwts.Bridge {self.path} {self.backend} {state}>"

    # ----------------------------------------------------------------- header
    def header(self) -> HeaderInfo:
        h = self._impl.header()
        return HeaderInfo(
            magic=h[0],
            layout_version=h[1],
            flags=HeaderFlag(h[2]),
            layout_hash=h[3],
            total_size=h[4],
            heartbeat_ns=h[5],
            created_ns=h[6],
            engine_pid=h[7],
            symbol_count=h[8],
            control_mode=_enum_or_int(ControlMode, h[9]),
        )

    def engine_alive(self) -> bool:
        """ENGINE_ALIVE set and a heartbeat younger than stale_after."""
        if not self._impl.flags() & _ALIVE:
            return False
        # A heartbeat far in the future is no beat of this boot's clock either.
        return abs(time.monotonic_ns() - self._impl.heartbeat_ns()) <= self._stale_ns

    def kill_engaged(self) -> bool:
        return bool(self._impl.flags() & _KILL)

    @staticmethod
    def pin(core: int) -> None:
        """Pins the calling process to one CPU core; CwtsError names the cores it may use (cwts.pin)."""
        pin(core)

    # ---------------------------------------------------------------- symbols
    def _refresh(self) -> None:
        names: dict[str, tuple[int, bytes]] = {}
        for i in range(self._impl.symbol_count()):
            status, name = self._impl.name(i)
            if status & _ACTIVE and name not in names:
                names[name] = (i, name.encode("utf-8"))
        self._symbols = names

    def symbols(self) -> list[str]:
        """Names of the active slots 0..symbol_count-1, in slot order."""
        self._refresh()
        return list(self._symbols)

    def _lookup(self, symbol: str) -> tuple[int, bytes]:
        entry = self._symbols.get(symbol) if isinstance(symbol, str) else None
        if entry is None:
            if not isinstance(symbol, str):
                raise UnknownSymbol(f"a symbol is a str like 'BTC/USDT', got {symbol!r}")
            self._refresh()
            entry = self._symbols.get(symbol)
            if entry is None:
                known = ", ".join(repr(s) for s in self._symbols) or "none"
                raise UnknownSymbol(
                    f"unknown symbol {symbol!r}: {self.path} has {len(self._symbols)} active symbol(s): {known}; "
                    "use one of those names, or configure the engine to publish it"
                )
        return entry

    def symbol_index(self, symbol: str) -> int:
        return self._lookup(symbol)[0]

    def _read_slot(self, symbol: str, read: Any, *args: Any) -> dict[str, Any]:
        """Reads a symbol's slot and checks, inside the same snapshot, that the slot still holds it."""
        index, encoded = self._lookup(symbol)
        data: dict[str, Any] = read(index, *args)
        if data["symbol"] != encoded or not data["status"] & _ACTIVE:
            # The slot changed hands or went inactive (or the name is not valid UTF-8): look again, once.
            self._symbols.pop(symbol, None)
            index, encoded = self._lookup(symbol)
            data = read(index, *args)
        data["symbol"] = symbol
        data["status"] = _status(data["status"])
        return data

    def ticker(self, symbol: str) -> Ticker:
        """Top of book from one consistent seqlock snapshot."""
        return _build(Ticker, self._read_slot(symbol, self._impl.ticker))

    def book(self, symbol: str, depth: int = BOOK_DEPTH) -> Book:
        """Up to `depth` levels per side; slot and levels come from ONE seqlock pass."""
        if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
            raise ValueError(f"depth must be an integer >= 0, got {depth!r}")
        return _build(Book, self._read_slot(symbol, self._impl.book, min(depth, BOOK_DEPTH)))

    def snapshot_raw(self, index: int) -> dict[str, Any]:
        """Every field of symbol slot `index` and all 50 levels per side, from one seqlock pass."""
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < MAX_SYMBOLS:
            raise IndexError(f"symbol index must be in 0..{MAX_SYMBOLS - 1}, got {index!r}")
        return self._impl.snapshot_raw(index)

    # ---------------------------------------------------------------- signals
    def signal_control(self) -> dict[str, int]:
        """The signal ring's cursors and wake words (for monitoring and tests)."""
        return dict(zip(SIGNAL_RING_CONTROL_NAMES, self._impl.signal_control()))

    def _check_engine(self) -> None:
        flags = self._impl.flags()
        if flags & _KILL:
            raise KillEngaged(
                f"the kill switch of the engine on {self.path} is engaged (header flags 0x{flags:x}, KILL_ENGAGED "
                "expected clear): no signal was written; an operator must release it first"
            )
        if not flags & _ALIVE:
            raise EngineUnavailable(
                f"the engine on {self.path} is not running (ENGINE_ALIVE clear, header flags 0x{flags:x}): "
                "no signal was written; start the engine"
            )
        age_ns = time.monotonic_ns() - self._impl.heartbeat_ns()
        if abs(age_ns) > self._stale_ns:
            when = f"{age_ns / 1e6:.1f} ms old" if age_ns > 0 else f"{-age_ns / 1e6:.1f} ms in the future"
            raise EngineUnavailable(
                f"the engine's heartbeat on {self.path} is {when}, expected at most "
                f"{self._stale_ns / 1e6:g} ms: the engine is stalled or gone; no signal was written; "
                "check the engine (or attach with a larger stale_after)"
            )

    def submit(
        self,
        symbol: str,
        action: SignalAction | int,
        size: float,
        price: float = 0.0,
        *,
        order_type: OrderType | int = OrderType.LIMIT,
        time_in_force: TimeInForce | int = TimeInForce.GTC,
        strategy_id: int = 0,
        confidence: float = 1.0,
        target_client_order_id: int = 0,
        client_order_id: int | None = None,
        check_engine: bool = True,
    ) -> int:
        """Writes one signal into the ring; returns its client order id.

        client_order_id: the strategy's own id for the order (1..2**64-1), which the engine
        requires unique per strategy (a reuse is rejected with DUPLICATE_CLIENT_ORDER_ID); omitted,
        the segment hands out the next of its counter, unique on the segment. Do not mix both
        in one strategy: your ids could meet the counter's.

        Raises InvalidSignal for bad arguments, KillEngaged / EngineUnavailable when the engine
        takes no signals (unless check_engine=False), RingFull when every slot is unconsumed,
        SignalAbandoned when the engine gave up on the slot before the commit.
        """
        action_value = _check_enum(SignalAction, "action", action)
        if action_value == SignalAction.CANCEL:
            raise InvalidSignal("action CANCEL goes through Bridge.cancel(client_order_id, symbol), not submit")
        size_value = _check_float("size", size, positive=True)
        price_value = _check_float("price", price, positive=False)
        type_value = _check_enum(OrderType, "order_type", order_type)
        tif_value = _check_enum(TimeInForce, "time_in_force", time_in_force)
        strategy = _check_u32("strategy_id", strategy_id)
        confidence_value = _check_float("confidence", confidence, positive=False)
        if confidence_value > 1:
            raise InvalidSignal(f"confidence must be in 0..1, got {confidence_value!r}")
        if isinstance(target_client_order_id, bool) or not isinstance(target_client_order_id, int) or not (
            0 <= target_client_order_id <= _U64
        ):
            raise InvalidSignal(f"target_client_order_id must be an integer in 0..2**64-1, got {target_client_order_id!r}")
        if client_order_id is not None and (
            isinstance(client_order_id, bool) or not isinstance(client_order_id, int) or not 0 < client_order_id <= _U64
        ):
            raise InvalidSignal(f"client_order_id must be an integer in 1..2**64-1, got {client_order_id!r}")
        if action_value == SignalAction.MODIFY and target_client_order_id == 0:
            raise InvalidSignal("action MODIFY needs target_client_order_id, the order to change (got 0)")
        index = self.symbol_index(symbol)
        if check_engine:
            self._check_engine()
        written, _position = self._impl.submit(
            action_value, type_value, tif_value, index, strategy, size_value, price_value, confidence_value,
            target_client_order_id, client_order_id or 0,
        )
        return int(written)

    def cancel(self, client_order_id: int, symbol: str, strategy_id: int = 0, *, check_engine: bool = True) -> int:
        """Asks the engine to cancel `client_order_id`; returns the cancel signal's own client order id.

        The engine answers on the order it cancels (a CANCELLED report on `client_order_id`), and
        on the returned id only when it rejects the cancel (UNKNOWN_ORDER, ...).
        """
        if isinstance(client_order_id, bool) or not isinstance(client_order_id, int) or not 0 < client_order_id <= _U64:
            raise InvalidSignal(f"client_order_id must be an integer in 1..2**64-1, got {client_order_id!r}")
        strategy = _check_u32("strategy_id", strategy_id)
        index = self.symbol_index(symbol)
        if check_engine:
            self._check_engine()
        coid, _position = self._impl.submit(
            int(SignalAction.CANCEL), int(OrderType.LIMIT), int(TimeInForce.GTC), index, strategy, 0.0, 0.0, 1.0,
            client_order_id,
        )
        return int(coid)

    # ---------------------------------------------------------------- reports
    def _drain(self) -> list[Report]:
        """Every report from this bridge's cursor up to the write position (docs/segment.md, Reports)."""
        impl = self._impl
        out: list[Report] = []
        end = impl.write_position()
        cursor = self._cursor
        while cursor != end:
            if (end - cursor) & _U32 > REPORT_CAPACITY:  # lapped before we even looked
                jump = (end - REPORT_CAPACITY) & _U32
                self.lost_reports += (jump - cursor) & _U32
                cursor = jump
                continue
            r = impl.read_report(cursor)
            held = r[1]
            if held != cursor:
                # The slot was overwritten: we fell more than a ring behind. Go on from the oldest
                # report still in the ring (at least past the one that overwrote ours).
                if (held - cursor) & _U32 < 0x80000000:
                    end = impl.write_position()
                    jump = (end - REPORT_CAPACITY) & _U32
                    past = (held - REPORT_CAPACITY + 1) & _U32
                    if (past - cursor) & _U32 > (jump - cursor) & _U32:
                        jump = past
                else:  # an older report than ours: the writer broke the protocol; skip the slot
                    jump = (cursor + 1) & _U32
                self.lost_reports += (jump - cursor) & _U32
                cursor = jump
                continue
            fields = dict(zip(_REPORT_FIELDS, r))
            fields["kind"] = _enum_or_int(ReportKind, r[0])
            out.append(_build(Report, fields))
            cursor = (cursor + 1) & _U32
        self._cursor = cursor
        return out

    def reports(self, strategy_id: int | None = None) -> list[Report]:
        """Reports published since the last call (or attach), oldest first; only `strategy_id`'s if given."""
        got = list(self._pending)
        self._pending.clear()
        got.extend(self._drain())
        if strategy_id is None:
            return got
        return [r for r in got if r.strategy_id == strategy_id]

    def _set_aside(self, reports: list[Report]) -> None:
        self._pending.extend(reports)
        while len(self._pending) > _PENDING_MAX:
            self._pending.popleft()
            self.lost_reports += 1

    def wait_report(self, client_order_id: int, timeout: float = 1.0) -> Report:
        """The next report on `client_order_id`; other reports seen meanwhile stay for reports()."""
        for k, r in enumerate(self._pending):
            if r.client_order_id == client_order_id:
                del self._pending[k]
                return r
        deadline = time.monotonic() + timeout
        impl = self._impl
        while True:
            fresh = self._drain()
            for k, r in enumerate(fresh):
                if r.client_order_id == client_order_id:
                    self._set_aside(fresh[:k] + fresh[k + 1 :])
                    return r
            self._set_aside(fresh)
            left = deadline - time.monotonic()
            if left <= 0:
                raise ReportTimeout(
                    f"no report on client order id {client_order_id} within {timeout:g} s "
                    f"(report ring at position {self._cursor}); is the engine running and was the signal taken?"
                )
            seen = self._cursor
            for _ in range(_SPIN_POLLS):
                if impl.write_position() != seen:
                    break
            else:
                impl.wait_write_position(seen, left)

    # -------------------------------------------------------------- positions
    def position(self, symbol: str, strategy_id: int = 0) -> Position | None:
        """The strategy's position in `symbol`, or None when it has none."""
        index = self.symbol_index(symbol)
        for row in range(MAX_STRATEGIES):
            p = self._impl.read_position(row, index)
            if p[0] & 1 and p[1] == strategy_id:
                return Position(symbol, p[1], p[3], p[4], p[5], p[6], p[7], p[2], row, p[0])
        return None
