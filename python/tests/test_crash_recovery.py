"""Crash recovery: `kill -9` the engine while orders flow, start it again on the same files.

The restarted engine must take over the positions the dead one left, answer the orders that
were working on the simulated venue (which died with it) with CANCELLED / ENGINE_STOPPED,
restore the control mode, or come up in EMERGENCY when what it finds does not add up; and the
audit chain must still verify.
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import cwts
from cwts import ControlMode, OrderType, RejectReason, ReportKind, SignalAction
from engine_process import CLI, start_engine, stop_engine, write_engine_config

SYMBOLS = ("BTC/USDT", "ETH/USDT")


@pytest.fixture
def name() -> Iterator[str]:
    name = f"cwts-crash-test-{os.getpid()}-{time.monotonic_ns()}"
    yield name
    try:
        os.unlink(f"/dev/shm/{name}")
    except FileNotFoundError:
        pass


def segment_positions(bridge: cwts.Bridge, strategies: range) -> dict[tuple[int, str], float]:
    found: dict[tuple[int, str], float] = {}
    for strategy in strategies:
        for symbol in SYMBOLS:
            p = bridge.position(symbol, strategy)
            if p is not None and p.size != 0:
                found[(strategy, symbol)] = p.size
    return found


def stored_positions(trades_db: Path) -> dict[tuple[int, str], float]:
    with sqlite3.connect(trades_db) as db:
        rows = db.execute("SELECT strategy_id, symbol, size FROM positions WHERE size != 0").fetchall()
    return {(int(s), str(sym)): float(size) for s, sym, size in rows}


def crash_while_orders_flow(config: Path, name: str) -> tuple[dict[tuple[int, str], float], list[int]]:
    """Runs the engine, leaves resting orders working, kills it -9 amid a stream of market
    orders; returns the positions the segment held at death and the resting orders' ids."""
    engine = start_engine(config, name)
    try:
        bridge = cwts.Bridge.attach(name, stale_after=0.5)
        resting: list[int] = []
        for strategy, symbol in ((31, "BTC/USDT"), (32, "ETH/USDT")):
            bid = bridge.ticker(symbol).bid
            coid = bridge.submit(symbol, SignalAction.BUY, 0.01, round(bid * 0.9, 1), strategy_id=strategy)
            assert bridge.wait_report(coid, 5.0).kind == ReportKind.ACCEPTED
            resting.append(coid)
        stop = threading.Event()
        sent = [0]

        def flow() -> None:
            while not stop.is_set():
                try:
                    side = SignalAction.BUY if sent[0] % 3 else SignalAction.SELL
                    bridge.submit(SYMBOLS[sent[0] % 2], side, 0.001, order_type=OrderType.MARKET, strategy_id=33 + sent[0] % 2)
                    sent[0] += 1
                except cwts.CwtsError:
                    return  # the engine is gone: its heartbeat went stale
                time.sleep(0.0005)

        flowing = threading.Thread(target=flow)
        flowing.start()
        deadline = time.monotonic() + 10
        while sent[0] < 200:
            assert time.monotonic() < deadline, f"only {sent[0]} orders went out in 10 s"
            time.sleep(0.01)
        engine.send_signal(signal.SIGKILL)
        engine.wait(timeout=10)
        stop.set()
        flowing.join(timeout=10)
        # The dead engine's segment is still in /dev/shm: its last word on the positions.
        time.sleep(0.1)
        left = segment_positions(bridge, range(31, 35))
        bridge.close()
        return left, resting
    finally:
        if engine.poll() is None:
            engine.kill()
            engine.wait()


def verify_audit(database: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node
    return subprocess.run([node, str(CLI), "audit", "verify", "--database", str(database)], capture_output=True, text=True, timeout=60)


def test_kill_9_while_orders_flow_then_restart_takes_over_positions_and_answers_lost_orders(tmp_path: Path, name: str) -> None:
    config = write_engine_config(tmp_path, name, seed=23)
    left, resting = crash_while_orders_flow(config, name)
    assert left, "the crashed run left no positions: the orders did not flow"
    # The mode to expect: the persisted one when the trade database agrees with the segment.
    agree = all(math.isclose(stored_positions(tmp_path / "trades.sqlite").get(k, 0.0), v, rel_tol=1e-9) for k, v in left.items())
    engine = start_engine(config, name)
    try:
        with cwts.Bridge.attach(name, stale_after=0.5, reports_from="oldest") as bridge:
            expected_mode = ControlMode.FULL_AUTO if agree else ControlMode.EMERGENCY
            assert bridge.header().control_mode == expected_mode
            assert segment_positions(bridge, range(31, 35)) == pytest.approx(left)
            for coid in resting:
                report = bridge.wait_report(coid, 5.0)
                assert (report.kind, report.reason, report.remaining) == (ReportKind.CANCELLED, RejectReason.ENGINE_STOPPED, 0)
            # The restarted engine trades: a market order fills and moves the restored position.
            if expected_mode == ControlMode.FULL_AUTO:
                before = left.get((33, "ETH/USDT"), 0.0)
                coid = bridge.submit("ETH/USDT", SignalAction.BUY, 0.001, order_type=OrderType.MARKET, strategy_id=33)
                while (r := bridge.wait_report(coid, 5.0)).kind != ReportKind.FILLED:
                    assert r.kind in (ReportKind.ACCEPTED, ReportKind.PARTIALLY_FILLED), r
                position = bridge.position("ETH/USDT", 33)
                assert position is not None and math.isclose(position.size, before + 0.001, abs_tol=1e-12)
    finally:
        stopped = stop_engine(engine)
    assert stopped == 0
    verified = verify_audit(tmp_path / "audit.sqlite")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_trade_database_that_disagrees_with_the_crashed_segment_brings_the_engine_up_in_emergency(tmp_path: Path, name: str) -> None:
    config = write_engine_config(tmp_path, name, seed=23)
    left, _ = crash_while_orders_flow(config, name)
    (strategy, symbol), size = next(iter(left.items()))
    with sqlite3.connect(tmp_path / "trades.sqlite") as db:
        db.execute("UPDATE positions SET size = ? WHERE strategy_id = ? AND symbol = ?", (size + 1.0, strategy, symbol))
    engine = start_engine(config, name)
    try:
        with cwts.Bridge.attach(name, stale_after=0.5) as bridge:
            assert bridge.header().control_mode == ControlMode.EMERGENCY
            # EMERGENCY: reduce-only. Adding to the position is refused, reducing it goes through.
            add = bridge.submit(symbol, SignalAction.BUY if size > 0 else SignalAction.SELL, 0.001, order_type=OrderType.MARKET, strategy_id=strategy)
            assert bridge.wait_report(add, 5.0).reason == RejectReason.MODE_EMERGENCY
            reduce = bridge.submit(symbol, SignalAction.SELL if size > 0 else SignalAction.BUY, 0.001, order_type=OrderType.MARKET, strategy_id=strategy)
            assert bridge.wait_report(reduce, 5.0).kind == ReportKind.ACCEPTED
    finally:
        stopped = stop_engine(engine)
    assert stopped == 0
    assert engine.stderr is not None
    assert "starting in EMERGENCY: after a crash, positions differ between the trade database and the segment" in engine.stderr.read().decode()


def test_a_clean_stop_ends_working_orders_with_engine_stopped(tmp_path: Path, name: str) -> None:
    config = write_engine_config(tmp_path, name, seed=23)
    engine = start_engine(config, name)
    try:
        bridge = cwts.Bridge.attach(name, stale_after=0.5)
        bid = bridge.ticker("BTC/USDT").bid
        coid = bridge.submit("BTC/USDT", SignalAction.BUY, 0.01, round(bid * 0.9, 1), strategy_id=40)
        assert bridge.wait_report(coid, 5.0).kind == ReportKind.ACCEPTED
    finally:
        stopped = stop_engine(engine)
    assert stopped == 0
    # The segment is unlinked on stop, but this mapping still holds the report the stop wrote.
    report = bridge.wait_report(coid, 1.0)
    assert (report.kind, report.reason) == (ReportKind.CANCELLED, RejectReason.ENGINE_STOPPED)
    bridge.close()
