"""Order-book imbalance: buy while the bids near the touch outweigh the asks, priced from the live book.

Live (trade or dry-run on the "cwts" exchange), the imbalance of the last candle is the
book's, read through `dp.orderbook()` (which the adapter answers from the segment), and the
entry and exit prices come from the engine's top of book. In backtests there is no book: the
imbalance falls back to where each candle closed within its range, a candle-level proxy of
the same pressure.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from freqtrade.persistence import Trade
from freqtrade.strategy import IStrategy
from pandas import DataFrame

from cwts.freqtrade.strategy import EngineStrategyMixin


def imbalance(bids: list[list[float]], asks: list[list[float]]) -> float | None:
    """(bid volume - ask volume) / (bid volume + ask volume) over the given levels, in -1..1."""
    bid = sum(level[1] for level in bids)
    ask = sum(level[1] for level in asks)
    return None if bid + ask <= 0 else (bid - ask) / (bid + ask)


class OrderBookImbalance(EngineStrategyMixin, IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "5m"
    can_short = False
    minimal_roi = {"0": 0.01}
    stoploss = -0.02
    # The book changes every loop while the candle does not: analyze every loop.
    process_only_new_candles = False
    startup_candle_count = 0
    use_exit_signal = True

    levels = 10
    entry_imbalance = 0.3
    exit_imbalance = -0.3

    def live_imbalance(self, pair: str) -> float | None:
        """The imbalance of the live book, or None outside trade/dry-run modes."""
        if self.dp is None or self.dp.runmode.value not in ("live", "dry_run"):
            return None
        book = self.dp.orderbook(pair, self.levels)
        return imbalance(book["bids"][: self.levels], book["asks"][: self.levels])

    def populate_indicators(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        span = dataframe["high"] - dataframe["low"]
        pressure = ((dataframe["close"] - dataframe["low"]) / span * 2 - 1).where(span > 0, 0.0)
        dataframe["imbalance"] = pressure
        live = self.live_imbalance(metadata["pair"])
        if live is not None and len(dataframe):
            dataframe.loc[dataframe.index[-1], "imbalance"] = live
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        dataframe.loc[dataframe["imbalance"] > self.entry_imbalance, ["enter_long", "enter_tag"]] = (1, "book_imbalance")
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        dataframe.loc[dataframe["imbalance"] < self.exit_imbalance, ["exit_long", "exit_tag"]] = (1, "book_turned")
        return dataframe

    def custom_entry_price(
        self, pair: str, trade: Trade | None, current_time: datetime, proposed_rate: float,
        entry_tag: str | None, side: str, **kwargs: Any,
    ) -> float:
        # Take the offer while the pressure lasts: the best ask, from the segment.
        ticker = self.engine_ticker(pair)
        return ticker.ask if ticker is not None and ticker.ask > 0 else proposed_rate

    def custom_exit_price(
        self, pair: str, trade: Trade, current_time: datetime, proposed_rate: float,
        current_profit: float, exit_tag: str | None, **kwargs: Any,
    ) -> float:
        ticker = self.engine_ticker(pair)
        return ticker.bid if ticker is not None and ticker.bid > 0 else proposed_rate
