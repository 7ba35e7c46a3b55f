"""The engine as a ccxt exchange, id "cwts", in ccxt's sync and async forms.

FreqTrade builds one of each (`Exchange._init_ccxt`): the sync one for orders, tickers, books
and the balance, the async one for markets and candles. Both answer from an EngineVenue,
configured by `exchange.ccxt_config.options` (VenueOptions). Nothing goes over a network.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import ccxt
import ccxt.async_support

from cwts.freqtrade.venue import TIMEFRAMES, EngineVenue

__all__ = ["CwtsCcxt", "CwtsCcxtAsync", "EXCHANGE_ID", "description"]

EXCHANGE_ID = "cwts"


def description() -> dict[str, Any]:
    """What both classes add to ccxt's base describe(): id, capabilities, no credentials."""
    return {
        "id": EXCHANGE_ID,
        "name": "cwts engine",
        "countries": [],
        "rateLimit": 0,
        "enableRateLimit": False,
        "pro": False,
        "has": {
            "CORS": None,
            "spot": True,
            "margin": False,
            "swap": False,
            "future": False,
            "option": False,
            "cancelOrder": True,
            "createOrder": True,
            "createLimitOrder": True,
            "createMarketOrder": True,
            "fetchBalance": True,
            "fetchCurrencies": False,
            "fetchL2OrderBook": True,
            "fetchMarkets": True,
            "fetchOHLCV": True,
            "fetchOpenOrders": True,
            "fetchOrder": True,
            "fetchOrderBook": True,
            "fetchTicker": True,
            "fetchTickers": True,
            "fetchTime": False,
            "fetchTradingFees": False,
            "fetchMyTrades": False,
            "watchOHLCV": False,
        },
        "timeframes": dict(TIMEFRAMES),
        "precisionMode": ccxt.TICK_SIZE,
        "requiredCredentials": {key: False for key in ("apiKey", "secret", "uid", "login", "password", "twofa", "privateKey", "walletAddress", "token")},
        "urls": {"www": "https://github.com/cwts", "api": {}},
        "api": {},
        "options": {},
    }


class CwtsCcxt(ccxt.Exchange):  # type: ignore[misc]
    """The sync form: every call answers at once from the segment (orders wait for the first report)."""

    def describe(self) -> Any:
        return self.deep_extend(super().describe(), description())

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        super().__init__(config or {})
        self.venue = EngineVenue(self.options)

    def fetch_markets(self, params: Any = None) -> list[dict[str, Any]]:
        return self.venue.markets()

    def fetch_ticker(self, symbol: str, params: Any = None) -> dict[str, Any]:
        return self.venue.ticker(symbol)

    def fetch_tickers(self, symbols: list[str] | None = None, params: Any = None) -> dict[str, Any]:
        return self.venue.tickers(symbols)

    def fetch_order_book(self, symbol: str, limit: int | None = None, params: Any = None) -> dict[str, Any]:
        return self.venue.order_book(symbol, limit)

    def fetch_l2_order_book(self, symbol: str, limit: int | None = None, params: Any = None) -> dict[str, Any]:
        return self.venue.order_book(symbol, limit)

    def fetch_ohlcv(
        self, symbol: str, timeframe: str = "1m", since: int | None = None, limit: int | None = None, params: Any = None
    ) -> list[list[float]]:
        return self.venue.ohlcv(symbol, timeframe, since, limit)

    def fetch_balance(self, params: Any = None) -> dict[str, Any]:
        return self.venue.balance()

    def create_order(
        self, symbol: str, type: str, side: str, amount: float, price: float | None = None, params: Any = None
    ) -> dict[str, Any]:
        return self.venue.create_order(symbol, type, side, amount, price, params or {})

    def fetch_order(self, id: str, symbol: str | None = None, params: Any = None) -> dict[str, Any]:
        return self.venue.fetch_order(id, symbol)

    def fetch_open_orders(
        self, symbol: str | None = None, since: int | None = None, limit: int | None = None, params: Any = None
    ) -> list[dict[str, Any]]:
        return self.venue.open_orders(symbol)

    def cancel_order(self, id: str, symbol: str | None = None, params: Any = None) -> dict[str, Any]:
        return self.venue.cancel_order(id, symbol)


# The ccxt methods the engine answers; the async class gets each as a coroutine of the same code.
_API = (
    "fetch_markets", "fetch_ticker", "fetch_tickers", "fetch_order_book", "fetch_l2_order_book", "fetch_ohlcv",
    "fetch_balance", "create_order", "fetch_order", "fetch_open_orders", "cancel_order",
)


def _as_coroutine(method: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    async def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        return method(self, *args, **kwargs)

    call.__name__ = call.__qualname__ = method.__name__
    call.__doc__ = method.__doc__
    return call


class CwtsCcxtAsync(ccxt.async_support.Exchange):  # type: ignore[misc]
    """The async form, for FreqTrade's market and candle loading: CwtsCcxt's methods as coroutines."""

    def describe(self) -> Any:
        return self.deep_extend(super().describe(), description())

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        super().__init__(config or {})
        self.venue = EngineVenue(self.options)

    async def close(self) -> None:
        self.venue.close()
        await super().close()


for _name in _API:
    setattr(CwtsCcxtAsync, _name, _as_coroutine(getattr(CwtsCcxt, _name)))
