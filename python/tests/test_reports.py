"""Reports (one writer, every strategy reads, laps counted) and positions."""

from __future__ import annotations

import threading
import time

import pytest

import cwts
from cwts._layout import REPORT_CAPACITY


@pytest.fixture
def bridge(segment, backend):
    with cwts.Bridge.attach(segment.name, backend=backend) as b:
        yield b


def test_reports_in_order_with_every_field(segment, bridge):
    assert bridge.reports() == []
    segment.publish_report(kind=1, client_order_id=10, strategy_id=7, symbol_index=0, signal_position=3, remaining=0.5,
                           order_id=99, ts_ns=123)
    segment.publish_report(kind=3, client_order_id=10, strategy_id=7, fill_size=0.5, fill_price=65000.25,
                           cumulative_filled=0.5, order_id=99, ts_ns=124)
    segment.publish_report(kind=5, reason=12, client_order_id=11, strategy_id=9, symbol_index=1, ts_ns=125)
    got = bridge.reports()
    assert [r.position for r in got] == [0, 1, 2]
    assert got[0] == cwts.Report(kind=cwts.ReportKind.ACCEPTED, position=0, reason=0, client_order_id=10, strategy_id=7,
                                 symbol_index=0, signal_position=3, fill_size=0.0, fill_price=0.0, cumulative_filled=0.0,
                                 remaining=0.5, ts_ns=123, order_id=99)
    assert got[1].kind is cwts.ReportKind.FILLED and got[1].fill_price == 65000.25
    assert got[2].kind is cwts.ReportKind.REJECTED and got[2].reason == 12
    assert bridge.reports() == []  # drained
    assert bridge.lost_reports == 0


def test_reports_start_at_attach(segment, backend):
    segment.publish_report(client_order_id=1)
    with cwts.Bridge.attach(segment.name, backend=backend) as bridge:
        segment.publish_report(client_order_id=2)
        assert [r.client_order_id for r in bridge.reports()] == [2]


def test_filter_by_strategy(segment, bridge):
    for i in range(6):
        segment.publish_report(client_order_id=100 + i, strategy_id=i % 3)
    assert [r.client_order_id for r in bridge.reports(strategy_id=1)] == [101, 104]
    assert bridge.reports(strategy_id=1) == []


def test_unknown_kind_stays_an_int(segment, bridge):
    segment.publish_report(kind=42, client_order_id=1)
    assert bridge.reports()[0].kind == 42


def test_lap_before_reading_is_counted(segment, bridge):
    for i in range(REPORT_CAPACITY + 10):
        segment.publish_report(client_order_id=i)
    got = bridge.reports()
    assert bridge.lost_reports == 10
    assert len(got) == REPORT_CAPACITY
    assert [r.client_order_id for r in got] == list(range(10, REPORT_CAPACITY + 10))


def test_lap_while_reading_is_counted(segment, bridge):
    """The slot of our cursor already holds a later report (written, write_position not yet stored)."""
    for i in range(REPORT_CAPACITY):
        segment.publish_report(client_order_id=i)
    segment.write_report_slot(REPORT_CAPACITY, kind=1, client_order_id=REPORT_CAPACITY)  # overwrites slot 0
    got = bridge.reports()
    assert bridge.lost_reports == 1
    assert [r.client_order_id for r in got] == list(range(1, REPORT_CAPACITY))
    segment.report_write_position = REPORT_CAPACITY + 1
    assert [r.client_order_id for r in bridge.reports()] == [REPORT_CAPACITY]
    assert bridge.lost_reports == 1


def test_write_position_wraps(make_segment, backend):
    segment = make_segment()
    segment.report_write_position = 0xFFFFFFFE
    with cwts.Bridge.attach(segment.name, backend=backend) as bridge:
        for i in range(5):
            segment.publish_report(client_order_id=i)
        got = bridge.reports()
        assert [r.client_order_id for r in got] == list(range(5))
        assert [r.position for r in got] == [0xFFFFFFFE, 0xFFFFFFFF, 0, 1, 2]
        assert bridge.lost_reports == 0


def test_wait_report_woken_by_the_writer(segment, bridge):
    def publish():
        time.sleep(0.3)
        segment.publish_report(client_order_id=5, strategy_id=1)
        segment.publish_report(client_order_id=6, strategy_id=1)

    thread = threading.Thread(target=publish)
    started, cpu = time.monotonic(), time.thread_time()
    thread.start()
    report = bridge.wait_report(6, timeout=10)
    elapsed, cpu = time.monotonic() - started, time.thread_time() - cpu
    thread.join()
    assert report.client_order_id == 6
    assert elapsed < 5  # woken (futex in cython, polling in python), not timed out
    assert cpu < 0.15, f"waited {elapsed:.2f} s burning {cpu:.2f} s of CPU: not asleep"
    assert [r.client_order_id for r in bridge.reports()] == [5]  # the other one is kept for reports()
    assert segment.signal_control("report_waiters") == 0


def test_wait_report_returns_one_seen_earlier(segment, bridge):
    segment.publish_report(client_order_id=1)
    segment.publish_report(client_order_id=2)
    segment.publish_report(client_order_id=3)
    assert bridge.wait_report(2, timeout=1).client_order_id == 2
    assert bridge.wait_report(1, timeout=1).client_order_id == 1
    assert [r.client_order_id for r in bridge.reports()] == [3]


def test_wait_report_times_out(segment, bridge):
    segment.publish_report(client_order_id=1)
    started = time.monotonic()
    with pytest.raises(cwts.ReportTimeout, match="client order id 77 within 0.2 s"):
        bridge.wait_report(77, timeout=0.2)
    assert 0.15 < time.monotonic() - started < 3
    assert segment.signal_control("report_waiters") == 0
    assert [r.client_order_id for r in bridge.reports()] == [1]


def test_positions(segment, bridge):
    assert bridge.position("BTC/USDT", 7) is None
    segment.write_position(0, 0, flags=1, strategy_id=7, size=0.5, avg_price=65000.25, realized_pnl=-1.5,
                           unrealized_pnl=0.125, updated_ns=42)
    segment.write_position(3, 1, flags=1, strategy_id=9, size=-2.0, avg_price=3400.0)
    segment.write_position(4, 1, flags=0, strategy_id=7, size=9.0)  # flag bit clear: not a position
    p = bridge.position("BTC/USDT", 7)
    assert p == cwts.Position(symbol="BTC/USDT", strategy_id=7, size=0.5, avg_price=65000.25, realized_pnl=-1.5,
                              unrealized_pnl=0.125, updated_ns=42, symbol_index=0, row=0, flags=1)
    assert bridge.position("ETH/USDT", 9).size == -2.0
    assert bridge.position("ETH/USDT", 7) is None
    assert bridge.position("BTC/USDT") is None
    with pytest.raises(cwts.UnknownSymbol):
        bridge.position("NOPE", 7)
