"""Offline backtesting: `cwts-freqtrade backtesting` runs each example strategy on the bundled
candles (generated from the simulated venue by examples/strategies/data/generate.mjs) with no
engine running and no network: in a network namespace of its own (`unshare -n`, where the
machine allows it), else with HTTP(S) proxies on a closed local port. Markets come from the
bundled markets file, candles from the data files, nothing from the internet.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from engine_process import REPO, node

pytest.importorskip("freqtrade", reason="FreqTrade is the `freqtrade` extra: pip install ./python[freqtrade]")

EXAMPLES = REPO / "examples" / "strategies"
DATA = EXAMPLES / "data" / "cwts"
CWTS_FREQTRADE = Path(sys.executable).with_name("cwts-freqtrade")
# Port 9 (discard) on loopback: nothing listens, so any proxied request would fail.
NO_PROXY_ENV = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


@functools.cache
def offline_prefix() -> list[str]:
    """`unshare -n` (a network namespace with no interface up) when this machine allows it."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


@pytest.mark.parametrize("example,strategy", [("order_book_imbalance", "OrderBookImbalance"), ("rsi_spread_confirm", "RsiSpreadConfirm"), ("model_fusion", "ModelFusion")])
def test_each_example_backtests_offline_on_the_bundled_candles(tmp_path: Path, example: str, strategy: str) -> None:
    config = json.loads((EXAMPLES / f"{example}.config.json").read_text())
    options = config["exchange"]["ccxt_config"]["options"]
    options.update(segment=f"cwts-ft-no-engine-{os.getpid()}", markets_file=str(DATA / "markets.json"))
    config.update(strategy_path=str(EXAMPLES))
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    (tmp_path / "user_data").mkdir()
    done = subprocess.run(
        [*offline_prefix(), str(CWTS_FREQTRADE), "backtesting", "-c", str(path), "--userdir", str(tmp_path / "user_data"), "--datadir", str(DATA), "--export", "trades"],
        capture_output=True, text=True, timeout=120, env={**os.environ, **NO_PROXY_ENV, "COLUMNS": "400"},
    )
    assert done.returncode == 0, done.stderr[-4000:]
    from freqtrade.data.btanalysis import load_backtest_stats

    stats = load_backtest_stats(tmp_path / "user_data" / "backtest_results")["strategy"][strategy]
    assert stats["total_trades"] > 0
    assert set(stats["pairlist"]) == {"BTC/USDT", "ETH/USDT"}
    candles = json.loads((DATA / "BTC_USDT-5m.json").read_text())
    # The whole bundled range, less at most the strategies' 30 startup candles of 5 minutes.
    assert candles[0][0] <= stats["backtest_start_ts"] <= candles[0][0] + 30 * 300_000
    assert stats["backtest_end_ts"] >= candles[-1][0] - 300_000
    assert all(trade["pair"] in ("BTC/USDT", "ETH/USDT") for trade in stats["trades"])


def test_the_bundled_candles_are_what_the_generator_writes(tmp_path: Path) -> None:
    done = subprocess.run(
        [node(), str(DATA.parent / "generate.mjs"), "--out", str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    bundled = sorted(p.name for p in DATA.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == bundled == ["BTC_USDT-5m.json", "ETH_USDT-5m.json", "markets.json"]
    for name in bundled:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), f"{name} differs from a fresh generation"


def test_export_candles_says_what_is_wrong_with_its_input(tmp_path: Path) -> None:
    from cwts.freqtrade.cli import main

    def export(database: Path) -> None:
        main(["export-candles", "--database", str(database), "--datadir", str(tmp_path / "out")])

    with pytest.raises(SystemExit, match="no candle database"):
        export(tmp_path / "absent.sqlite")
    empty = tmp_path / "empty.sqlite"
    with sqlite3.connect(empty) as db:
        db.execute(
            "CREATE TABLE candles (symbol TEXT, timeframe TEXT, open_time_ms INTEGER, open REAL, high REAL, low REAL,"
            " close REAL, volume REAL, trades INTEGER)"
        )
    with pytest.raises(SystemExit, match="holds no candles"):
        export(empty)
    not_candles = tmp_path / "other.sqlite"
    with sqlite3.connect(not_candles) as db:
        db.execute("CREATE TABLE fills (x INTEGER)")
    with pytest.raises(SystemExit, match="not an engine candle database"):
        export(not_candles)
    assert not (tmp_path / "out").exists()
