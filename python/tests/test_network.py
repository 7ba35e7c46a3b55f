"""cwts.network against a real engine process (`cwts run`, simulated venue) over real sockets:
ipc:// on this box and tcp:// on 127.0.0.1 with CURVE keys that `cwts keys` writes into a temp dir.
"""

from __future__ import annotations

import json
import math
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import zmq

import cwts
from cwts import OrderType, RejectReason, ReportKind, SignalAction
from cwts.network import SCHEMA_VERSION, TOPICS, ControlClient, ControlError, CurveKeys, EventSubscriber

REPO = Path(__file__).resolve().parents[2]
CLI = REPO / "packages" / "engine" / "dist" / "cli" / "main.js"
VECTORS = REPO / "packages" / "engine" / "test" / "fixtures" / "control-requests.json"


@dataclass(frozen=True)
class NetworkEngine:
    events_ipc: str
    control_ipc: str
    events_tcp: str
    control_tcp: str
    keys: CurveKeys
    intruder: CurveKeys


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _cwts(*args: str) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "node is not on PATH"
    return subprocess.run([node, str(CLI), *args], capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NetworkEngine]:
    assert CLI.exists(), f"{CLI} is missing: build the engine first (npm run build)"
    node = shutil.which("node")
    assert node, "node is not on PATH"
    d = tmp_path_factory.mktemp("network")
    for name, where in (("engine", d), ("strategy", d / "authorized"), ("intruder", d / "elsewhere")):
        made = _cwts("keys", "--dir", str(where), "--name", name)
        assert made.returncode == 0, made.stderr
    name = f"cwts-net-test-{id(d)}"
    ports = [_free_port(), _free_port()]
    endpoints = {"events_ipc": f"ipc://{d}/events.ipc", "control_ipc": f"ipc://{d}/control.ipc",
                 "events_tcp": f"tcp://127.0.0.1:{ports[0]}", "control_tcp": f"tcp://127.0.0.1:{ports[1]}"}
    config = d / "engine.yaml"
    config.write_text(
        f"segment: {{ name: {name} }}\n"
        "feeds: [{ type: simulated, eventsPerSecond: 2000, seed: 17 }]\n"
        "candles: { database: ':memory:' }\n"
        "execution: { database: ':memory:' }\n"
        "audit: { database: ':memory:' }\n"
        "modes: { initial: FULL_AUTO, stateFile: mode.json }\n"
        "risk:\n"
        "  account: { creditLimit: 1.0e12 }\n"
        "  strategies:\n"
        "    '*': { maxOrderSize: 1.0e9, maxOrderValue: 1.0e12, creditLimit: 1.0e12, priceCollarPct: 50,"
        " maxOrdersPerSecond: 1.0e6, duplicateWindowMs: 0, maxFillsPerMinute: 1000000 }\n"
        "network:\n"
        f"  publish: [{endpoints['events_ipc']}, {endpoints['events_tcp']}]\n"
        f"  control: [{endpoints['control_ipc']}, {endpoints['control_tcp']}]\n"
        "  healthMs: 100\n"
        "  curve: { secretKeyFile: engine.key_secret, authorizedKeysDir: authorized }\n"
    )
    process = subprocess.Popen([node, str(CLI), "run", "--config", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        with ControlClient(endpoints["control_ipc"], timeout=0.2) as probe:
            while True:
                assert process.poll() is None, f"the engine exited: {process.stderr.read().decode() if process.stderr else ''}"
                try:
                    if all(s["bid"] for s in probe.status()["symbols"]):
                        break
                except ControlError:
                    pass
                assert time.monotonic() < deadline, "the engine did not answer on its control socket within 20 s"
        keys = CurveKeys.from_files(str(d / "engine.key"), str(d / "authorized" / "strategy.key_secret"))
        intruder = CurveKeys.from_files(str(d / "engine.key"), str(d / "elsewhere" / "intruder.key_secret"))
        yield NetworkEngine(**endpoints, keys=keys, intruder=intruder)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)


def test_a_remote_strategy_sees_books_and_events_and_trades_over_tcp(engine: NetworkEngine) -> None:
    with EventSubscriber(engine.events_tcp, ["book.", "report", "fill", "position", "health"], curve=engine.keys) as events, \
            ControlClient(engine.control_tcp, curve=engine.keys) as control:
        books = events.latest_books(timeout=5.0)
        deadline = time.monotonic() + 5
        while len(books) < 5 and time.monotonic() < deadline:
            books = events.latest_books(timeout=0.5)
        assert set(books) == {"BTC/USDT", "ETH/USDT", "SOL/USDT", "BNB/USDT", "XRP/USDT"}
        btc = books["BTC/USDT"]
        assert 0 < len(btc["bids"]) <= 10 and btc["bids"][0][0] < btc["asks"][0][0]
        coid = control.submit("BTC/USDT", SignalAction.BUY, 0.01, order_type=OrderType.MARKET, strategy_id=21)
        final = control.wait_terminal(coid, timeout=5.0)
        assert final.kind == ReportKind.FILLED and math.isclose(final.cumulative_filled, 0.01) and final.terminal
        assert final.symbol == "BTC/USDT" and final.strategy_id == 21 and final.reason == RejectReason.NONE
        # The same order on the event stream: its report, its fill, the position it made.
        seen: dict[str, dict[str, object]] = {}
        deadline = time.monotonic() + 5
        while {"report", "fill", "position"} - set(seen) and time.monotonic() < deadline:
            event = events.receive(timeout=0.5)
            if event and event.data.get("strategyId") == 21:
                seen[event.topic] = event.data
        assert seen["report"]["clientOrderId"] == coid
        assert seen["fill"]["symbol"] == "BTC/USDT"
        assert math.isclose(float(seen["position"]["size"]), 0.01)  # type: ignore[arg-type]


def test_every_event_is_versioned_and_numbered_per_topic(engine: NetworkEngine) -> None:
    with EventSubscriber(engine.events_ipc) as events, ControlClient(engine.control_ipc) as control:
        time.sleep(0.2)  # the subscription reaches the engine
        control.set_mode("SEMI_AUTO", "python test")
        control.set_mode("FULL_AUTO", "python test")
        control.engage_kill("python test")
        control.release_kill("python test")
        limits = control.set_limit("*", "maxOrdersPerSecond", 5000)
        assert limits["strategies"]["*"]["maxOrdersPerSecond"] == 5000
        topics: set[str] = set()
        deadline = time.monotonic() + 5
        while not {"mode", "kill", "limit", "health"} <= topics and time.monotonic() < deadline:
            event = events.receive(timeout=0.5)
            if event:
                topics.add(event.topic.split(".")[0])
        assert {"mode", "kill", "limit", "health", "book"} <= topics <= set(TOPICS)
        # Nothing but books is ever lost by a subscriber that keeps reading (books are conflated, at most dropped).
        assert {topic: n for topic, n in events.missed.items() if not topic.startswith("book.")} == {}


def test_bad_requests_get_their_code_from_the_golden_vectors(engine: NetworkEngine) -> None:
    vectors = json.loads(VECTORS.read_text())["vectors"]
    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
    dealer = context.socket(zmq.DEALER)
    dealer.linger = 0
    dealer.rcvtimeo = 5000
    dealer.connect(engine.control_ipc)
    try:
        for vector in vectors:
            dealer.send(vector["body"].encode())
            reply = json.loads(dealer.recv())
            assert reply["v"] == SCHEMA_VERSION and reply["type"] == "reply" and reply["id"] == vector["id"], vector
            if vector["error"] is None:
                assert reply["ok"] is True, reply
            else:
                assert reply["ok"] is False and reply["error"]["code"] == vector["error"], (vector, reply)
                assert reply["error"]["message"]
    finally:
        dealer.close()
        context.term()


def test_refusals_raise_control_errors_and_bad_signals_get_their_reject_reason(engine: NetworkEngine) -> None:
    with ControlClient(engine.control_ipc) as control:
        with pytest.raises(ControlError) as unknown:
            control.request("launch")
        assert unknown.value.code == "UNKNOWN_COMMAND"
        with pytest.raises(ControlError) as bad_limit:
            control.set_limit(1, "maxOrderSize", -1)
        assert bad_limit.value.code == "INVALID_ARGUMENT"
        with pytest.raises(ControlError) as not_waiting:
            control.approve(987654)
        assert not_waiting.value.code == "REFUSED"
        control.set_mode("EMERGENCY")
        with pytest.raises(ControlError, match="operator"):
            control.set_mode("FULL_AUTO")
        assert control.set_mode("FULL_AUTO", operator=True) == "FULL_AUTO"
        # These reach the engine's own validation, as through the ring: one terminal report each.
        cases = {
            control.submit("NOPE/USDT", SignalAction.BUY, 1, 1): RejectReason.UNKNOWN_SYMBOL,
            control.submit("BTC/USDT", SignalAction.BUY, -1, 1): RejectReason.INVALID_SIZE,
            control.submit("BTC/USDT", SignalAction.BUY, 0.01, 0): RejectReason.INVALID_PRICE,
            control.submit("BTC/USDT", 42, 0.01, 1): RejectReason.UNKNOWN_ACTION,
            control.cancel(10**12, "BTC/USDT"): RejectReason.UNKNOWN_ORDER,
        }
        for coid, reason in cases.items():
            report = control.wait_terminal(coid, timeout=5.0)
            assert (report.kind, report.reason) == (ReportKind.REJECTED, reason)
        # A resting order, then its cancel: answered on the order, CANCELLED.
        bid = control.status()["symbols"][0]["bid"]
        resting = control.submit("BTC/USDT", SignalAction.BUY, 0.01, round(bid * 0.99, 1), strategy_id=22)
        assert control.wait_report(resting, timeout=5.0).kind == ReportKind.ACCEPTED
        control.cancel(resting, "BTC/USDT", strategy_id=22)
        assert control.wait_terminal(resting, timeout=5.0).kind == ReportKind.CANCELLED


def test_an_unknown_curve_key_gets_nothing(engine: NetworkEngine) -> None:
    with ControlClient(engine.control_tcp, curve=engine.intruder, timeout=0.7) as intruder:
        with pytest.raises(ControlError) as refused:
            intruder.status()
        assert refused.value.code == "TIMEOUT"
    with EventSubscriber(engine.events_tcp, ["health"], curve=engine.intruder) as events:
        assert events.receive(timeout=0.7) is None
    with pytest.raises(cwts.CwtsError, match="requires CURVE"):
        ControlClient(engine.control_tcp)
    with ControlClient(engine.control_tcp, curve=engine.keys) as trusted:
        assert trusted.status()["network"]["curve"]["refused"] >= 2
