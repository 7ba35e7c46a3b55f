"""What the ccxt-compatible classes answer, taken from the engine.

Markets, tickers and books come from the segment; candles from the engine's candle database
(`candles.database`); orders go through the signal ring and are followed through the report
ring; balances are the configured starting balances moved by the engine's positions. Every
failure becomes the ccxt exception FreqTrade handles for it, with the engine's reason.
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ccxt

import cwts
from cwts import OrderType, RejectReason, ReportKind, SignalAction, TimeInForce
from cwts._layout import BOOK_DEPTH

__all__ = ["EngineVenue", "VenueOptions", "TIMEFRAMES", "reject_error"]

# The timeframes the engine can build (packages/engine/src/candles/timeframes.ts).
TIMEFRAMES = {tf: tf for tf in ("1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d")}
_TERMINAL = {ReportKind.FILLED, ReportKind.CANCELLED, ReportKind.REJECTED, ReportKind.EXPIRED}
_STATUS = {
    ReportKind.FILLED: "closed",
    ReportKind.CANCELLED: "canceled",
    ReportKind.EXPIRED: "expired",
    ReportKind.REJECTED: "rejected",
}
_TIME_IN_FORCE = {"GTC": TimeInForce.GTC, "IOC": TimeInForce.IOC, "FOK": TimeInForce.FOK, "PO": TimeInForce.POST_ONLY}
# Refusals that mean "not enough money" to FreqTrade; every other reject is an invalid order.
_FUNDS_REASONS = {RejectReason.RISK_CREDIT_LIMIT}
# Between two looks at the report ring while an order call waits for the engine's answer.
_POLL_SECONDS = 0.0005
# Ended orders kept for fetch_order; beyond this many, the oldest ended ones are forgotten.
_ENDED_KEPT = 10_000
logger = logging.getLogger("cwts.freqtrade")


@dataclass(frozen=True)
class VenueOptions:
    """The adapter's settings: `exchange.ccxt_config.options` of the FreqTrade config."""

    segment: str = "cwts"
    candles: str | None = None
    markets_file: str | None = None
    strategy_id: int = 0
    balance: Mapping[str, float] = field(default_factory=lambda: {"USDT": 1000.0})
    order_timeout: float = 2.0
    stale_after: float = 0.5

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> VenueOptions:
        """Checks every known key; an unknown key or a bad value raises ccxt.ExchangeError naming it."""
        known = {f for f in cls.__dataclass_fields__}
        ours = {k: v for k, v in options.items() if k in known}
        try:
            parsed = cls(**ours)
        except TypeError as error:
            raise ccxt.ExchangeError(f"cwts: bad exchange.ccxt_config.options: {error}") from None
        problems: list[str] = []
        if not isinstance(parsed.segment, str) or not parsed.segment:
            problems.append(f"segment must be the engine's segment name, got {parsed.segment!r}")
        sid = parsed.strategy_id
        if isinstance(sid, bool) or not isinstance(sid, int) or not 0 <= sid <= 0xFFFFFFFF:
            problems.append(f"strategy_id must be an integer in 0..2**32-1, got {sid!r}")
        if not isinstance(parsed.balance, Mapping) or not all(
            isinstance(k, str) and isinstance(v, (int, float)) and math.isfinite(v) and v >= 0
            for k, v in parsed.balance.items()
        ):
            problems.append(f"balance must map currencies to finite amounts >= 0, got {parsed.balance!r}")
        for name in ("order_timeout", "stale_after"):
            value = getattr(parsed, name)
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
                problems.append(f"{name} must be a number of seconds > 0, got {value!r}")
        if problems:
            raise ccxt.ExchangeError("cwts: bad exchange.ccxt_config.options: " + "; ".join(problems))
        return parsed


def reason_name(reason: int) -> str:
    try:
        return RejectReason(reason).name
    except ValueError:
        return f"reason {reason}"


def reject_error(reason: int, what: str) -> ccxt.BaseError:
    """The ccxt exception for an engine reject reason (FreqTrade maps these two to its own)."""
    name = reason_name(reason)
    kind = ccxt.InsufficientFunds if reason in _FUNDS_REASONS else ccxt.InvalidOrder
    return kind(f"cwts: the engine rejected {what}: {name}")


@dataclass
class _Order:
    """One order as the adapter follows it from its reports."""

    id: int
    symbol: str
    side: str
    type: str
    amount: float
    price: float | None
    time_in_force: str
    timestamp: int
    filled: float = 0.0
    cost: float = 0.0
    status: str = "open"
    reason: int = 0
    last_trade_timestamp: int | None = None
    reported: bool = False

    def apply(self, report: cwts.Report) -> None:
        self.reported = True
        if report.fill_size > 0:
            self.filled += report.fill_size
            self.cost += report.fill_size * report.fill_price
            self.last_trade_timestamp = int(time.time() * 1000)
        if report.kind in _STATUS:
            self.status = _STATUS[ReportKind(report.kind)]
            self.reason = report.reason

    def ccxt(self) -> dict[str, Any]:
        remaining = 0.0 if self.status != "open" else max(self.amount - self.filled, 0.0)
        base, _, quote = self.symbol.partition("/")
        average = self.cost / self.filled if self.filled > 0 else None
        return {
            "id": str(self.id),
            "clientOrderId": str(self.id),
            "info": {"reason": reason_name(self.reason)},
            "timestamp": self.timestamp,
            "datetime": ccxt.Exchange.iso8601(self.timestamp),
            "lastTradeTimestamp": self.last_trade_timestamp,
            "symbol": self.symbol,
            "type": self.type,
            "timeInForce": self.time_in_force,
            "side": self.side,
            "price": self.price if self.price is not None else average,
            "average": average,
            "amount": self.amount,
            "filled": self.filled,
            "remaining": remaining,
            "cost": self.cost,
            "status": self.status,
            "fee": {"cost": 0.0, "currency": quote},
            "trades": [],
            "reduceOnly": False,
            "postOnly": self.time_in_force == "PO",
        }


class EngineVenue:
    """One strategy's account on the engine, answering ccxt's questions (see the module doc)."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.options = VenueOptions.parse(options)
        self._bridge: cwts.Bridge | None = None
        self._orders: dict[int, _Order] = {}
        self._lost_seen = 0

    # ------------------------------------------------------------- the bridge
    @property
    def bridge(self) -> cwts.Bridge:
        """The segment, attached on first use; ccxt.ExchangeNotAvailable while there is no engine."""
        if self._bridge is None or self._bridge.closed:
            try:
                self._bridge = cwts.Bridge.attach(self.options.segment, stale_after=self.options.stale_after)
                self._lost_seen = 0
            except cwts.SegmentNotFound as error:
                raise ccxt.ExchangeNotAvailable(f"cwts: {error}") from None
            except cwts.CwtsError as error:
                raise ccxt.ExchangeError(f"cwts: {error}") from None
        return self._bridge

    def close(self) -> None:
        if self._bridge is not None:
            self._bridge.close()
            self._bridge = None

    # ---------------------------------------------------------------- markets
    def markets(self) -> list[dict[str, Any]]:
        """The engine's active symbols with their tick and lot; without an engine, the markets file."""
        try:
            bridge = self.bridge
        except ccxt.ExchangeNotAvailable as error:
            if self.options.markets_file is None:
                raise ccxt.ExchangeNotAvailable(
                    f"{error}; without a running engine, set exchange.ccxt_config.options.markets_file "
                    "(written by `cwts-freqtrade export-candles`) to load the markets offline"
                ) from None
            return load_markets_file(self.options.markets_file)
        specs = []
        for symbol in bridge.symbols():
            raw = bridge.snapshot_raw(bridge.symbol_index(symbol))
            specs.append(market(symbol, float(raw["tick_size"]), float(raw["lot_size"])))
        return specs

    # ------------------------------------------------------------ market data
    def ticker(self, symbol: str) -> dict[str, Any]:
        t = self._read(lambda b: b.ticker(symbol))
        now = int(time.time() * 1000)
        last = t.last if t.last > 0 else None
        return {
            "symbol": symbol,
            "timestamp": now,
            "datetime": ccxt.Exchange.iso8601(now),
            "bid": t.bid or None,
            "ask": t.ask or None,
            "bidVolume": t.bid_volume,
            "askVolume": t.ask_volume,
            "last": last,
            "close": last,
            "baseVolume": t.volume_24h,
            "quoteVolume": t.volume_24h * last if last else None,
            "high": None,
            "low": None,
            "open": None,
            "vwap": None,
            "change": None,
            "percentage": None,
            "average": None,
            "previousClose": None,
            "info": {"status": int(t.status), "update_count": t.update_count, "publish_ts_ns": t.publish_ts_ns},
        }

    def tickers(self, symbols: Iterable[str] | None) -> dict[str, dict[str, Any]]:
        names = list(symbols) if symbols is not None else self._read(lambda b: b.symbols())
        return {s: self.ticker(s) for s in names}

    def order_book(self, symbol: str, limit: int | None) -> dict[str, Any]:
        depth = BOOK_DEPTH if limit is None else limit
        if isinstance(depth, bool) or not isinstance(depth, int) or depth <= 0:
            raise ccxt.BadRequest(f"cwts: an order book limit is an integer > 0, got {limit!r}")
        book = self._read(lambda b: b.book(symbol, depth))
        now = int(time.time() * 1000)
        return {
            "symbol": symbol,
            "bids": book.bids.tolist(),
            "asks": book.asks.tolist(),
            "timestamp": now,
            "datetime": ccxt.Exchange.iso8601(now),
            "nonce": book.update_count,
        }

    def ohlcv(self, symbol: str, timeframe: str, since: int | None, limit: int | None) -> list[list[float]]:
        """Candles from the engine's candle database, oldest first (the open candle last)."""
        path = self.options.candles
        if path is None:
            raise ccxt.NotSupported(
                "cwts: OHLCV needs the engine's candle database: set exchange.ccxt_config.options.candles "
                "to the engine's candles.database"
            )
        if timeframe not in TIMEFRAMES:
            raise ccxt.BadRequest(f"cwts: timeframe {timeframe!r} is not one the engine builds: {', '.join(TIMEFRAMES)}")
        count = 1000 if limit is None else int(limit)
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2.0)
        except sqlite3.Error as error:
            raise ccxt.ExchangeNotAvailable(f"cwts: cannot open the engine's candle database {path}: {error}") from None
        try:
            if since is None:
                rows = db.execute(
                    "SELECT * FROM (SELECT open_time_ms, open, high, low, close, volume FROM candles "
                    "WHERE symbol = ? AND timeframe = ? ORDER BY open_time_ms DESC LIMIT ?) ORDER BY open_time_ms",
                    (symbol, timeframe, count),
                ).fetchall()
            else:
                rows = db.execute(
                    "SELECT open_time_ms, open, high, low, close, volume FROM candles WHERE symbol = ? AND timeframe = ? "
                    "AND open_time_ms >= ? ORDER BY open_time_ms LIMIT ?",
                    (symbol, timeframe, int(since), count),
                ).fetchall()
            if not rows and db.execute("SELECT 1 FROM candles WHERE timeframe <> ? LIMIT 1", (timeframe,)).fetchone():
                recorded = [r[0] for r in db.execute("SELECT DISTINCT timeframe FROM candles")]
                if timeframe not in recorded:
                    raise ccxt.BadRequest(
                        f"cwts: the engine records no {timeframe} candles (it has {', '.join(recorded)}): "
                        "add it to the engine's candles.timeframes"
                    )
        except sqlite3.OperationalError as error:
            raise ccxt.ExchangeNotAvailable(f"cwts: cannot read candles from {path}: {error}") from None
        finally:
            db.close()
        return [list(row) for row in rows]

    # ---------------------------------------------------------------- balance
    def balance(self) -> dict[str, Any]:
        """Starting balances plus the engine's positions for this strategy, minus what open orders hold."""
        self._pump()
        total: dict[str, float] = {k: float(v) for k, v in self.options.balance.items()}
        used: dict[str, float] = {}
        bridge = self.bridge
        for symbol in bridge.symbols():
            base, _, quote = symbol.partition("/")
            p = bridge.position(symbol, self.options.strategy_id)
            if p is not None:
                total[base] = total.get(base, 0.0) + p.size
                total[quote] = total.get(quote, 0.0) - p.size * p.avg_price + p.realized_pnl
        for order in self._orders.values():
            if order.status != "open":
                continue
            base, _, quote = order.symbol.partition("/")
            left = order.amount - order.filled
            if order.side == "buy":
                used[quote] = used.get(quote, 0.0) + left * (order.price or 0.0)
            else:
                used[base] = used.get(base, 0.0) + left
        result: dict[str, Any] = {"info": {}, "free": {}, "used": {}, "total": {}}
        for currency in sorted(set(total) | set(used)):
            t, u = total.get(currency, 0.0), used.get(currency, 0.0)
            entry = {"free": t - u, "used": u, "total": t}
            result[currency] = entry
            for key in ("free", "used", "total"):
                result[key][currency] = entry[key]
        return result

    # ----------------------------------------------------------------- orders
    def create_order(
        self, symbol: str, type: str, side: str, amount: float, price: float | None, params: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Submits through the ring and waits (order_timeout) for the engine's answer."""
        if type not in ("limit", "market"):
            raise ccxt.InvalidOrder(f"cwts: order type {type!r}: the engine takes 'limit' and 'market'")
        if side not in ("buy", "sell"):
            raise ccxt.InvalidOrder(f"cwts: side {side!r}: expected 'buy' or 'sell'")
        tif = str(params.get("timeInForce", "GTC")).upper()
        if tif not in _TIME_IN_FORCE:
            raise ccxt.InvalidOrder(f"cwts: timeInForce {tif!r}: the engine takes {', '.join(_TIME_IN_FORCE)}")
        if type == "limit" and price is None:
            raise ccxt.InvalidOrder("cwts: a limit order needs a price")
        self._check_funds(symbol, side, float(amount), price)
        bridge = self.bridge
        try:
            coid = bridge.submit(
                symbol,
                SignalAction.BUY if side == "buy" else SignalAction.SELL,
                amount,
                price if type == "limit" and price is not None else 0.0,
                order_type=OrderType.LIMIT if type == "limit" else OrderType.MARKET,
                time_in_force=_TIME_IN_FORCE[tif],
                strategy_id=self.options.strategy_id,
            )
        except cwts.UnknownSymbol as error:
            raise ccxt.BadSymbol(f"cwts: {error}") from None
        except (cwts.InvalidSignal, cwts.KillEngaged) as error:
            raise ccxt.InvalidOrder(f"cwts: {error}") from None
        except (cwts.EngineUnavailable, cwts.RingFull, cwts.SignalAbandoned) as error:
            raise ccxt.ExchangeNotAvailable(f"cwts: {error}") from None
        order = _Order(coid, symbol, side, type, float(amount), price if type == "limit" else None, tif, int(time.time() * 1000))
        self._orders[coid] = order
        # A market or IOC/FOK order ends at once: wait for its terminal report; a resting one for its first.
        self._wait(order, until_terminal=type == "market" or tif in ("IOC", "FOK"))
        if not order.reported:
            # The signal is in the ring (in SEMI_AUTO it may wait for an approval): the order exists,
            # so FreqTrade must know it. It stays open, and fetch_order follows it from its reports.
            logger.info("cwts: no report on order %d within %g s; it stays open until the engine answers", coid, self.options.order_timeout)
        if order.status == "rejected":
            del self._orders[coid]
            raise reject_error(order.reason, f"{side} {amount} {symbol} ({type}, order {coid})")
        return order.ccxt()

    def fetch_order(self, id: str, symbol: str | None) -> dict[str, Any]:
        self._pump()
        return self._order(id).ccxt()

    def open_orders(self, symbol: str | None) -> list[dict[str, Any]]:
        self._pump()
        return [o.ccxt() for o in self._orders.values() if o.status == "open" and symbol in (None, o.symbol)]

    def cancel_order(self, id: str, symbol: str | None) -> dict[str, Any]:
        order = self._order(id)
        self._pump()
        if order.status == "open":
            try:
                cancel_id = self.bridge.cancel(order.id, order.symbol, self.options.strategy_id)
            except (cwts.EngineUnavailable, cwts.RingFull, cwts.SignalAbandoned) as error:
                raise ccxt.ExchangeNotAvailable(f"cwts: {error}") from None
            except cwts.KillEngaged:
                pass  # the engine cancels every working order itself when the kill switch is engaged
            else:
                self._wait(order, until_terminal=True, cancel_id=cancel_id)
        return order.ccxt()

    # --------------------------------------------------------------- internal
    def _order(self, id: str) -> _Order:
        try:
            order = self._orders.get(int(id))
        except (TypeError, ValueError):
            order = None
        if order is None:
            raise ccxt.OrderNotFound(
                f"cwts: order {id!r} is not one this adapter placed since it started "
                f"({len(self._orders)} known); the engine's trade database has its fills"
            )
        return order

    def _read(self, read: Any) -> Any:
        try:
            return read(self.bridge)
        except cwts.UnknownSymbol as error:
            raise ccxt.BadSymbol(f"cwts: {error}") from None
        except cwts.EngineUnavailable as error:
            raise ccxt.ExchangeNotAvailable(f"cwts: {error}") from None

    def _pump(self, cancel_id: int | None = None) -> bool:
        """Applies every report published since the last look to the orders they concern.

        Returns True when one of them answers on `cancel_id`: the engine refused that cancel,
        because the order had already ended.
        """
        refused = False
        bridge = self.bridge
        for report in bridge.reports(self.options.strategy_id):
            refused = refused or report.client_order_id == cancel_id
            order = self._orders.get(report.client_order_id)
            if order is not None:
                order.apply(report)
        if bridge.lost_reports != self._lost_seen:
            # The report ring lapped this reader: reports on our orders may be among the lost.
            open_ids = [o.id for o in self._orders.values() if o.status == "open"]
            logger.warning(
                "cwts: %d report(s) were overwritten before this adapter read them (%d in all); "
                "open orders %s may have fills or ends it did not see: the engine's trade database has every fill",
                bridge.lost_reports - self._lost_seen, bridge.lost_reports, open_ids or "none",
            )
            self._lost_seen = bridge.lost_reports
        self._forget_ended()
        return refused

    def _forget_ended(self) -> None:
        if len(self._orders) <= _ENDED_KEPT:
            return
        ended = [order_id for order_id, o in self._orders.items() if o.status != "open"]
        for order_id in ended[: max(0, len(ended) - _ENDED_KEPT)]:  # dicts keep insertion order: oldest first
            del self._orders[order_id]

    def _wait(self, order: _Order, *, until_terminal: bool, cancel_id: int | None = None) -> None:
        """Follows the reports until the order answers (or ends), for at most order_timeout."""
        deadline = time.monotonic() + self.options.order_timeout
        while True:
            refused = self._pump(cancel_id)
            if refused or order.status != "open" or (order.reported and not until_terminal):
                return
            if time.monotonic() >= deadline:
                return
            time.sleep(_POLL_SECONDS)

    def _check_funds(self, symbol: str, side: str, amount: float, price: float | None) -> None:
        """Refuses, before the engine sees it, an order the strategy's balance cannot pay for."""
        base, _, quote = symbol.partition("/")
        balance = self.balance()
        if side == "buy":
            reference = price if price is not None else self.ticker(symbol)["ask"]
            need, currency = amount * float(reference or 0.0), quote
        else:
            need, currency = amount, base
        free = balance["free"].get(currency, 0.0)
        # A sell beyond the holding would open a short, which the spot adapter does not do.
        if need > free * (1 + 1e-9) + 1e-12:
            raise ccxt.InsufficientFunds(
                f"cwts: {side} {amount} {symbol} needs {need:g} {currency}, the strategy has {free:g} free"
            )


def market(symbol: str, tick: float, lot: float) -> dict[str, Any]:
    """A ccxt spot market for an engine symbol (tick and lot as ccxt TICK_SIZE precision)."""
    base, _, quote = symbol.partition("/")
    return {
        "id": symbol,
        "symbol": symbol,
        "base": base,
        "quote": quote,
        "baseId": base,
        "quoteId": quote,
        "settle": None,
        "settleId": None,
        "active": True,
        "type": "spot",
        "spot": True,
        "margin": False,
        "swap": False,
        "future": False,
        "option": False,
        "contract": False,
        "linear": None,
        "inverse": None,
        "contractSize": None,
        "expiry": None,
        "expiryDatetime": None,
        "strike": None,
        "optionType": None,
        "taker": 0.0,
        "maker": 0.0,
        "percentage": True,
        "tierBased": False,
        "precision": {"amount": lot or None, "price": tick or None},
        "limits": {
            "amount": {"min": lot or None, "max": None},
            "price": {"min": tick or None, "max": None},
            "cost": {"min": None, "max": None},
            "leverage": {"min": None, "max": None},
        },
        "created": None,
        "info": {"tick_size": tick, "lot_size": lot},
    }


def load_markets_file(path: str) -> list[dict[str, Any]]:
    """Markets from a file of `{symbol: {tick_size, lot_size}}` (export-candles writes it)."""
    try:
        specs = json.loads(Path(path).read_text())
        return [market(s, float(v["tick_size"]), float(v["lot_size"])) for s, v in specs.items()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ccxt.ExchangeError(
            f"cwts: cannot read the markets file {path}: {error}; expected {{symbol: {{tick_size, lot_size}}}}"
        ) from None
