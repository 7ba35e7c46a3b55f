"""The GPIO kill line seen from Python: an engine process whose kill line is a stand-in (the
native watcher reads crafted kernel events from a FIFO). An active edge must stop submits in
this process at once, cancel working orders, and stay engaged when the line goes inactive.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import cwts
from cwts import OrderType, RejectReason, ReportKind, SignalAction
from engine_process import wait_until_publishing

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "packages" / "engine" / "test" / "fixtures" / "gpio-kill-engine.mjs"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """The fixture engine, up and publishing; its stdin drives the kill line."""
    node = shutil.which("node")
    assert node, "node is not on PATH"
    assert (REPO / "packages" / "engine" / "dist" / "index.js").exists(), "build the engine first (npm run build)"
    name = f"cwts-gpio-kill-py-{os.getpid()}"
    process = subprocess.Popen([node, str(FIXTURE), name, str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_publishing(name, process)
        yield name, process
    finally:
        if process.stdin:
            process.stdin.close()  # the fixture stops its engine at the end of stdin
        process.wait(timeout=20)


def edge(process: subprocess.Popen[str], level: str) -> None:
    assert process.stdin
    process.stdin.write(f"{level}\n")
    process.stdin.flush()


def test_an_active_gpio_edge_stops_submits_cancels_working_orders_and_stays_engaged(engine: tuple[str, subprocess.Popen[str]]) -> None:
    name, process = engine
    with cwts.Bridge.attach(name, stale_after=0.5) as bridge:
        bid = bridge.ticker("ETH/USDT").bid
        resting = bridge.submit("ETH/USDT", SignalAction.BUY, 0.01, round(bid * 0.9, 2), strategy_id=70)
        assert bridge.wait_report(resting, 5.0).kind == ReportKind.ACCEPTED
        assert not bridge.kill_engaged()

        edge(process, "active")
        deadline = time.monotonic() + 5
        while not bridge.kill_engaged():
            assert time.monotonic() < deadline, "the GPIO edge did not set the kill flag within 5 s"
        with pytest.raises(cwts.KillEngaged):
            bridge.submit("ETH/USDT", SignalAction.BUY, 0.01, order_type=OrderType.MARKET, strategy_id=70)
        cancelled = bridge.wait_report(resting, 5.0)
        assert (cancelled.kind, cancelled.reason) == (ReportKind.CANCELLED, RejectReason.KILL_ENGAGED)

        edge(process, "inactive")
        time.sleep(0.3)
        assert bridge.kill_engaged()  # the line going inactive releases nothing

    assert process.stdin and process.stdout
    process.stdin.close()
    process.wait(timeout=20)
    kills = [json.loads(text)["kill"] for text in process.stdout.read().splitlines() if text.startswith('{"kill"')]
    assert [(k["engaged"], k["source"]) for k in kills if "cancelled" not in k] == [(True, "gpio")]
    assert any(k.get("cancelled") == 1 for k in kills)  # the hot loop cancelled the resting order
