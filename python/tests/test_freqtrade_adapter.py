"""The ccxt-compatible "cwts" exchange against a real engine process (simulated venue):
markets, tickers, books and candles from the engine; orders through the ring; risk rejects as
the ccxt exceptions FreqTrade handles; bad calls as clear errors. And without an engine: a
stale heartbeat refuses orders, markets come from the markets file, the strategy mixin is None.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ccxt
import pytest
from engine_process import OPEN_RISK, engine_process
from segment_writer import SegmentWriter

import cwts
from cwts.freqtrade import CwtsCcxt, CwtsCcxtAsync, EngineVenue, VenueOptions
from cwts.freqtrade.strategy import EngineStrategyMixin

NAME = f"cwts-ft-adapter-{os.getpid()}"


@pytest.fixture(scope="module")
def engine_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    directory = tmp_path_factory.mktemp("engine")
    config = (
        f"segment: {{ name: {NAME} }}\n"
        "feeds: [{ type: simulated, eventsPerSecond: 2000, seed: 5 }]\n"
        "candles: { database: candles.sqlite, timeframes: [1m, 5m], flushMs: 200 }\n"
        "execution: { database: trades.sqlite }\n"
        "audit: { database: audit.sqlite }\n"
        "modes: { initial: FULL_AUTO, stateFile: mode.json }\n"
        + OPEN_RISK
        + "    '71': { maxOrderSize: 0.01, maxOrderValue: 1.0e9, creditLimit: 1.0e9, priceCollarPct: 50,"
        " maxOrdersPerSecond: 1000, duplicateWindowMs: 0, maxFillsPerMinute: 1000 }\n"
        "    '72': { maxOrderSize: 1, maxOrderValue: 1.0e9, creditLimit: 50, priceCollarPct: 50,"
        " maxOrdersPerSecond: 1000, duplicateWindowMs: 0, maxFillsPerMinute: 1000 }\n"
    )
    with engine_process(NAME, directory, config):
        yield directory


def exchange(engine_dir: Path, **options: Any) -> CwtsCcxt:
    settings = {"segment": NAME, "candles": str(engine_dir / "candles.sqlite"), "balance": {"USDT": 100000.0}, **options}
    api = CwtsCcxt({"options": settings})
    api.load_markets()
    return api


def test_markets_are_the_engine_symbols_with_its_tick_and_lot(engine_dir: Path) -> None:
    api = exchange(engine_dir)
    assert list(api.markets) == ["BTC/USDT", "ETH/USDT", "SOL/USDT", "BNB/USDT", "XRP/USDT"]
    btc = api.market("BTC/USDT")
    assert (btc["base"], btc["quote"], btc["spot"], btc["active"]) == ("BTC", "USDT", True, True)
    assert btc["precision"] == {"amount": 0.0001, "price": 0.1} and btc["limits"]["amount"]["min"] == 0.0001
    assert api.amount_to_precision("BTC/USDT", 0.123456) == "0.1234"
    assert api.price_to_precision("BTC/USDT", 64000.123) == "64000.1"


def test_ticker_and_book_come_from_the_segment(engine_dir: Path) -> None:
    api = exchange(engine_dir)
    with cwts.Bridge.attach(NAME, stale_after=0.5) as bridge:
        ticker = api.fetch_ticker("ETH/USDT")
        direct = bridge.ticker("ETH/USDT")
        assert 0 < ticker["bid"] < ticker["ask"]
        # Both read the live book a moment apart: within a few ticks of each other.
        assert abs(ticker["bid"] - direct.bid) < direct.bid * 0.002
        book = api.fetch_l2_order_book("ETH/USDT", 7)
        assert len(book["bids"]) == len(book["asks"]) == 7
        assert all(a[0] > b[0] for a, b in zip(book["bids"], book["bids"][1:]))  # best first
        assert book["bids"][0][0] < book["asks"][0][0]
        assert api.fetch_order_book("ETH/USDT")["bids"].__len__() == 50
    assert set(api.fetch_tickers(["BTC/USDT", "SOL/USDT"])) == {"BTC/USDT", "SOL/USDT"}


def test_candles_are_the_engine_database_rows_including_the_open_candle(engine_dir: Path) -> None:
    api = exchange(engine_dir)
    deadline = time.monotonic() + 10
    while not (candles := api.fetch_ohlcv("BTC/USDT", "1m")):
        assert time.monotonic() < deadline, "no candle reached the database within 10 s"
        time.sleep(0.1)
    with sqlite3.connect(engine_dir / "candles.sqlite") as db:
        rows = db.execute(
            "SELECT open_time_ms, open, high, low, close, volume FROM candles WHERE symbol = 'BTC/USDT' "
            "AND timeframe = '1m' ORDER BY open_time_ms"
        ).fetchall()
    assert [c[0] for c in candles] == [r[0] for r in rows[-len(candles):]]
    now_ms = time.time() * 1000
    assert now_ms - 60_000 <= candles[-1][0] <= now_ms and candles[-1][0] % 60_000 == 0
    assert candles[-1][2] >= max(candles[-1][1], candles[-1][4]) and candles[-1][3] <= min(candles[-1][1], candles[-1][4])
    assert api.fetch_ohlcv("BTC/USDT", "1m", since=int(now_ms) + 3_600_000) == []
    async_api = CwtsCcxtAsync({"options": {"segment": NAME, "candles": str(engine_dir / "candles.sqlite")}})

    async def load() -> tuple[dict[str, Any], list[list[float]]]:
        try:
            return await async_api.load_markets(), await async_api.fetch_ohlcv("BTC/USDT", "1m", limit=1)
        finally:
            await async_api.close()

    markets, last = asyncio.run(load())
    assert set(markets) == set(api.markets) and last[0][0] >= candles[-1][0]


def test_a_market_buy_fills_and_moves_the_balance_by_the_engine_position(engine_dir: Path) -> None:
    api = exchange(engine_dir, strategy_id=70)
    before = api.fetch_balance()
    order = api.create_order("BTC/USDT", "market", "buy", 0.01)
    assert (order["status"], order["filled"], order["remaining"]) == ("closed", 0.01, 0.0)
    assert order["average"] > 0 and math.isclose(order["cost"], order["average"] * 0.01)
    after = api.fetch_balance()
    assert math.isclose(after["BTC"]["total"], before.get("BTC", {}).get("total", 0.0) + 0.01)
    assert math.isclose(after["USDT"]["total"], before["USDT"]["total"] - order["cost"], rel_tol=1e-9)
    with cwts.Bridge.attach(NAME, stale_after=0.5) as bridge:
        position = bridge.position("BTC/USDT", 70)
        assert position is not None and math.isclose(position.size, after["BTC"]["total"])
    sold = api.create_order("BTC/USDT", "market", "sell", 0.01)
    assert sold["status"] == "closed" and api.fetch_order(sold["id"])["filled"] == 0.01


def test_a_resting_limit_is_open_holds_its_funds_and_cancels(engine_dir: Path) -> None:
    api = exchange(engine_dir, strategy_id=73)
    bid = api.fetch_ticker("ETH/USDT")["bid"]
    price = float(api.price_to_precision("ETH/USDT", bid * 0.8))
    order = api.create_order("ETH/USDT", "limit", "buy", 0.5, price)
    assert order["status"] == "open" and order["remaining"] == 0.5 and order["price"] == price
    assert [o["id"] for o in api.fetch_open_orders("ETH/USDT")] == [order["id"]]
    assert math.isclose(api.fetch_balance()["USDT"]["used"], 0.5 * price)
    cancelled = api.cancel_order(order["id"], "ETH/USDT")
    assert cancelled["status"] == "canceled" and cancelled["filled"] == 0
    assert api.fetch_open_orders() == [] and api.fetch_balance()["USDT"]["used"] == 0
    # Cancelling an order that already ended answers with it as it is.
    assert api.cancel_order(order["id"], "ETH/USDT")["status"] == "canceled"


def test_risk_rejects_are_invalid_order_and_insufficient_funds_with_the_reason(engine_dir: Path) -> None:
    size_limited = exchange(engine_dir, strategy_id=71)
    with pytest.raises(ccxt.InvalidOrder, match="RISK_MAX_ORDER_SIZE"):
        size_limited.create_order("BTC/USDT", "market", "buy", 0.02)
    credit_limited = exchange(engine_dir, strategy_id=72)
    with pytest.raises(ccxt.InsufficientFunds, match="RISK_CREDIT_LIMIT"):
        credit_limited.create_order("SOL/USDT", "market", "buy", 1)
    # The engine's own refusals: off the lot grid, a post-only that would cross.
    api = exchange(engine_dir, strategy_id=74)
    with pytest.raises(ccxt.InvalidOrder, match="SIZE_OFF_LOT"):
        api.create_order("BTC/USDT", "market", "buy", 0.00001)
    ask = api.fetch_ticker("SOL/USDT")["ask"]
    with pytest.raises(ccxt.InvalidOrder, match="POST_ONLY_WOULD_CROSS"):
        api.create_order("SOL/USDT", "limit", "buy", 0.1, ask + 0.5, {"timeInForce": "PO"})
    assert api.fetch_open_orders() == []


def test_the_adapter_refuses_what_the_balance_cannot_pay(engine_dir: Path) -> None:
    api = exchange(engine_dir, strategy_id=75, balance={"USDT": 10.0})
    with pytest.raises(ccxt.InsufficientFunds, match="needs .* USDT, the strategy has 10 free"):
        api.create_order("BTC/USDT", "market", "buy", 0.01)
    with pytest.raises(ccxt.InsufficientFunds, match="BTC"):
        api.create_order("BTC/USDT", "market", "sell", 0.01)


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda api: api.fetch_ticker("NOPE/USDT"), ccxt.BadSymbol, "unknown symbol 'NOPE/USDT'"),
        (lambda api: api.create_order("BTC/USDT", "stop", "buy", 0.01, 1.0), ccxt.InvalidOrder, "order type 'stop'"),
        (lambda api: api.create_order("BTC/USDT", "limit", "up", 0.01, 1.0), ccxt.InvalidOrder, "side 'up'"),
        (lambda api: api.create_order("BTC/USDT", "limit", "buy", 0.01), ccxt.InvalidOrder, "needs a price"),
        (lambda api: api.create_order("BTC/USDT", "limit", "buy", 0.01, 60000.0, {"timeInForce": "GTD"}), ccxt.InvalidOrder, "GTD"),
        (lambda api: api.create_order("BTC/USDT", "limit", "buy", float("nan"), 60000.0), ccxt.InvalidOrder, "size must be"),
        (lambda api: api.create_order("BTC/USDT", "limit", "buy", -1, 60000.0), ccxt.InvalidOrder, "size must be"),
        (lambda api: api.fetch_order("123456789"), ccxt.OrderNotFound, "not one this adapter placed"),
        (lambda api: api.cancel_order("not-a-number"), ccxt.OrderNotFound, "not one this adapter placed"),
        (lambda api: api.fetch_ohlcv("BTC/USDT", "7m"), ccxt.BadRequest, "not one the engine builds"),
        (lambda api: api.fetch_ohlcv("BTC/USDT", "1h"), ccxt.BadRequest, "records no 1h candles"),
        (lambda api: api.fetch_l2_order_book("BTC/USDT", 0), ccxt.BadRequest, "limit is an integer > 0"),
    ],
)
def test_bad_calls_raise_the_ccxt_error_with_the_reason(engine_dir: Path, call: Any, error: type[Exception], message: str) -> None:
    api = exchange(engine_dir, strategy_id=76)
    with pytest.raises(error, match=message):
        call(api)


@pytest.mark.parametrize(
    "options,message",
    [
        ({"strategy_id": -1}, "strategy_id must be"),
        ({"strategy_id": True}, "strategy_id must be"),
        ({"balance": {"USDT": -5}}, "balance must map"),
        ({"balance": {"USDT": float("inf")}}, "balance must map"),
        ({"order_timeout": 0}, "order_timeout must be"),
        ({"segment": ""}, "segment must be"),
    ],
)
def test_bad_options_are_refused_at_construction(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ccxt.ExchangeError, match=message):
        EngineVenue(options)


def test_without_ohlcv_database_candles_are_not_supported() -> None:
    with pytest.raises(ccxt.NotSupported, match="options.candles"):
        EngineVenue({}).ohlcv("BTC/USDT", "1m", None, None)


def test_without_an_engine_markets_come_from_the_markets_file_or_a_clear_error(tmp_path: Path) -> None:
    missing = f"cwts-ft-absent-{os.getpid()}"
    with pytest.raises(ccxt.ExchangeNotAvailable, match="markets_file"):
        CwtsCcxt({"options": {"segment": missing}}).load_markets()
    markets_file = tmp_path / "markets.json"
    markets_file.write_text(json.dumps({"BTC/USDT": {"tick_size": 0.1, "lot_size": 0.0001}}))
    api = CwtsCcxt({"options": {"segment": missing, "markets_file": str(markets_file)}})
    assert api.load_markets()["BTC/USDT"]["precision"] == {"amount": 0.0001, "price": 0.1}
    markets_file.write_text("{not json")
    with pytest.raises(ccxt.ExchangeError, match="cannot read the markets file"):
        CwtsCcxt({"options": {"segment": missing, "markets_file": str(markets_file)}}).load_markets()
    with pytest.raises(ccxt.ExchangeNotAvailable, match="no segment"):
        api.create_order("BTC/USDT", "market", "buy", 0.01)


def test_orders_are_refused_while_the_heartbeat_is_stale_or_the_kill_flag_set(make_segment: Any) -> None:
    writer: SegmentWriter = make_segment()
    writer.write_symbol(0, "BTC/USDT", bid=100.0, ask=101.0, tick_size=0.5, lot_size=0.01, bids=[(100.0, 1.0)], asks=[(101.0, 1.0)])
    writer.beat(time.monotonic_ns() - 10_000_000_000)  # ten seconds old
    api = CwtsCcxt({"options": {"segment": writer.name, "balance": {"USDT": 1000.0}}})
    api.load_markets()
    with pytest.raises(ccxt.ExchangeNotAvailable, match="heartbeat"):
        api.create_order("BTC/USDT", "limit", "buy", 1.0, 100.0)
    writer.beat()
    writer.set_flags(int(cwts.HeaderFlag.ENGINE_ALIVE | cwts.HeaderFlag.KILL_ENGAGED))
    with pytest.raises(ccxt.InvalidOrder, match="kill switch"):
        api.create_order("BTC/USDT", "limit", "buy", 1.0, 100.0)
    assert writer.consumer().drain() == []  # nothing reached the ring


def test_orders_follow_their_reports_and_a_lapped_report_ring_is_reported(make_segment: Any, caplog: pytest.LogCaptureFixture) -> None:
    writer: SegmentWriter = make_segment()
    writer.write_symbol(0, "BTC/USDT", bid=100.0, ask=101.0, tick_size=0.5, lot_size=0.01, bids=[(100.0, 1.0)], asks=[(101.0, 1.0)])
    # Nothing beats this segment's heartbeat: a generous stale_after keeps it fresh for the test.
    api = CwtsCcxt({"options": {"segment": writer.name, "strategy_id": 4, "balance": {"USDT": 1000.0}, "stale_after": 60}})
    api.load_markets()
    # The segment hands out client order id 1 next; "the engine" accepts it while create_order waits.
    accept = threading.Timer(0.1, lambda: writer.publish_report(kind=cwts.ReportKind.ACCEPTED, client_order_id=1, strategy_id=4, remaining=2.0))
    accept.start()
    order = api.create_order("BTC/USDT", "limit", "buy", 2.0, 100.0)
    accept.join()
    assert (order["id"], order["status"], order["remaining"]) == ("1", "open", 2.0)
    writer.publish_report(kind=cwts.ReportKind.PARTIALLY_FILLED, client_order_id=1, strategy_id=4, fill_size=0.5, fill_price=99.5, remaining=1.5)
    writer.publish_report(kind=cwts.ReportKind.FILLED, client_order_id=1, strategy_id=9, fill_size=9.0, fill_price=1.0)  # another strategy's
    partial = api.fetch_order("1")
    assert (partial["status"], partial["filled"], partial["remaining"], partial["average"]) == ("open", 0.5, 1.5, 99.5)
    for _ in range(cwts.bridge.REPORT_CAPACITY + 10):
        writer.publish_report(kind=cwts.ReportKind.REJECTED, client_order_id=999, strategy_id=9)
    with caplog.at_level("WARNING", logger="cwts.freqtrade"):
        api.fetch_order("1")
    assert "were overwritten before this adapter read them" in caplog.text and "[1]" in caplog.text
    writer.publish_report(kind=cwts.ReportKind.FILLED, client_order_id=1, strategy_id=4, fill_size=1.5, fill_price=100.0)
    done = api.fetch_order("1")
    assert (done["status"], done["filled"], done["remaining"]) == ("closed", 2.0, 0.0)
    assert math.isclose(done["average"], (0.5 * 99.5 + 1.5 * 100.0) / 2.0)
    # An order the engine does not answer in time (parked for approval) is still an order: open.
    quiet = CwtsCcxt({"options": {"segment": writer.name, "strategy_id": 4, "balance": {"USDT": 1000.0}, "order_timeout": 0.05, "stale_after": 60}})
    quiet.load_markets()
    waiting = quiet.create_order("BTC/USDT", "limit", "buy", 1.0, 100.0)
    assert (waiting["id"], waiting["status"]) == ("2", "open")
    writer.publish_report(kind=cwts.ReportKind.REJECTED, reason=cwts.RejectReason.APPROVAL_TIMEOUT, client_order_id=2, strategy_id=4)
    assert quiet.fetch_order("2")["status"] == "rejected" and quiet.fetch_order("2")["info"]["reason"] == "APPROVAL_TIMEOUT"


class _Strategy(EngineStrategyMixin):
    def __init__(self, runmode: str, segment: str) -> None:
        self.config = {"runmode": runmode, "exchange": {"ccxt_config": {"options": {"segment": segment, "strategy_id": 70}}}}


def test_the_strategy_mixin_gives_the_bridge_live_and_none_in_backtests_or_without_engine(engine_dir: Path) -> None:
    live = _Strategy("live", NAME)
    book = live.engine_book("BTC/USDT", 3)
    assert book is not None and book.bids.shape == (3, 2)
    assert live.engine_ticker("NOPE/USDT") is None
    spread = live.engine_spread_bps("BTC/USDT")
    assert spread is not None and 0 < spread < 100
    assert live.engine is live.engine  # one bridge, kept
    backtest = _Strategy("backtest", NAME)
    assert backtest.engine is None and backtest.engine_book("BTC/USDT") is None and backtest.engine_spread_bps("BTC/USDT") is None
    absent = _Strategy("dry_run", f"cwts-ft-absent-{os.getpid()}")
    started = time.perf_counter()
    assert absent.engine is None and absent.engine_position("BTC/USDT") is None
    assert absent.engine is None and time.perf_counter() - started < 0.5  # no attach retried in every call
