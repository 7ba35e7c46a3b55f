"""End to end: unmodified FreqTrade in trade mode (`cwts-freqtrade trade`, dry_run off) runs the
order-book-imbalance example against a real engine process on the simulated venue.

Its orders must reach the engine (the audit trail has their reports, and its hash chain
verifies), FreqTrade's trade database must agree with the engine's fills order by order, and
the engine's positions with FreqTrade's trades. Afterwards the candles the engine recorded
export to FreqTrade data files that FreqTrade loads back unchanged.
"""

from __future__ import annotations

import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from engine_process import CLI, OPEN_RISK, REPO, engine_process, node

pytest.importorskip("freqtrade", reason="FreqTrade is the `freqtrade` extra: pip install ./python[freqtrade]")

EXAMPLES = REPO / "examples" / "strategies"
CWTS_FREQTRADE = Path(sys.executable).with_name("cwts-freqtrade")
STRATEGY_ID = 1
# FreqTrade needs a few seconds to start; the simulated book's imbalance crosses the example's
# thresholds within seconds, so an entry and its exit normally come well inside this.
TRADE_WITHIN_S = 60


def freqtrade_config(directory: Path, segment: str) -> Path:
    """The example's config, pointed at this test's engine and files."""
    config = json.loads((EXAMPLES / "order_book_imbalance.config.json").read_text())
    options = config["exchange"]["ccxt_config"]["options"]
    options.update(segment=segment, candles=str(directory / "candles.sqlite"), markets_file=str(EXAMPLES / "data" / "cwts" / "markets.json"))
    assert options["strategy_id"] == STRATEGY_ID
    config.update(
        strategy_path=str(EXAMPLES),
        db_url=f"sqlite:///{directory / 'freqtrade.sqlite'}",
        datadir=str(directory / "data"),
    )
    path = directory / "freqtrade.json"
    path.write_text(json.dumps(config))
    return path


def filled_orders(database: Path) -> list[tuple[str, str, str, float, float]]:
    """(order id, pair, side, filled, average) of every order FreqTrade saw fill, in any part."""
    if not database.exists():
        return []
    with sqlite3.connect(database) as db:
        try:
            return db.execute(
                "SELECT order_id, ft_pair, ft_order_side, filled, average FROM orders WHERE filled > 0 ORDER BY id"
            ).fetchall()
        except sqlite3.OperationalError:  # FreqTrade has not created its tables yet
            return []


def test_freqtrade_trades_through_the_engine_and_both_books_agree(tmp_path: Path) -> None:
    assert CWTS_FREQTRADE.exists(), f"{CWTS_FREQTRADE} is missing: reinstall the cwts package (node scripts/bootstrap.mjs)"
    segment = f"cwts-ft-e2e-{os.getpid()}"
    engine_config = (
        f"segment: {{ name: {segment} }}\n"
        "feeds: [{ type: simulated, eventsPerSecond: 2000, seed: 3 }]\n"
        "candles: { database: candles.sqlite, timeframes: [1m, 5m], flushMs: 500 }\n"
        "execution: { database: trades.sqlite }\n"
        "audit: { database: audit.sqlite }\n"
        "modes: { initial: FULL_AUTO, stateFile: mode.json }\n" + OPEN_RISK
    )
    user_data = tmp_path / "user_data"
    user_data.mkdir()
    ft_db = tmp_path / "freqtrade.sqlite"
    log = tmp_path / "freqtrade.log"  # FreqTrade logs to stderr
    with engine_process(segment, tmp_path, engine_config):
        with log.open("wb") as stderr:
            bot = subprocess.Popen(
                [str(CWTS_FREQTRADE), "trade", "-c", str(freqtrade_config(tmp_path, segment)), "--userdir", str(user_data)],
                stdout=subprocess.DEVNULL, stderr=stderr, env={**os.environ, "COLUMNS": "400"},  # unwrapped log lines
            )
        try:
            deadline = time.monotonic() + TRADE_WITHIN_S
            # An entry and an exit filled: FreqTrade placed, followed and closed a trade through the engine.
            while {side for _, _, side, _, _ in filled_orders(ft_db)} != {"buy", "sell"}:
                assert bot.poll() is None, f"FreqTrade exited ({bot.returncode}):\n{log.read_text()[-4000:] if log.exists() else ''}"
                assert time.monotonic() < deadline, f"no entry and exit filled within {TRADE_WITHIN_S} s:\n{log.read_text()[-4000:]}"
                time.sleep(0.5)
        finally:
            bot.send_signal(signal.SIGINT)
            try:
                bot.wait(timeout=30)
            except subprocess.TimeoutExpired:
                bot.kill()
                raise
    assert bot.returncode == 130, log.read_text()[-4000:]  # FreqTrade's exit after a SIGINT
    assert "Using resolved exchange class 'Cwts'" in log.read_text()
    assert " - ERROR - " not in log.read_text(), log.read_text()[-4000:]

    orders = filled_orders(ft_db)
    with sqlite3.connect(tmp_path / "trades.sqlite") as db:
        fills = db.execute(
            "SELECT client_order_id, symbol, SUM(size), SUM(size * price) / SUM(size) FROM fills WHERE strategy_id = ? GROUP BY client_order_id",
            (STRATEGY_ID,),
        ).fetchall()
        positions = dict(db.execute("SELECT symbol, size FROM positions WHERE strategy_id = ?", (STRATEGY_ID,)).fetchall())
    engine = {str(coid): (symbol, size, vwap) for coid, symbol, size, vwap in fills}
    # Order by order: the same orders, filled by the same amounts at the same average price.
    assert set(engine) == {order_id for order_id, *_ in orders}
    for order_id, pair, _side, filled, average in orders:
        symbol, size, vwap = engine[order_id]
        assert symbol == pair and math.isclose(size, filled, rel_tol=1e-9) and math.isclose(vwap, average, rel_tol=1e-9)
    held: dict[str, float] = defaultdict(float)
    for _, pair, side, filled, _ in orders:
        held[pair] += filled if side == "buy" else -filled
    for pair in held.keys() | positions.keys():
        assert math.isclose(held.get(pair, 0.0), positions.get(pair, 0.0), abs_tol=1e-9), pair

    # The audit trail holds the engine's reports on every one of FreqTrade's orders, and verifies.
    with sqlite3.connect(tmp_path / "audit.sqlite") as db:
        audited = {
            str(body["clientOrderId"])
            for (text,) in db.execute("SELECT body FROM audit WHERE kind = 'report'")
            if (body := json.loads(text))["strategyId"] == STRATEGY_ID
        }
    assert {order_id for order_id, *_ in orders} <= audited
    verify = subprocess.run([node(), str(CLI), "audit", "verify", "--database", str(tmp_path / "audit.sqlite")], capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0, verify.stdout + verify.stderr

    # The candles the engine recorded become FreqTrade data that FreqTrade reads back as stored.
    exported = subprocess.run(
        [str(CWTS_FREQTRADE), "export-candles", "--database", str(tmp_path / "candles.sqlite"), "--datadir", str(tmp_path / "data")],
        capture_output=True, text=True, timeout=120,
    )
    assert exported.returncode == 0, exported.stderr
    assert "BTC_USDT-1m" in exported.stdout
    from freqtrade.data.history import load_pair_history

    frame = load_pair_history("BTC/USDT", "1m", tmp_path / "data", data_format="json", fill_up_missing=False)
    with sqlite3.connect(tmp_path / "candles.sqlite") as db:
        stored = db.execute(
            "SELECT open_time_ms, open, high, low, close, volume FROM candles WHERE symbol = 'BTC/USDT' AND timeframe = '1m' ORDER BY open_time_ms"
        ).fetchall()
    loaded = [(int(row.date.timestamp() * 1000), row.open, row.high, row.low, row.close, row.volume) for row in frame.itertuples()]
    # FreqTrade's json files keep 10 significant digits of the volume sums.
    assert stored and [row[0] for row in loaded] == [row[0] for row in stored]
    assert [row[1:] for row in loaded] == [pytest.approx(row[1:], rel=1e-9) for row in stored]
