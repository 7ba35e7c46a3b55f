"""A test-only engine stand-in in pure Python: creates a segment, writes the header, symbols
(under the seqlock protocol), reports and positions, and consumes signals, all through the
offsets of cwts._layout. Single writer; correct on x86 (stores are not reordered with stores).
"""

from __future__ import annotations

import ctypes
import itertools
import mmap
import os
import platform
import struct
import time
from typing import Any, Iterable

from cwts._layout import (
    BOOK_DEPTH,
    HEADER_FIELDS,
    LAYOUT_HASH,
    LAYOUT_VERSION,
    LEVEL_SIZE,
    MAGIC,
    MAX_SYMBOLS,
    POSITION_SLOT_FIELDS,
    REGIONS,
    REPORT_CAPACITY,
    REPORT_RING_CONTROL_FIELDS,
    REPORT_SLOT_FIELDS,
    SEGMENT_SIZE,
    SIGNAL_CAPACITY,
    SIGNAL_RING_CONTROL_FIELDS,
    SIGNAL_SLOT_FIELDS,
    SIGNAL_SLOT_FORMAT,
    SIGNAL_SLOT_NAMES,
    SYMBOL_SLOT_FIELDS,
    HeaderFlag,
    SymbolStatus,
)

_counter = itertools.count()
_M32 = 0xFFFFFFFF
_SIGNAL = struct.Struct(SIGNAL_SLOT_FORMAT)
_SYS_FUTEX = {"x86_64": 202, "aarch64": 98}.get(platform.machine())
_FUTEX_WAKE = 1


def fresh_name() -> str:
    return f"cwts-test-{os.getpid()}-{next(_counter)}"


def region_offset(region: str, *index: int) -> int:
    r = REGIONS[region]
    flat = 0
    for i, dim in zip(index, r.dims):
        flat = flat * dim + i
    return r.offset + flat * r.stride


class SegmentWriter:
    """Owns /dev/shm/<name> (mode 0600) and plays the engine's part of every protocol."""

    def __init__(self, name: str | None = None, size: int = SEGMENT_SIZE, *, format: bool = True) -> None:
        self.name = name or fresh_name()
        self.path = f"/dev/shm/{self.name}"
        fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        try:
            os.ftruncate(fd, size)
            self.mm = mmap.mmap(fd, size) if size else None
        finally:
            os.close(fd)
        self.size = size
        if self.mm is not None and size % 8 == 0:
            self.u32 = memoryview(self.mm).cast("I")
            self.u64 = memoryview(self.mm).cast("Q")
            buffer = (ctypes.c_char * size).from_buffer(self.mm)
            self.base_address = ctypes.addressof(buffer)
            del buffer
        if format and size == SEGMENT_SIZE:
            self.format()

    # ------------------------------------------------------------ plumbing
    def put(self, offset: int, fmt: str, value: Any) -> None:
        assert self.mm is not None
        struct.pack_into("<" + fmt, self.mm, offset, value)

    def get(self, offset: int, fmt: str) -> Any:
        assert self.mm is not None
        return struct.unpack_from("<" + fmt, self.mm, offset)[0]

    def put_fields(self, base: int, fields: dict[str, Any], values: dict[str, Any]) -> None:
        for name, value in values.items():
            field = fields[name]
            if field.format.endswith("s") and isinstance(value, str):
                value = value.encode("utf-8")
            self.put(base + field.offset, field.format, value)

    def futex_wake(self, offset: int) -> None:
        if _SYS_FUTEX is None:
            return
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall(_SYS_FUTEX, ctypes.c_void_p(self.base_address + offset), _FUTEX_WAKE, 0x7FFFFFFF, None, None, 0)

    def close(self) -> None:
        if self.mm is not None and not self.mm.closed:
            if hasattr(self, "u32"):
                self.u32.release()
                self.u64.release()
            self.mm.close()

    def unlink(self) -> None:
        self.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    # -------------------------------------------------------------- header
    def format(self) -> None:
        self.set_header(
            magic=MAGIC,
            layout_version=LAYOUT_VERSION,
            layout_hash=LAYOUT_HASH,
            flags=int(HeaderFlag.ENGINE_ALIVE),
            total_size=SEGMENT_SIZE,
            heartbeat_ns=time.monotonic_ns(),
            created_ns=time.time_ns(),
            engine_pid=os.getpid(),
            symbol_count=0,
            control_mode=0,
        )
        control = region_offset("report_control", 0)
        self.put(control + REPORT_RING_CONTROL_FIELDS["capacity"].offset, "I", REPORT_CAPACITY)
        signal_control = region_offset("signal_control", 0)
        self.put(signal_control + SIGNAL_RING_CONTROL_FIELDS["next_client_order_id"].offset, "Q", 1)
        seq = SIGNAL_SLOT_FIELDS["seq"].offset
        for i in range(SIGNAL_CAPACITY):
            self.put(region_offset("signals", i) + seq, "I", i)  # free for position i

    def set_header(self, **values: Any) -> None:
        self.put_fields(region_offset("header", 0), HEADER_FIELDS, values)

    def header(self, name: str) -> Any:
        return self.get(region_offset("header", 0) + HEADER_FIELDS[name].offset, HEADER_FIELDS[name].format)

    def beat(self, at_ns: int | None = None) -> None:
        self.set_header(heartbeat_ns=time.monotonic_ns() if at_ns is None else at_ns)

    def set_flags(self, flags: int) -> None:
        self.set_header(flags=int(flags))

    # ------------------------------------------------------------- symbols
    def _seq_index(self, i: int) -> int:
        return (region_offset("symbols", i) + SYMBOL_SLOT_FIELDS["seq"].offset) >> 2

    def begin(self, i: int) -> None:
        """First half of a seqlock write: the word goes odd."""
        self.u32[self._seq_index(i)] = (self.u32[self._seq_index(i)] + 1) & _M32

    def end(self, i: int) -> None:
        self.u32[self._seq_index(i)] = (self.u32[self._seq_index(i)] + 1) & _M32

    def write_symbol(
        self,
        i: int,
        name: str,
        *,
        bids: Iterable[tuple[float, float]] = (),
        asks: Iterable[tuple[float, float]] = (),
        status: int = int(SymbolStatus.ACTIVE),
        venue: str = "sim",
        seqlock: bool = True,
        bid_depth: int | None = None,
        ask_depth: int | None = None,
        **fields: Any,
    ) -> None:
        """Writes slot i and its levels as one seqlock update (fields default to 0)."""
        bids, asks = list(bids), list(asks)
        values: dict[str, Any] = {
            "status": int(status), "name": name, "venue": venue,
            "bid_depth": len(bids) if bid_depth is None else bid_depth,
            "ask_depth": len(asks) if ask_depth is None else ask_depth,
        }
        values.update(fields)
        if seqlock:
            self.begin(i)
        self.put_fields(region_offset("symbols", i), SYMBOL_SLOT_FIELDS, values)
        for side, levels in (("bids", bids), ("asks", asks)):
            for j, (price, volume) in enumerate(levels):
                struct.pack_into("<dd", self.mm, region_offset(side, i, j), price, volume)
        if seqlock:
            self.end(i)
        if self.header("symbol_count") < i + 1:
            self.set_header(symbol_count=i + 1)

    def write_stress(self, k: int, n: int, *, corrupt: str | None = None, name: str | None = None) -> None:
        """Update n of symbol k in the stress pattern of docs/segment.md; `corrupt` breaks one field."""
        bid_depth, ask_depth = 1 + n % BOOK_DEPTH, BOOK_DEPTH - n % BOOK_DEPTH
        bids = [(float(n - j), float(n + k + j)) for j in range(BOOK_DEPTH)]
        asks = [(float(n + 1 + j), float(n + k + j + 1)) for j in range(BOOK_DEPTH)]
        fields: dict[str, Any] = dict(
            bid=float(n), ask=float(n + 1), bid_volume=float(n + 2), ask_volume=float(n + 3), last=n + 0.5,
            volume_24h=float(2 * n), exchange_ts_ns=1000 * n, receive_ts_ns=1000 * n + 1,
            publish_ts_ns=time.monotonic_ns(), update_count=n, tick_size=1.0, lot_size=1.0,
        )
        fields.update(bid_depth=bid_depth, ask_depth=ask_depth)
        if corrupt == "bids":
            bids[bid_depth - 1] = (bids[bid_depth - 1][0] + 0.25, bids[bid_depth - 1][1])
        elif corrupt is not None:
            fields[corrupt] = fields[corrupt] + 1
        self.write_symbol(k, name or f"STRESS{k}/USD", bids=bids, asks=asks, venue="stress", **fields)

    # ------------------------------------------------------------- reports
    @property
    def report_write_position(self) -> int:
        return self.get(region_offset("report_control", 0) + REPORT_RING_CONTROL_FIELDS["write_position"].offset, "I")

    @report_write_position.setter
    def report_write_position(self, value: int) -> None:
        self.put(region_offset("report_control", 0) + REPORT_RING_CONTROL_FIELDS["write_position"].offset, "I", value & _M32)

    def write_report_slot(self, position: int, **values: Any) -> None:
        """Seqlock-writes the report at `position` into its slot (without publishing it)."""
        base = region_offset("reports", position % REPORT_CAPACITY)
        seq = (base + REPORT_SLOT_FIELDS["seq"].offset) >> 2
        self.u32[seq] = (self.u32[seq] + 1) & _M32
        values.setdefault("ts_ns", time.monotonic_ns())
        values["position"] = position & _M32
        self.put_fields(base, REPORT_SLOT_FIELDS, {k: int(v) if k in _INT_REPORT_FIELDS else v for k, v in values.items()})
        self.u32[seq] = (self.u32[seq] + 1) & _M32

    def publish_report(self, **values: Any) -> int:
        """The engine's report writer: slot, then write_position, then a wake if a strategy waits."""
        position = self.report_write_position
        defaults = dict(kind=1, reason=0, client_order_id=0, strategy_id=0, symbol_index=0, signal_position=0,
                        fill_size=0.0, fill_price=0.0, cumulative_filled=0.0, remaining=0.0, order_id=0)
        defaults.update(values)
        self.write_report_slot(position, **defaults)
        self.report_write_position = position + 1
        if self.signal_control("report_waiters") > 0:
            self.futex_wake(region_offset("report_control", 0) + REPORT_RING_CONTROL_FIELDS["write_position"].offset)
        return position

    # ----------------------------------------------------------- positions
    def write_position(self, row: int, symbol: int, **values: Any) -> None:
        base = region_offset("positions", row, symbol)
        seq = (base + POSITION_SLOT_FIELDS["seq"].offset) >> 2
        self.u32[seq] = (self.u32[seq] + 1) & _M32
        values.setdefault("symbol_index", symbol)
        self.put_fields(base, POSITION_SLOT_FIELDS, values)
        self.u32[seq] = (self.u32[seq] + 1) & _M32

    # ------------------------------------------------------------- signals
    def signal_control(self, name: str) -> int:
        field = SIGNAL_RING_CONTROL_FIELDS[name]
        return self.get(region_offset("signal_control", 0) + field.offset, field.format)

    def signal_slot(self, index: int) -> dict[str, Any]:
        return dict(zip(SIGNAL_SLOT_NAMES, _SIGNAL.unpack_from(self.mm, region_offset("signals", index))))

    def signal_slot_bytes(self, index: int) -> bytes:
        assert self.mm is not None
        offset = region_offset("signals", index)
        return self.mm[offset : offset + REGIONS["signals"].stride]

    def consumer(self) -> SignalConsumer:
        return SignalConsumer(self)


_INT_REPORT_FIELDS = {"kind", "reason", "client_order_id", "strategy_id", "symbol_index", "signal_position", "order_id"}


class SignalConsumer:
    """The consumer of docs/segment.md ("Signals"), minus abandon and sleep: takes committed slots in order."""

    def __init__(self, writer: SegmentWriter) -> None:
        self.w = writer
        self.head = writer.signal_control("head")
        self._head_at = region_offset("signal_control", 0) + SIGNAL_RING_CONTROL_FIELDS["head"].offset

    def poll(self) -> dict[str, Any] | None:
        h = self.head
        index = h % SIGNAL_CAPACITY
        seq_word = (region_offset("signals", index) + SIGNAL_SLOT_FIELDS["seq"].offset) >> 2
        if self.w.u32[seq_word] != (h + 1) & _M32:
            return None
        signal = self.w.signal_slot(index)
        signal["position"] = h
        self.w.u32[seq_word] = (h + SIGNAL_CAPACITY) & _M32  # free for the next lap, after the copy
        self.head = h + 1
        self.w.u64[self._head_at >> 3] = self.head
        return signal

    def drain(self) -> list[dict[str, Any]]:
        out = []
        while (signal := self.poll()) is not None:
            out.append(signal)
        return out


__all__ = ["SegmentWriter", "SignalConsumer", "fresh_name", "region_offset", "MAX_SYMBOLS", "LEVEL_SIZE"]
