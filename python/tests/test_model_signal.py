"""The engine model's outputs as a FreqTrade strategy reads them: a real engine with the shipped
model and its event stream on ipc, the mixin's engine_model_signal, and ModelFusion's 50/50
decision in confirm_trade_entry."""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from engine_process import OPEN_RISK, REPO, engine_process

pytest.importorskip("freqtrade", reason="FreqTrade is the `freqtrade` extra: pip install ./python[freqtrade]")
pytest.importorskip("zmq", reason="pyzmq is the `network` extra: pip install ./python[network]")

from cwts.freqtrade.model_signal import ModelSignal  # noqa: E402
from cwts.freqtrade.strategy import EngineStrategyMixin  # noqa: E402

MODEL = REPO / "packages" / "engine" / "models" / "mid-direction-v1.onnx"


class Probe(EngineStrategyMixin):
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config


def options(name: str, events: str) -> dict[str, Any]:
    return {"exchange": {"ccxt_config": {"options": {"segment": name, "events": events}}}}


def test_the_mixin_reads_the_engines_model_outputs_from_its_event_stream(tmp_path: Path) -> None:
    name = f"cwts-model-signal-{os.getpid()}"
    events = f"ipc://{tmp_path}/events.ipc"
    config = (
        f"segment: {{ name: {name} }}\n"
        "feeds: [{ type: simulated, eventsPerSecond: 2000, seed: 3 }]\n"
        "candles: { database: ':memory:' }\nexecution: { database: ':memory:' }\naudit: { database: ':memory:' }\n"
        "modes: { initial: FULL_AUTO, stateFile: mode.json }\n"
        f"model: {{ path: {MODEL}, symbols: [BTC/USDT] }}\n"
        f"network: {{ publish: ['{events}'] }}\n" + OPEN_RISK
    )
    with engine_process(name, tmp_path, config):
        live = Probe({"runmode": "dry_run", **options(name, events)})
        deadline = time.monotonic() + 10
        signal = live.engine_model_signal("BTC/USDT")
        while signal is None:
            assert time.monotonic() < deadline, "no model output came over the event stream in 10 s"
            time.sleep(0.05)
            signal = live.engine_model_signal("BTC/USDT")
        assert (signal.model, signal.symbol) == ("mid-direction-v1", "BTC/USDT")
        assert 0.0 <= signal.p_up <= 1.0 and signal.side in ("buy", "sell", None)
        assert abs(time.time() * 1000 - signal.at_ms) < 5000
        assert live.engine_model_signal("SOL/USDT") is None  # the model does not run on it
        # Not a live run mode, or no events endpoint: nothing, and no socket opened.
        assert Probe({"runmode": "backtest", **options(name, events)}).engine_model_signal("BTC/USDT") is None
        assert Probe({"runmode": "dry_run", **options(name, "")}).engine_model_signal("BTC/USDT") is None


@pytest.mark.parametrize("p_up,entered", [(None, True), (0.49, False), (0.5, True), (0.9, True)])
def test_model_fusion_enters_when_half_technical_half_model_reaches_the_score(p_up: float | None, entered: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(REPO / "examples" / "strategies"))
    try:
        from model_fusion import ModelFusion
    finally:
        sys.path.pop(0)
    strategy = ModelFusion({"runmode": "dry_run"})
    signal = None if p_up is None else ModelSignal("mid-direction-v1", "BTC/USDT", p_up, None, 0.0, time.time() * 1000)
    monkeypatch.setattr(strategy, "engine_model_signal", lambda pair, max_age=5.0: signal)
    now = datetime.now(timezone.utc)
    assert strategy.confirm_trade_entry("BTC/USDT", "limit", 0.01, 65000.0, "GTC", now, "ema_cross", "long") is entered
