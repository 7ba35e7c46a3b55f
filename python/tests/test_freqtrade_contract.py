"""Contract tests: the FreqTrade internals the adapter relies on, checked against the installed
FreqTrade. An upgrade that changes any of them fails here, by name, before a strategy trades.

The relied-on internals (docs/freqtrade.md, "What the adapter relies on"):
- the pinned version (python/pyproject.toml, extra `freqtrade`)
- check_exchange / validate_exchange accept any name in `ccxt.exchanges` with the required `has`
- Exchange._init_ccxt builds `getattr(ccxt_module, name)(config)`, sync and async
- ExchangeResolver resolves the title-cased name in `freqtrade.exchange`
- every `_ft_has` key the Cwts class sets is one FreqTrade knows, `_ft_has_params` overrides them
- DataProvider.orderbook / ticker call the exchange's fetch_l2_order_book / fetch_ticker
- Exchange.create_order maps ccxt.InvalidOrder / InsufficientFunds to its own exceptions
- freqtrade.main.main takes the argument list
"""

from __future__ import annotations

import copy
import inspect
import json
import re
from typing import Any

import ccxt
import pytest
from engine_process import REPO
from segment_writer import SegmentWriter

import cwts
from cwts.freqtrade import CwtsCcxt, CwtsCcxtAsync, register

freqtrade = pytest.importorskip("freqtrade", reason="FreqTrade is the `freqtrade` extra: pip install ./python[freqtrade]")

from freqtrade.data.dataprovider import DataProvider  # noqa: E402
from freqtrade.enums import RunMode  # noqa: E402
from freqtrade.exceptions import InsufficientFundsError, InvalidOrderException  # noqa: E402
from freqtrade.exchange import Exchange  # noqa: E402
from freqtrade.exchange.check_exchange import check_exchange  # noqa: E402
from freqtrade.exchange.common import EXCHANGE_HAS_REQUIRED, SUPPORTED_EXCHANGES  # noqa: E402
from freqtrade.exchange.exchange_types import FtHas  # noqa: E402
from freqtrade.exchange.exchange_utils import validate_exchange  # noqa: E402
from freqtrade.resolvers.exchange_resolver import ExchangeResolver  # noqa: E402

from cwts.freqtrade.exchange import Cwts  # noqa: E402

EXAMPLE_CONFIG = REPO / "examples" / "strategies" / "order_book_imbalance.config.json"
MARKETS = REPO / "examples" / "strategies" / "data" / "cwts" / "markets.json"

register()


def config(segment: str, **overrides: Any) -> dict[str, Any]:
    """The example strategy's config, on `segment`, as FreqTrade hands it to the exchange."""
    loaded = json.loads(EXAMPLE_CONFIG.read_text())
    loaded["exchange"]["ccxt_config"]["options"].update(segment=segment, markets_file=str(MARKETS))
    loaded.update(runmode=RunMode.LIVE, **overrides)
    return loaded


def test_the_installed_freqtrade_is_the_pinned_release() -> None:
    pyproject = (REPO / "python" / "pyproject.toml").read_text()
    pinned = re.search(r'freqtrade = \["freqtrade==([^"]+)"\]', pyproject)
    assert pinned, "python/pyproject.toml no longer pins freqtrade==X in the `freqtrade` extra"
    assert freqtrade.__version__ == pinned.group(1), (
        f"FreqTrade {freqtrade.__version__} is installed, the adapter is pinned to {pinned.group(1)}: "
        "run these contract tests against the new release and update the pin deliberately"
    )


def test_freqtrade_accepts_cwts_as_an_exchange() -> None:
    assert "cwts" in ccxt.exchanges and "cwts" in SUPPORTED_EXCHANGES
    assert check_exchange({"runmode": RunMode.LIVE, "exchange": {"name": "cwts"}}) is True
    usable, reason, _, api = validate_exchange("cwts")
    assert usable, reason
    assert isinstance(api, CwtsCcxtAsync)
    assert all(api.has[need] for need in EXCHANGE_HAS_REQUIRED), "a `has` FreqTrade requires is missing"
    register()  # again: changes nothing
    assert ccxt.exchanges.count("cwts") == 1 and SUPPORTED_EXCHANGES.count("cwts") == 1


def test_every_ft_has_key_the_adapter_sets_is_one_freqtrade_knows() -> None:
    known = set(FtHas.__annotations__) | set(Exchange._ft_has_default)
    unknown = set(Cwts._ft_has) - known
    assert not unknown, f"FreqTrade no longer knows these _ft_has keys: {sorted(unknown)}"
    assert "ohlcv_partial_candle" in Exchange._ft_has_default


def test_the_resolver_builds_cwts_with_both_ccxt_classes_and_config_overrides() -> None:
    exchange = ExchangeResolver.load_exchange(config(f"cwts-ft-absent-{id(object())}"), validate=True)
    try:
        assert type(exchange) is Cwts
        assert isinstance(exchange._api, CwtsCcxt) and isinstance(exchange._api_async, CwtsCcxtAsync)
        # No engine runs: the markets came from the markets file, through FreqTrade's own loading.
        assert set(exchange.markets) == set(json.loads(MARKETS.read_text()))
        assert exchange._api.options["strategy_id"] == 1
        # The example config wants the candle in progress: _ft_has_params overrides the class.
        assert exchange._ft_has["ohlcv_partial_candle"] is False and Cwts._ft_has["ohlcv_partial_candle"] is True
        assert exchange.get_fee("BTC/USDT") == 0.0
    finally:
        exchange.close()


@pytest.fixture
def fake_engine(make_segment: Any) -> SegmentWriter:
    writer: SegmentWriter = make_segment()
    writer.write_symbol(
        0, "BTC/USDT", bid=64000.0, ask=64000.5, bid_volume=1.0, ask_volume=2.0, last=64000.0, tick_size=0.1, lot_size=0.0001,
        bids=[(64000.0, 1.0), (63999.9, 3.0), (63999.0, 5.0)], asks=[(64000.5, 2.0), (64001.0, 4.0)],
    )
    return writer


def test_the_dataprovider_reads_book_and_ticker_through_the_adapter(fake_engine: SegmentWriter) -> None:
    exchange = ExchangeResolver.load_exchange(config(fake_engine.name), validate=True)
    try:
        dp = DataProvider(config(fake_engine.name), exchange)
        book = dp.orderbook("BTC/USDT", 2)
        assert book["bids"] == [[64000.0, 1.0], [63999.9, 3.0]] and book["asks"] == [[64000.5, 2.0], [64001.0, 4.0]]
        ticker = dp.ticker("BTC/USDT")
        assert (ticker["bid"], ticker["ask"], ticker["last"]) == (64000.0, 64000.5, 64000.0)
        assert dp.ticker("NOPE/USDT") == {}  # FreqTrade turns the BadSymbol into an empty ticker
    finally:
        exchange.close()


def test_freqtrade_turns_the_adapter_refusals_into_its_own_exceptions(fake_engine: SegmentWriter) -> None:
    exchange = ExchangeResolver.load_exchange(config(fake_engine.name), validate=True)
    try:
        order = {"pair": "BTC/USDT", "ordertype": "limit", "side": "buy", "leverage": 1.0}
        with pytest.raises(InsufficientFundsError, match="needs .* USDT"):
            exchange.create_order(**order, amount=1.0, rate=64000.0)
        fake_engine.set_flags(int(cwts.HeaderFlag.ENGINE_ALIVE | cwts.HeaderFlag.KILL_ENGAGED))
        with pytest.raises(InvalidOrderException, match="kill switch"):
            exchange.create_order(**order, amount=0.001, rate=64000.0)
        assert fake_engine.consumer().drain() == []
    finally:
        exchange.close()


def test_freqtrade_main_takes_the_argument_list() -> None:
    from freqtrade.main import main

    assert list(inspect.signature(main).parameters) == ["sysargv"]
    init = inspect.signature(Exchange._init_ccxt).parameters
    assert list(init) == ["self", "exchange_config", "sync", "ccxt_kwargs"]


def test_an_unregistered_name_is_still_refused_by_freqtrade() -> None:
    bad = copy.deepcopy(config("x"))
    bad["exchange"]["name"] = "cwts-nope"
    with pytest.raises(freqtrade.exceptions.OperationalException, match="not known to the ccxt library"):
        check_exchange(bad)
