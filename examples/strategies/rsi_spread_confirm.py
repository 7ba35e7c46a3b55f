"""RSI and EMA entries computed with TA-Lib through FreqTrade, each confirmed against the live spread.

The signal is a candle signal (RSI crossing up out of oversold while the fast EMA is above
the slow one); `confirm_trade_entry` then refuses the entry when the engine's live spread
is wider than `max_spread_bps`. Without an engine (backtesting) there is no live spread and
every entry is confirmed.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import talib.abstract as ta
import freqtrade.vendor.qtpylib.indicators as qtpylib
from freqtrade.strategy import IStrategy
from pandas import DataFrame

from cwts.freqtrade.strategy import EngineStrategyMixin

logger = logging.getLogger(__name__)


class RsiSpreadConfirm(EngineStrategyMixin, IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "5m"
    can_short = False
    minimal_roi = {"0": 0.02, "60": 0.01}
    stoploss = -0.03
    startup_candle_count = 30
    use_exit_signal = True

    max_spread_bps = 5.0

    def populate_indicators(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        dataframe["ema_fast"] = ta.EMA(dataframe, timeperiod=9)
        dataframe["ema_slow"] = ta.EMA(dataframe, timeperiod=21)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        entry = qtpylib.crossed_above(dataframe["rsi"], 35) & (dataframe["ema_fast"] > dataframe["ema_slow"] * 0.995)
        dataframe.loc[entry, ["enter_long", "enter_tag"]] = (1, "rsi_up")
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        dataframe.loc[dataframe["rsi"] > 65, ["exit_long", "exit_tag"]] = (1, "rsi_high")
        return dataframe

    def confirm_trade_entry(
        self, pair: str, order_type: str, amount: float, rate: float, time_in_force: str,
        current_time: datetime, entry_tag: str | None, side: str, **kwargs: Any,
    ) -> bool:
        spread = self.engine_spread_bps(pair)
        if spread is not None and spread > self.max_spread_bps:
            logger.info("%s: entry refused, live spread %.2f bps > %.2f bps", pair, spread, self.max_spread_bps)
            return False
        return True
