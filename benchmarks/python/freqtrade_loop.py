"""FreqTrade against a running engine: its loop time with one open trade, and dp.orderbook()
through the adapter against the raw bridge.

    python benchmarks/python/freqtrade_loop.py --name NAME --candles FILE [--seconds S]

The engine runs elsewhere (scripts/bench.mjs starts it on the simulated venue, FULL_AUTO,
risk limits set, candles in FILE). Here, in one process:

1. `dp.orderbook(pair, 10)` of a FreqTrade DataProvider on the "cwts" exchange (FreqTrade's
   Exchange, the ccxt class, the bridge), and `bridge.book(pair, 10)` alone, alternately;
   per-call time in HDR histograms, and their ratio at p50 and p99.
2. A FreqtradeBot in trade mode (dry_run off) with the order-book-imbalance example's config
   and a strategy that opens one trade and holds it: once that trade is open and filled, each
   `bot.process()` is timed. That is FreqTrade's loop body without its throttle sleep:
   candles, analysis, open orders, exit checks on the open trade (pricing from the live
   book), entries (none: max_open_trades is 1).

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import cwts
from cwts.freqtrade import register
from hdr_summary import new_histogram, summary

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "strategies" / "order_book_imbalance.config.json"
PAIR = "BTC/USDT"
STRATEGY_ID = 90

# The strategy of part 2, written to a temp dir for FreqTrade's strategy loader.
HOLD_STRATEGY = '''
from freqtrade.strategy import IStrategy


class HoldOneTrade(IStrategy):
    """Enters once and holds: the loop then always has exactly one open trade."""

    INTERFACE_VERSION = 3
    timeframe = "1m"
    minimal_roi = {"0": 100.0}
    stoploss = -0.99
    process_only_new_candles = False
    use_exit_signal = False

    def populate_indicators(self, dataframe, metadata):
        return dataframe

    def populate_entry_trend(self, dataframe, metadata):
        dataframe["enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe, metadata):
        dataframe["exit_long"] = 0
        return dataframe
'''


def config(directory: Path, name: str, candles: str) -> dict[str, Any]:
    settings: dict[str, Any] = json.loads(EXAMPLE.read_text())
    settings["exchange"]["ccxt_config"]["options"].update(segment=name, candles=candles, strategy_id=STRATEGY_ID)
    settings["exchange"]["pair_whitelist"] = [PAIR]
    settings.update(
        strategy="HoldOneTrade", strategy_path=str(directory), max_open_trades=1, timeframe="1m",
        db_url=f"sqlite:///{directory / 'trades.sqlite'}", user_data_dir=str(directory), datadir=str(directory / "data"),
    )
    return settings


def orderbook_costs(dp: Any, bridge: cwts.Bridge, seconds: float) -> dict[str, Any]:
    adapter, raw = new_histogram(), new_histogram()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter_ns()
        dp.orderbook(PAIR, 10)
        middle = time.perf_counter_ns()
        bridge.book(PAIR, 10)
        adapter.record_value(max(1, middle - started))
        raw.record_value(max(1, time.perf_counter_ns() - middle))
    a, r = summary(adapter, curve=True), summary(raw, curve=True)
    return {"adapter_ns": a, "raw_bridge_ns": r, "adapter_over_raw_p50": a["p50"] / r["p50"], "adapter_over_raw_p99": a["p99"] / r["p99"]}


def loop_times(bot: Any, seconds: float) -> dict[str, Any]:
    from freqtrade.persistence import Trade

    deadline = time.monotonic() + 60
    while not (trades := Trade.get_open_trades()) or trades[0].has_open_orders:
        if time.monotonic() > deadline:
            raise SystemExit(f"no filled open trade within 60 s: {trades}")
        bot.process()
        time.sleep(0.2)
    histogram = new_histogram()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter_ns()
        bot.process()
        histogram.record_value(max(1, time.perf_counter_ns() - started))
    assert len(Trade.get_open_trades()) == 1, "the held trade closed during the measurement"
    return {"open_trades": 1, "loop_ns": summary(histogram, curve=True)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", required=True, help="segment name of the running engine")
    parser.add_argument("--candles", required=True, help="the engine's candles.database")
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to measure each part (default 3)")
    args = parser.parse_args()
    register()
    from freqtrade.configuration import Configuration
    from freqtrade.data.dataprovider import DataProvider
    from freqtrade.enums import RunMode, State
    from freqtrade.freqtradebot import FreqtradeBot
    from freqtrade.resolvers.exchange_resolver import ExchangeResolver

    with tempfile.TemporaryDirectory(prefix="cwts-bench-ft-") as tmp:
        directory = Path(tmp)
        (directory / "hold_one_trade.py").write_text(HOLD_STRATEGY)
        config_file = directory / "config.json"
        config_file.write_text(json.dumps(config(directory, args.name, args.candles)))
        ft_config = Configuration({"config": [str(config_file)]}, RunMode.LIVE).get_config()

        exchange = ExchangeResolver.load_exchange(ft_config, validate=True)
        with cwts.Bridge.attach(args.name, stale_after=1.0) as bridge:
            orderbook = orderbook_costs(DataProvider(ft_config, exchange), bridge, args.seconds)
        exchange.close()

        bot = FreqtradeBot(ft_config)
        bot.state = State.RUNNING
        bot.startup()
        try:
            loop = loop_times(bot, args.seconds)
        finally:
            bot.cleanup()
    print(json.dumps({"benchmark": "freqtrade", "pair": PAIR, "orderbook": orderbook, **loop}))


if __name__ == "__main__":
    sys.exit(main())
