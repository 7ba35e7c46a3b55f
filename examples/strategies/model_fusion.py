"""Technical entries fused 50/50 with the engine's model, as the source documents fuse them.

The technical half is a candle signal: the fast EMA crossing above the slow one while the
close is above both. At an entry, `confirm_trade_entry` fuses it with the engine's model:
score = 0.5 x technical (1 at a crossing) + 0.5 x p_up, where p_up is the model's latest
probability that the mid goes up (the `model` topic of the engine's event stream,
`options.events`). The entry goes only when the score reaches `entry_score`. Without a
model output (backtesting, no engine, or none in the last 5 s) the technical half decides
alone, and says so in the log.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from freqtrade.strategy import IStrategy
from pandas import DataFrame

from cwts.freqtrade.strategy import EngineStrategyMixin

logger = logging.getLogger(__name__)


class ModelFusion(EngineStrategyMixin, IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "5m"
    can_short = False
    minimal_roi = {"0": 0.02, "60": 0.01}
    stoploss = -0.03
    startup_candle_count = 21
    use_exit_signal = True

    technical_weight = 0.5
    model_weight = 0.5
    # 0.5 from the technical half at a crossing, so the model must say p_up >= 0.5.
    entry_score = 0.75

    def populate_indicators(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        dataframe["ema_fast"] = dataframe["close"].ewm(span=9, adjust=False).mean()
        dataframe["ema_slow"] = dataframe["close"].ewm(span=21, adjust=False).mean()
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        above = dataframe["ema_fast"] > dataframe["ema_slow"]
        crossing = above & ~above.shift(1, fill_value=True)
        entry = crossing & (dataframe["close"] > dataframe["ema_slow"])
        dataframe.loc[entry, ["enter_long", "enter_tag"]] = (1, "ema_cross")
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        dataframe.loc[dataframe["ema_fast"] < dataframe["ema_slow"], ["exit_long", "exit_tag"]] = (1, "ema_below")
        return dataframe

    def confirm_trade_entry(
        self, pair: str, order_type: str, amount: float, rate: float, time_in_force: str,
        current_time: datetime, entry_tag: str | None, side: str, **kwargs: Any,
    ) -> bool:
        signal = self.engine_model_signal(pair)
        if signal is None:
            logger.info("%s: no model output from the engine: the technical signal decides alone", pair)
            return True
        score = self.technical_weight * 1.0 + self.model_weight * signal.p_up
        if score < self.entry_score:
            logger.info("%s: entry refused, fused score %.3f < %.3f (model %s p_up %.3f)", pair, score, self.entry_score, signal.model, signal.p_up)
            return False
        return True
