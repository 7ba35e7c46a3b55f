"""The pure-Python backend of cwts.Bridge: the same reads as cwts._shim with `mmap` and `struct`.

The engine-written part of the segment is mapped ACCESS_READ, the shared part ACCESS_WRITE
(two mmap objects of the same file). The seqlock reader is the one of docs/segment.md:
read seq, retry while odd, copy, re-read seq, compare. It is correct on x86, where loads
are not reordered with other loads, and only there. Submitting needs a compare-and-swap on
the shared memory, which Python cannot do on an mmap: `submit` raises and says so.
"""

from __future__ import annotations

import mmap
import struct
import time
from typing import Any

import numpy as np

from cwts._layout import (
    BOOK_DEPTH,
    HEADER_FORMAT,
    LEVEL_SIZE,
    MAX_STRATEGIES,
    MAX_SYMBOLS,
    POSITION_SLOT_FIELDS,
    POSITION_SLOT_FORMAT,
    POSITION_SLOT_NAMES,
    REGIONS,
    REPORT_CAPACITY,
    REPORT_RING_CONTROL_FIELDS,
    REPORT_SLOT_FIELDS,
    REPORT_SLOT_FORMAT,
    REPORT_SLOT_NAMES,
    SEGMENT_SIZE,
    SHARED_OFFSET,
    SIGNAL_RING_CONTROL_FORMAT,
    SYMBOL_SLOT_FIELDS,
    SYMBOL_SLOT_FORMAT,
    SYMBOL_SLOT_NAMES,
    HEADER_FIELDS,
)
from cwts.errors import CwtsError, EngineUnavailable

_HEADER = struct.Struct(HEADER_FORMAT)
_SLOT = struct.Struct(SYMBOL_SLOT_FORMAT)
_REPORT = struct.Struct(REPORT_SLOT_FORMAT)
_POSITION = struct.Struct(POSITION_SLOT_FORMAT)
_SIGNAL_CONTROL = struct.Struct(SIGNAL_RING_CONTROL_FORMAT)

_SYMBOLS = REGIONS["symbols"]
_BIDS = REGIONS["bids"]
_ASKS = REGIONS["asks"]
_REPORTS = REGIONS["reports"]
_POSITIONS = REGIONS["positions"]
_REPORT_CONTROL = REGIONS["report_control"]
_SIGNAL_CONTROL_REGION = REGIONS["signal_control"]

# positions of fields inside an unpacked slot tuple
_S = {name: i for i, name in enumerate(SYMBOL_SLOT_NAMES)}
_R = {name: i for i, name in enumerate(REPORT_SLOT_NAMES)}
_P = {name: i for i, name in enumerate(POSITION_SLOT_NAMES)}

_SLOT_SEQ = SYMBOL_SLOT_FIELDS["seq"].offset
_REPORT_SEQ = REPORT_SLOT_FIELDS["seq"].offset
_POSITION_SEQ = POSITION_SLOT_FIELDS["seq"].offset
_WRITE_POSITION = _REPORT_CONTROL.offset + REPORT_RING_CONTROL_FIELDS["write_position"].offset
_FLAGS = HEADER_FIELDS["flags"].offset
_HEARTBEAT = HEADER_FIELDS["heartbeat_ns"].offset
_SYMBOL_COUNT = HEADER_FIELDS["symbol_count"].offset
_LEVELS_BYTES = BOOK_DEPTH * LEVEL_SIZE

# passes of a seqlock read between two looks at the clock
_TRIES_PER_CLOCK = 256
# how long wait_write_position sleeps between two polls
_POLL_SECONDS = 0.0002


def _text(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace")


def _levels(raw: bytes, n: int) -> np.ndarray:
    return np.frombuffer(raw, dtype="<f8", count=2 * n).reshape(n, 2).astype(np.float64, copy=True)


class Segment:
    """One attachment through two `mmap` objects."""

    backend = "python"

    def __init__(self, fd: int, seqlock_timeout: float = 1.0) -> None:
        self.retries = 0
        self.timeout_ns = int(seqlock_timeout * 1e9)
        self._ro = mmap.mmap(fd, SHARED_OFFSET, access=mmap.ACCESS_READ, offset=0)
        try:
            self._rw = mmap.mmap(fd, SEGMENT_SIZE - SHARED_OFFSET, access=mmap.ACCESS_WRITE, offset=SHARED_OFFSET)
        except OSError as error:
            self._ro.close()
            raise CwtsError(
                f"mmap of the shared region read-write failed: {error.strerror}; "
                "open the segment read-write (same user as the engine, mode 0600)"
            ) from error
        # Aligned word views: one index is one 4- or 8-byte load, never a byte-wise copy.
        self._u32 = memoryview(self._ro).cast("I")
        self._u64 = memoryview(self._ro).cast("Q")

    @property
    def closed(self) -> bool:
        return self._ro.closed

    def close(self) -> None:
        if self._ro.closed:
            return
        self._u32.release()
        self._u64.release()
        self._ro.close()
        self._rw.close()

    def _live(self) -> mmap.mmap:
        if self._ro.closed:
            raise CwtsError("the bridge is closed: attach again")
        return self._ro

    # ------------------------------------------------------------------ header
    def header(self) -> tuple[int, ...]:
        return _HEADER.unpack_from(self._live(), 0)

    def flags(self) -> int:
        self._live()
        return self._u32[_FLAGS >> 2]

    def heartbeat_ns(self) -> int:
        self._live()
        return self._u64[_HEARTBEAT >> 3]

    def symbol_count(self) -> int:
        self._live()
        return min(self._u32[_SYMBOL_COUNT >> 2], MAX_SYMBOLS)

    # ------------------------------------------------------------ seqlock core
    def _stuck(self, what: str, seq_offset: int) -> EngineUnavailable:
        return EngineUnavailable(
            f"{what}: its seqlock stayed odd or changing (seq {self._u32[seq_offset >> 2]}) for "
            f"{self.timeout_ns / 1e9:g} s; expected an even, stable word: the engine died or stalled "
            "in the middle of an update; restart the engine"
        )

    def _retry(self, tries: int, deadline: int, what: str, seq_offset: int) -> int:
        """Counts one failed seqlock pass; every _TRIES_PER_CLOCK passes checks the clock and yields.

        Returns the deadline (set on the first clock check); raises once it has passed.
        """
        self.retries += 1
        if tries % _TRIES_PER_CLOCK == 0:
            now = time.monotonic_ns()
            if deadline == 0:
                return now + self.timeout_ns
            if now > deadline:
                raise self._stuck(what, seq_offset)
            time.sleep(0)
        return deadline

    def _read_symbol(self, i: int, want: int) -> tuple[tuple[Any, ...], bytes, bytes]:
        """One consistent copy of slot i with min(want, depth) levels per side (want > 50: all 50)."""
        if not 0 <= i < MAX_SYMBOLS:
            raise IndexError(f"symbol index {i} is outside 0..{MAX_SYMBOLS - 1}")
        mem = self._live()
        u32 = self._u32
        offset = _SYMBOLS.offset + i * _SYMBOLS.stride
        seq_index = (offset + _SLOT_SEQ) >> 2
        bids_at = _BIDS.offset + i * _LEVELS_BYTES
        asks_at = _ASKS.offset + i * _LEVELS_BYTES
        unpack = _SLOT.unpack_from
        bid_depth, ask_depth = _S["bid_depth"], _S["ask_depth"]
        tries = 0
        deadline = 0
        while True:
            s1 = u32[seq_index]
            if not s1 & 1:
                fields = unpack(mem, offset)
                if want > BOOK_DEPTH:
                    nb = na = BOOK_DEPTH
                else:
                    nb = min(fields[bid_depth], BOOK_DEPTH, want)
                    na = min(fields[ask_depth], BOOK_DEPTH, want)
                bids = mem[bids_at : bids_at + nb * LEVEL_SIZE]
                asks = mem[asks_at : asks_at + na * LEVEL_SIZE]
                if u32[seq_index] == s1:
                    return fields, bids, asks
            tries += 1
            deadline = self._retry(tries, deadline, f"symbol slot {i}", offset + _SLOT_SEQ)

    def _read_slot(self, offset: int, seq_offset: int, layout: struct.Struct, what: str) -> tuple[Any, ...]:
        mem = self._live()
        u32 = self._u32
        seq_index = (offset + seq_offset) >> 2
        tries = 0
        deadline = 0
        while True:
            s1 = u32[seq_index]
            if not s1 & 1:
                fields = layout.unpack_from(mem, offset)
                if u32[seq_index] == s1:
                    return fields
            tries += 1
            deadline = self._retry(tries, deadline, what, offset + seq_offset)

    # ------------------------------------------------------------ market data
    def name(self, i: int) -> tuple[int, str]:
        fields, _, _ = self._read_symbol(i, 0)
        return fields[_S["status"]], _text(fields[_S["name"]])

    def ticker(self, i: int) -> dict[str, Any]:
        f, _, _ = self._read_symbol(i, 0)
        return {
            "symbol": f[_S["name"]].split(b"\0", 1)[0],
            "bid": f[_S["bid"]],
            "ask": f[_S["ask"]],
            "bid_volume": f[_S["bid_volume"]],
            "ask_volume": f[_S["ask_volume"]],
            "last": f[_S["last"]],
            "volume_24h": f[_S["volume_24h"]],
            "exchange_ts_ns": f[_S["exchange_ts_ns"]],
            "receive_ts_ns": f[_S["receive_ts_ns"]],
            "publish_ts_ns": f[_S["publish_ts_ns"]],
            "update_count": f[_S["update_count"]],
            "status": f[_S["status"]],
            "venue": _text(f[_S["venue"]]),
        }

    def book(self, i: int, depth: int) -> dict[str, Any]:
        f, bids, asks = self._read_symbol(i, depth)
        return {
            "symbol": f[_S["name"]].split(b"\0", 1)[0],
            "bids": _levels(bids, len(bids) // LEVEL_SIZE),
            "asks": _levels(asks, len(asks) // LEVEL_SIZE),
            "update_count": f[_S["update_count"]],
            "publish_ts_ns": f[_S["publish_ts_ns"]],
            "status": f[_S["status"]],
        }

    def snapshot_raw(self, i: int) -> dict[str, Any]:
        f, bids, asks = self._read_symbol(i, BOOK_DEPTH + 1)
        out: dict[str, Any] = dict(zip(SYMBOL_SLOT_NAMES, f))
        out["name"] = _text(out["name"])
        out["venue"] = _text(out["venue"])
        out["bids"] = _levels(bids, BOOK_DEPTH)
        out["asks"] = _levels(asks, BOOK_DEPTH)
        return out

    # --------------------------------------------------------------- reports
    def write_position(self) -> int:
        self._live()
        return self._u32[_WRITE_POSITION >> 2]

    def read_report(self, index: int) -> tuple[Any, ...]:
        slot = index % REPORT_CAPACITY
        fields = self._read_slot(_REPORTS.offset + slot * _REPORTS.stride, _REPORT_SEQ, _REPORT, f"report slot {slot}")
        return fields[1:]  # everything after seq

    def wait_write_position(self, seen: int, timeout: float) -> int:
        """Polls report_control.write_position with short sleeps while it equals `seen`."""
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            position = self.write_position()
            if position != seen:
                return position
            left = deadline - time.monotonic()
            if left <= 0:
                return position
            time.sleep(min(_POLL_SECONDS, left))

    # ------------------------------------------------------------- positions
    def read_position(self, row: int, symbol: int) -> tuple[Any, ...]:
        if not (0 <= row < MAX_STRATEGIES and 0 <= symbol < MAX_SYMBOLS):
            raise IndexError(f"position [{row}][{symbol}] is outside [0..{MAX_STRATEGIES - 1}][0..{MAX_SYMBOLS - 1}]")
        offset = _POSITIONS.offset + (row * MAX_SYMBOLS + symbol) * _POSITIONS.stride
        fields = self._read_slot(offset, _POSITION_SEQ, _POSITION, f"position slot [{row}][{symbol}]")
        return fields[1:]

    # --------------------------------------------------------------- signals
    def signal_control(self) -> tuple[int, ...]:
        if self._rw.closed:
            raise CwtsError("the bridge is closed: attach again")
        return _SIGNAL_CONTROL.unpack_from(self._rw, _SIGNAL_CONTROL_REGION.offset - SHARED_OFFSET)

    def submit(self, *args: Any) -> tuple[int, int]:
        raise CwtsError(
            "submitting a signal needs the compiled backend (cwts._shim): the signal ring is claimed and "
            "committed with compare-and-swap on shared memory, which pure Python cannot do on an mmap. "
            "Attach with backend='cython' (or 'auto'), and if cwts._shim does not import, reinstall the "
            "package from the repository (pip install ./python) so that the extension is compiled. "
            "Reads work with this backend."
        )
