"""Books and tickers: values, depth clipping, numpy shapes, unknown symbols, the read-only mapping, golden image."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import cwts
from cwts._layout import BOOK_DEPTH

GOLDEN = Path(__file__).resolve().parents[2] / "packages" / "shm-layout" / "golden"


@pytest.fixture
def bridge(segment, backend):
    with cwts.Bridge.attach(segment.name, backend=backend) as b:
        yield b


def test_symbols_lists_active_slots_in_order(bridge):
    assert bridge.symbols() == ["BTC/USDT", "ETH/USDT"]
    assert bridge.symbol_index("ETH/USDT") == 1


def test_unknown_symbol_lists_what_exists(bridge):
    with pytest.raises(cwts.UnknownSymbol) as info:
        bridge.ticker("DOGE/USDT")
    assert "'DOGE/USDT'" in str(info.value) and "'BTC/USDT', 'ETH/USDT'" in str(info.value)
    with pytest.raises(cwts.UnknownSymbol):
        bridge.book("OLD/USDT")  # the slot exists but is not ACTIVE
    with pytest.raises(cwts.UnknownSymbol):
        bridge.symbol_index(42)  # type: ignore[arg-type]


def test_ticker_values(bridge):
    t = bridge.ticker("BTC/USDT")
    assert t == cwts.Ticker(
        symbol="BTC/USDT", bid=64999.5, ask=65000.25, bid_volume=1.25, ask_volume=0.75, last=65000.0, volume_24h=12.5,
        exchange_ts_ns=11, receive_ts_ns=12, publish_ts_ns=13, update_count=17, status=cwts.SymbolStatus.ACTIVE, venue="sim",
    )
    assert isinstance(t.status, cwts.SymbolStatus)
    e = bridge.ticker("ETH/USDT")
    assert e.status == cwts.SymbolStatus.ACTIVE | cwts.SymbolStatus.STALE and e.venue == "binance"
    with pytest.raises(AttributeError):
        t.bid = 1.0  # type: ignore[misc]


def test_book_values_shapes_and_dtypes(bridge):
    book = bridge.book("BTC/USDT")
    assert book.bids.dtype == np.float64 and book.asks.dtype == np.float64
    assert book.bids.shape == (3, 2) and book.asks.shape == (2, 2)
    np.testing.assert_array_equal(book.bids, [[64999.5, 1.25], [64999.25, 2.5], [64998.0, 10.0]])
    np.testing.assert_array_equal(book.asks, [[65000.25, 0.75], [65001.0, 3.0]])
    assert (book.symbol, book.update_count, book.publish_ts_ns, book.status) == ("BTC/USDT", 17, 13, cwts.SymbolStatus.ACTIVE)


@pytest.mark.parametrize("depth,expect", [(0, 0), (1, 1), (5, 5), (50, 50), (500, 50)])
def test_depth_clipping(bridge, depth, expect):
    book = bridge.book("ETH/USDT", depth)
    assert book.bids.shape == (expect, 2) and book.asks.shape == (expect, 2)
    if expect:
        np.testing.assert_array_equal(book.bids[:, 0], [3400.1 - j for j in range(expect)])
        np.testing.assert_array_equal(book.asks[:, 1], [2.0 + j for j in range(expect)])
    assert bridge.book("BTC/USDT", 2).bids.shape == (2, 2)
    assert bridge.book("BTC/USDT", 10).bids.shape == (3, 2)  # the slot's own depth


def test_bad_depth(bridge):
    with pytest.raises(ValueError):
        bridge.book("BTC/USDT", -1)


def test_depth_field_beyond_50_is_clipped(segment, bridge):
    segment.write_symbol(3, "WIDE/USDT", bid_depth=1000, ask_depth=51, update_count=1)
    book = bridge.book("WIDE/USDT", 1000)
    assert book.bids.shape == (BOOK_DEPTH, 2) and book.asks.shape == (BOOK_DEPTH, 2)


def test_snapshot_raw(bridge):
    raw = bridge.snapshot_raw(0)
    assert raw["name"] == "BTC/USDT" and raw["venue"] == "sim" and raw["seq"] % 2 == 0 and raw["seq"] > 0
    assert raw["tick_size"] == 0.25 and raw["lot_size"] == 0.001 and raw["bid_depth"] == 3 and raw["ask_depth"] == 2
    assert raw["bids"].shape == (BOOK_DEPTH, 2) and raw["asks"].shape == (BOOK_DEPTH, 2)
    assert raw["bids"][2, 0] == 64998.0 and raw["bids"][3, 0] == 0.0
    with pytest.raises(IndexError):
        bridge.snapshot_raw(100)


def test_backends_agree(segment):
    with cwts.Bridge.attach(segment.name, backend="cython") as c, cwts.Bridge.attach(segment.name, backend="python") as p:
        for i in range(3):
            a, b = c.snapshot_raw(i), p.snapshot_raw(i)
            assert a.keys() == b.keys()
            for key in a:
                if isinstance(a[key], np.ndarray):
                    np.testing.assert_array_equal(a[key], b[key])
                else:
                    assert a[key] == b[key], key
        for symbol in c.symbols():
            assert c.ticker(symbol) == p.ticker(symbol)


def test_slot_taken_over_by_another_symbol(segment, bridge):
    assert bridge.ticker("BTC/USDT").bid == 64999.5
    segment.write_symbol(0, "SOL/USDT", bid=150.0, update_count=1)
    segment.write_symbol(5, "BTC/USDT", bid=1.0, update_count=1)
    assert bridge.ticker("BTC/USDT").bid == 1.0  # found in its new slot, not read from the old one
    assert bridge.ticker("SOL/USDT").bid == 150.0


def test_odd_seqlock_left_behind_times_out(segment, backend):
    with cwts.Bridge.attach(segment.name, backend=backend, seqlock_timeout=0.05) as bridge:
        segment.begin(0)
        with pytest.raises(cwts.EngineUnavailable, match="symbol slot 0: its seqlock stayed odd"):
            bridge.ticker("BTC/USDT")
        segment.end(0)
        assert bridge.ticker("BTC/USDT").update_count == 17


def test_market_data_mapping_is_read_only(segment, tmp_path):
    """A write into the book through the Cython backend's mapping kills the process."""
    code = (
        "import sys, cwts, cwts._shim\n"
        "bridge = cwts.Bridge.attach(sys.argv[1], backend='cython')\n"
        "cwts._shim._poke_readonly_for_test(bridge)\n"
        "print('wrote into the book')\n"
    )
    child = subprocess.run([sys.executable, "-c", code, segment.name], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert child.returncode in (-signal.SIGSEGV, -signal.SIGBUS), (child.returncode, child.stdout, child.stderr)
    assert "wrote" not in child.stdout
    with cwts.Bridge.attach(segment.name) as bridge:
        assert bridge.ticker("BTC/USDT").bid == 64999.5


def test_fallback_market_data_mapping_is_read_only(segment):
    with cwts.Bridge.attach(segment.name, backend="python") as bridge:
        with pytest.raises(TypeError):
            bridge._impl._ro[0] = 1  # ACCESS_READ


def _golden_value(kind: str, text: str) -> object:
    if kind in ("u32", "u64"):
        return int(text)
    if kind == "f64":
        return float(text)
    return text


def test_golden_image(backend, name):
    """Every field listed in golden/segment-v1.expected, read from golden/segment-v1.bin."""
    path = f"/dev/shm/{name}"
    shutil.copyfile(GOLDEN / "segment-v1.bin", path)
    os.chmod(path, 0o600)
    golden = json.loads((GOLDEN / "segment-v1.json").read_text())
    try:
        with cwts.Bridge.attach(name, backend=backend) as bridge:
            header = bridge.header()
            snapshots = {i: bridge.snapshot_raw(i) for i in range(3)}
            bridge._cursor = 0  # read the ring from its start, not from where attach found it
            reports = bridge.reports()
            write_position = bridge._impl.write_position()
            checked = 0
            for line in (GOLDEN / "segment-v1.expected").read_text(encoding="utf-8").splitlines():
                key, kind, text = line.split(" ", 2)
                want = _golden_value(kind, text)
                region, _, field = key.rpartition(".")
                indices = [int(x) for x in region.replace("]", "").split("[")[1:]]
                if region == "header":
                    got = getattr(header, field)
                elif region.startswith("symbols"):
                    got = snapshots[indices[0]][field]
                elif region.startswith(("bids", "asks")):
                    side = region.split("[")[0]
                    got = snapshots[indices[0]][side][indices[1], 0 if field == "price" else 1]
                elif region.startswith("reports"):
                    got = getattr(reports[indices[0]], field)
                elif region == "report_control":
                    got = write_position
                elif region == "signal_control":
                    got = bridge.signal_control()[field]
                elif region.startswith("positions"):
                    row, symbol_index = indices
                    raw = bridge._impl.read_position(row, symbol_index)
                    got = dict(zip(("flags", "strategy_id", "symbol_index", "size", "avg_price", "realized_pnl",
                                    "unrealized_pnl", "updated_ns"), raw))[field]
                else:
                    pytest.fail(f"unexpected golden key {key}")
                assert got == want, key
                checked += 1
            assert checked > 100
            assert bridge.symbols() == [s["name"] for s in golden["symbols"]]
            for p in golden["positions"]:
                symbol = golden["symbols"][p["symbol_index"]]["name"]
                position = bridge.position(symbol, p["strategy_id"])
                assert position is not None and position.row == p["row"] and position.size == p["size"]
            assert bridge.position("ETH/USDT", 7) is None
            assert [r.client_order_id for r in reports] == [r["client_order_id"] for r in golden["reports"]]
    finally:
        os.unlink(path)
