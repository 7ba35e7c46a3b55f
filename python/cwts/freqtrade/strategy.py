"""A mixin that gives a FreqTrade strategy the engine's bridge, and works where no engine is.

    class MyStrategy(EngineStrategyMixin, IStrategy):
        def custom_entry_price(self, pair, trade, current_time, proposed_rate, entry_tag, side, **kwargs):
            book = self.engine_book(pair, 5)
            return proposed_rate if book is None else float(book.bids[0][0])

In trade and dry-run modes `self.engine` is a Bridge on the engine's segment (the one named
in `exchange.ccxt_config.options.segment`, default "cwts"). In backtesting and hyperopt, or
when no engine runs, it is None and every helper returns None: a backtest never sees the
live market, and the strategy falls back to what it does on candles.
"""

from __future__ import annotations

import time
from typing import Any

import cwts
from cwts.freqtrade.model_signal import ModelSignal, ModelSignalFeed

__all__ = ["EngineStrategyMixin", "LIVE_RUNMODES"]

# FreqTrade's RunMode values in which a live engine is meant (freqtrade.enums.RunMode).
LIVE_RUNMODES = frozenset({"live", "dry_run"})
# After a failed attach, the next try waits this long, so a loop without an engine stays cheap.
RETRY_SECONDS = 5.0


class EngineStrategyMixin:
    """`self.engine`, `engine_book`, `engine_ticker`, `engine_spread_bps`, `engine_position`,
    `engine_model_signal` for callbacks."""

    config: dict[str, Any]
    _cwts_bridge: cwts.Bridge | None = None
    _cwts_next_try: float = 0.0
    _cwts_model_feed: ModelSignalFeed | None = None

    def _cwts_options(self) -> dict[str, Any]:
        exchange = self.config.get("exchange", {})
        options: dict[str, Any] = exchange.get("ccxt_config", {}).get("options", {})
        return options

    def _cwts_live(self) -> bool:
        runmode = self.config.get("runmode")
        return getattr(runmode, "value", runmode) in LIVE_RUNMODES

    @property
    def engine(self) -> cwts.Bridge | None:
        """The bridge to the running engine, or None (not a live run mode, or no engine up)."""
        if not self._cwts_live():
            return None
        bridge = self._cwts_bridge
        if bridge is not None and not bridge.closed:
            return bridge
        now = time.monotonic()
        if now < self._cwts_next_try:
            return None
        try:
            options = self._cwts_options()
            self._cwts_bridge = cwts.Bridge.attach(
                str(options.get("segment", "cwts")), stale_after=float(options.get("stale_after", 0.5))
            )
        except cwts.CwtsError:
            self._cwts_next_try = now + RETRY_SECONDS
            return None
        return self._cwts_bridge

    def engine_book(self, pair: str, depth: int = 10) -> cwts.Book | None:
        """The live book from the segment, or None without an engine or for a symbol it does not publish."""
        bridge = self.engine
        if bridge is None:
            return None
        try:
            return bridge.book(pair, depth)
        except cwts.UnknownSymbol:
            return None

    def engine_ticker(self, pair: str) -> cwts.Ticker | None:
        """The live top of book, or None (see engine_book)."""
        bridge = self.engine
        if bridge is None:
            return None
        try:
            return bridge.ticker(pair)
        except cwts.UnknownSymbol:
            return None

    def engine_spread_bps(self, pair: str) -> float | None:
        """(ask - bid) / mid in basis points from the live book; None without a two-sided book."""
        ticker = self.engine_ticker(pair)
        if ticker is None or ticker.bid <= 0 or ticker.ask <= 0:
            return None
        mid = (ticker.bid + ticker.ask) / 2
        return (ticker.ask - ticker.bid) / mid * 1e4

    def engine_position(self, pair: str) -> cwts.Position | None:
        """The engine's position for the adapter's strategy id (options.strategy_id), or None."""
        bridge = self.engine
        if bridge is None:
            return None
        try:
            return bridge.position(pair, int(self._cwts_options().get("strategy_id", 0)))
        except cwts.UnknownSymbol:
            return None

    def engine_model_signal(self, pair: str, max_age: float = 5.0) -> ModelSignal | None:
        """The engine model's latest output for `pair`, from its event stream at
        `exchange.ccxt_config.options.events` (an endpoint such as ipc:///tmp/cwts-events);
        None in backtests, without that option, or without an output in the last `max_age` s."""
        endpoint = self._cwts_options().get("events")
        if not endpoint or not self._cwts_live():
            return None
        if self._cwts_model_feed is None:
            self._cwts_model_feed = ModelSignalFeed(str(endpoint))
        return self._cwts_model_feed.latest(pair, max_age)
