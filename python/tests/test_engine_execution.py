"""The execution path end to end: a real engine process (`cwts run`, simulated venue), signals
from Python through the ring, reports and positions back through the segment.

Bad input goes through the ring raw (Bridge._impl.submit skips the Python-side checks), as a
buggy or hostile producer would write it: each gets its own reject reason, and the engine
keeps running and fills the next good signal.
"""

from __future__ import annotations

import math
import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import cwts
from cwts import OrderType, RejectReason, ReportKind, SignalAction, TimeInForce
from engine_process import CLI, node, start_engine, stop_engine, write_engine_config

TERMINAL = {ReportKind.FILLED, ReportKind.CANCELLED, ReportKind.REJECTED, ReportKind.EXPIRED}


@dataclass(frozen=True)
class EngineProcess:
    name: str
    trades_db: Path


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    name = f"cwts-exec-test-{os.getpid()}"
    config = write_engine_config(
        tmp_path_factory.mktemp("engine"), name, seed=11,
        restricted="[XRP/USDT]",
        limits={50: "{ maxOrderSize: 0.1, maxOrderValue: 5000, creditLimit: 20000, priceCollarPct: 1,"
                " maxOrdersPerSecond: 1000, duplicateWindowMs: 60000, maxFillsPerMinute: 1000 }"},
    )
    process = start_engine(config, name)
    try:
        yield EngineProcess(name, config.parent / "trades.sqlite")
    finally:
        stop_engine(process)


@pytest.fixture
def bridge(engine: EngineProcess) -> Iterator[cwts.Bridge]:
    # A generous heartbeat limit: the test shares two cores with the engine.
    with cwts.Bridge.attach(engine.name, stale_after=0.5) as b:
        yield b


def terminal(bridge: cwts.Bridge, client_order_id: int) -> list[cwts.Report]:
    """Every report on an order up to and including its terminal one."""
    seen: list[cwts.Report] = []
    while not seen or seen[-1].kind not in TERMINAL:
        seen.append(bridge.wait_report(client_order_id, timeout=5.0))
    return seen


def test_a_market_buy_fills_at_the_book_and_moves_the_position(bridge: cwts.Bridge, engine: EngineProcess) -> None:
    before = bridge.position("BTC/USDT", 3)
    ask = bridge.ticker("BTC/USDT").ask
    coid = bridge.submit("BTC/USDT", SignalAction.BUY, 0.01, order_type=OrderType.MARKET, strategy_id=3)
    reports = terminal(bridge, coid)
    assert [r.kind for r in reports][0] == ReportKind.ACCEPTED
    assert reports[-1].kind == ReportKind.FILLED and reports[-1].remaining == 0
    assert math.isclose(sum(r.fill_size for r in reports), 0.01)
    fill_prices = [r.fill_price for r in reports if r.fill_size > 0]
    # Filled from the asks: around the ask seen a moment ago, on the 0.1 tick grid.
    assert all(abs(p - ask) < ask * 0.01 and math.isclose(round(p, 1), p) for p in fill_prices)
    after = bridge.position("BTC/USDT", 3)
    assert after is not None and math.isclose(after.size, (before.size if before else 0) + 0.01)
    assert after.avg_price > 0
    # The engine's SQLite agrees with the segment: the fills, and the position.
    deadline = time.monotonic() + 5
    while True:
        with sqlite3.connect(engine.trades_db) as db:
            fills = db.execute("SELECT price, size FROM fills WHERE strategy_id = 3 AND client_order_id = ?", (coid,)).fetchall()
            stored = db.execute("SELECT size, avg_price FROM positions WHERE strategy_id = 3 AND symbol = 'BTC/USDT'").fetchone()
        if fills and stored and math.isclose(stored[0], after.size):
            break
        assert time.monotonic() < deadline, f"the trade database did not catch up: {fills} {stored}"
        time.sleep(0.02)
    assert sorted(fills) == sorted((r.fill_price, r.fill_size) for r in reports if r.fill_size > 0)
    assert math.isclose(stored[1], after.avg_price)


def test_a_limit_rests_until_cancelled_and_a_cancel_of_it_again_is_unknown(bridge: cwts.Bridge) -> None:
    bid = bridge.ticker("ETH/USDT").bid
    coid = bridge.submit("ETH/USDT", SignalAction.BUY, 0.01, round(bid * 0.9, 2))
    accepted = bridge.wait_report(coid, 5.0)
    assert accepted.kind == ReportKind.ACCEPTED and math.isclose(accepted.remaining, 0.01)
    bridge.cancel(coid, "ETH/USDT")
    cancelled = bridge.wait_report(coid, 5.0)
    assert cancelled.kind == ReportKind.CANCELLED and cancelled.reason == RejectReason.NONE
    again = bridge.cancel(coid, "ETH/USDT")
    assert bridge.wait_report(again, 5.0).reason == RejectReason.UNKNOWN_ORDER


def test_fill_or_kill_beyond_the_book_is_rejected_and_ioc_remainder_cancelled(bridge: cwts.Bridge) -> None:
    coid = bridge.submit("SOL/USDT", SignalAction.BUY, 1_000_000, order_type=OrderType.MARKET, time_in_force=TimeInForce.FOK)
    assert terminal(bridge, coid)[-1].reason == RejectReason.FILL_OR_KILL_UNFILLED
    coid = bridge.submit("SOL/USDT", SignalAction.SELL, 1_000_000, order_type=OrderType.MARKET, time_in_force=TimeInForce.IOC)
    reports = terminal(bridge, coid)
    assert reports[-1].kind == ReportKind.CANCELLED and reports[-1].reason == RejectReason.NO_LIQUIDITY
    assert sum(r.fill_size for r in reports) > 0  # it took what the mirrored levels had
    ask = bridge.ticker("SOL/USDT").ask
    coid = bridge.submit("SOL/USDT", SignalAction.BUY, 0.01, round(ask + 1, 2), time_in_force=TimeInForce.POST_ONLY)
    assert terminal(bridge, coid)[-1].reason == RejectReason.POST_ONLY_WOULD_CROSS


# (action, order_type, tif, symbol_index, size, price, confidence) -> reason
BAD = [
    ("nan size", (1, 0, 0, 0, math.nan, 64000.0, 1.0), RejectReason.INVALID_SIZE),
    ("infinite size", (1, 0, 0, 0, math.inf, 64000.0, 1.0), RejectReason.INVALID_SIZE),
    ("zero size", (1, 0, 0, 0, 0.0, 64000.0, 1.0), RejectReason.INVALID_SIZE),
    ("negative size", (1, 0, 0, 0, -1.0, 64000.0, 1.0), RejectReason.INVALID_SIZE),
    ("nan price", (1, 0, 0, 0, 0.01, math.nan, 1.0), RejectReason.INVALID_PRICE),
    ("infinite price", (2, 0, 0, 0, 0.01, -math.inf, 1.0), RejectReason.INVALID_PRICE),
    ("off tick", (1, 0, 0, 0, 0.01, 64000.05, 1.0), RejectReason.PRICE_OFF_TICK),
    ("off lot", (1, 0, 0, 0, 0.00001, 64000.0, 1.0), RejectReason.SIZE_OFF_LOT),
    ("unknown symbol", (1, 0, 0, 99, 0.01, 64000.0, 1.0), RejectReason.UNKNOWN_SYMBOL),
    ("symbol out of range", (1, 0, 0, 4_000_000_000, 0.01, 64000.0, 1.0), RejectReason.UNKNOWN_SYMBOL),
    ("unknown action", (9, 0, 0, 0, 0.01, 64000.0, 1.0), RejectReason.UNKNOWN_ACTION),
    ("unknown order type", (1, 7, 0, 0, 0.01, 64000.0, 1.0), RejectReason.UNKNOWN_ORDER_TYPE),
    ("unknown time in force", (1, 0, 12, 0, 0.01, 64000.0, 1.0), RejectReason.UNKNOWN_TIME_IN_FORCE),
    ("post-only market", (1, 1, 3, 0, 0.01, 0.0, 1.0), RejectReason.UNKNOWN_TIME_IN_FORCE),
    ("confidence above one", (1, 0, 0, 0, 0.01, 64000.0, 1.5), RejectReason.INVALID_FIELD),
    ("nan confidence", (1, 0, 0, 0, 0.01, 64000.0, math.nan), RejectReason.INVALID_FIELD),
    ("modify of unknown order", (4, 0, 0, 0, 0.01, 64000.0, 1.0), RejectReason.UNKNOWN_ORDER),
]


@pytest.mark.parametrize("what,fields,reason", BAD, ids=[b[0] for b in BAD])
def test_bad_input_through_the_ring_gets_its_reason_and_the_next_good_signal_fills(
    bridge: cwts.Bridge, what: str, fields: tuple[float, ...], reason: RejectReason
) -> None:
    action, order_type, tif, symbol_index, size, price, confidence = fields
    coid, _ = bridge._impl.submit(int(action), int(order_type), int(tif), int(symbol_index), 5, size, price, confidence, 12345)
    report = bridge.wait_report(coid, 5.0)
    assert (report.kind, report.reason) == (ReportKind.REJECTED, reason), what
    good = bridge.submit("BTC/USDT", SignalAction.SELL, 0.001, order_type=OrderType.MARKET, strategy_id=5)
    assert terminal(bridge, good)[-1].kind == ReportKind.FILLED


def test_hold_is_recorded_and_expires_without_an_order(bridge: cwts.Bridge) -> None:
    hold_coid, _ = bridge._impl.submit(int(SignalAction.HOLD), 0, 0, 0, 6, 0.001, 0.0, 1.0, 0)
    hold = bridge.wait_report(hold_coid, 5.0)
    assert (hold.kind, hold.reason, hold.order_id) == (ReportKind.EXPIRED, RejectReason.HOLD, 0)


def test_a_reused_client_order_id_is_rejected_and_the_next_good_signal_fills(bridge: cwts.Bridge) -> None:
    first = bridge.submit("BTC/USDT", SignalAction.BUY, 0.001, order_type=OrderType.MARKET, strategy_id=8, client_order_id=7_000_001)
    assert first == 7_000_001
    assert terminal(bridge, first)[-1].kind == ReportKind.FILLED
    again = bridge.submit("BTC/USDT", SignalAction.SELL, 0.001, order_type=OrderType.MARKET, strategy_id=8, client_order_id=7_000_001)
    report = bridge.wait_report(again, 5.0)
    assert (report.kind, report.reason) == (ReportKind.REJECTED, RejectReason.DUPLICATE_CLIENT_ORDER_ID)
    # Another strategy may use the same id; and this one's next id goes through.
    other = bridge.submit("BTC/USDT", SignalAction.SELL, 0.001, order_type=OrderType.MARKET, strategy_id=9, client_order_id=7_000_001)
    assert terminal(bridge, other)[-1].kind == ReportKind.FILLED
    good = bridge.submit("BTC/USDT", SignalAction.SELL, 0.001, order_type=OrderType.MARKET, strategy_id=8, client_order_id=7_000_002)
    assert terminal(bridge, good)[-1].kind == ReportKind.FILLED


def test_risk_refuses_what_the_limits_forbid_and_the_strategy_cannot_get_around_it(bridge: cwts.Bridge) -> None:
    def reason(coid: int) -> tuple[ReportKind, int]:
        report = bridge.wait_report(coid, 5.0)
        return report.kind, report.reason

    mid = (bridge.ticker("BTC/USDT").bid + bridge.ticker("BTC/USDT").ask) / 2
    big = bridge.submit("BTC/USDT", SignalAction.BUY, 0.2, order_type=OrderType.MARKET, strategy_id=50)
    assert reason(big) == (ReportKind.REJECTED, RejectReason.RISK_MAX_ORDER_SIZE)
    valuable = bridge.submit("BTC/USDT", SignalAction.BUY, 0.1, order_type=OrderType.MARKET, strategy_id=50)
    assert reason(valuable) == (ReportKind.REJECTED, RejectReason.RISK_MAX_ORDER_VALUE)
    far = bridge.submit("BTC/USDT", SignalAction.BUY, 0.01, round(mid * 0.95, 1), strategy_id=50)
    assert reason(far) == (ReportKind.REJECTED, RejectReason.RISK_PRICE_COLLAR)
    restricted = bridge.submit("XRP/USDT", SignalAction.BUY, 1, order_type=OrderType.MARKET, strategy_id=50)
    assert reason(restricted) == (ReportKind.REJECTED, RejectReason.RISK_RESTRICTED_SYMBOL)
    first = bridge.submit("BTC/USDT", SignalAction.BUY, 0.01, round(mid * 0.995, 1), strategy_id=50)
    assert reason(first)[0] == ReportKind.ACCEPTED
    again = bridge.submit("BTC/USDT", SignalAction.BUY, 0.01, round(mid * 0.995, 1), strategy_id=50)
    assert reason(again) == (ReportKind.REJECTED, RejectReason.RISK_DUPLICATE_ORDER)
    # A strategy with no limits of its own still gets the "*" ones; cancels always pass.
    bridge.cancel(first, "BTC/USDT", strategy_id=50)
    assert reason(first) == (ReportKind.CANCELLED, RejectReason.NONE)


def test_kill_switch_from_the_cli_stops_submits_cancels_working_orders_and_needs_a_release(bridge: cwts.Bridge, engine: EngineProcess) -> None:
    def cwts_kill(action: str) -> None:
        done = subprocess.run([node(), str(CLI), "kill", action, "--name", engine.name], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr

    mid = (bridge.ticker("ETH/USDT").bid + bridge.ticker("ETH/USDT").ask) / 2
    resting = bridge.submit("ETH/USDT", SignalAction.BUY, 0.01, round(mid * 0.9, 2), strategy_id=60)
    assert bridge.wait_report(resting, 5.0).kind == ReportKind.ACCEPTED
    cwts_kill("engage")
    try:
        assert bridge.kill_engaged()
        with pytest.raises(cwts.KillEngaged):
            bridge.submit("ETH/USDT", SignalAction.BUY, 0.01, order_type=OrderType.MARKET, strategy_id=60)
        cancelled = bridge.wait_report(resting, 5.0)
        assert (cancelled.kind, cancelled.reason) == (ReportKind.CANCELLED, RejectReason.KILL_ENGAGED)
        # A producer that ignores the flag still meets the engine's refusal.
        raw, _ = bridge._impl.submit(int(SignalAction.BUY), int(OrderType.MARKET), 0, 1, 60, 0.01, 0.0, 1.0, 0)
        assert bridge.wait_report(raw, 5.0).reason == RejectReason.KILL_ENGAGED
        time.sleep(0.2)
        assert bridge.kill_engaged()  # nothing releases it by itself
    finally:
        cwts_kill("release")
    assert not bridge.kill_engaged()
    again = bridge.submit("ETH/USDT", SignalAction.BUY, 0.01, order_type=OrderType.MARKET, strategy_id=60)
    assert terminal(bridge, again)[-1].kind == ReportKind.FILLED
