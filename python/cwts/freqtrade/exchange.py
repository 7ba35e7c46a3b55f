"""FreqTrade's side of the adapter: the `Cwts` Exchange class FreqTrade resolves for "cwts".

FreqTrade looks exchange classes up by the title-cased name in `freqtrade.exchange`
(ExchangeResolver); `cwts.freqtrade.register()` puts this class there.
"""

from __future__ import annotations

from freqtrade.exchange import Exchange
from freqtrade.exchange.exchange_types import FtHas

__all__ = ["Cwts"]


class Cwts(Exchange):  # type: ignore[misc]
    """The engine as FreqTrade's exchange: spot only, every order type and time in force the engine takes."""

    _ft_has: FtHas = {
        "ohlcv_candle_limit": 1000,
        # The engine writes the open candle too; like an exchange's, FreqTrade drops it unless a
        # config's _ft_has_params says otherwise (a strategy that wants the candle in progress).
        "ohlcv_partial_candle": True,
        "order_time_in_force": ["GTC", "IOC", "FOK", "PO"],
        # Candles are read from the engine's database, not watched.
        "ws_enabled": False,
        "tickers_have_percentage": False,
        "tickers_have_quoteVolume": True,
        "l2_limit_range": None,
        "always_require_api_keys": False,
    }
