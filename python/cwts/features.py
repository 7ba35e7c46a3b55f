"""The model's feature set, computed the way the engine computes it.

The engine builds these features in TypeScript (packages/engine/src/model/feature-builder.ts)
from every book update and trade; the trainer needs the very same numbers from recorded
events. Both implementations are checked against the hand-computed vectors of
packages/engine/models/features-golden.json, and docs/model.md documents each formula.

Windows count book updates (or trades), not milliseconds, so a recording gives the same
vectors at any replay speed.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

BPS = 1e4
"""Returns, spread and volatility are in basis points of the mid."""

Level = Sequence[float]
"""One book level: (price, size)."""


@dataclass(frozen=True)
class FeatureWindows:
    """How far back each feature looks; the shipped model uses FEATURE_WINDOWS_V1."""

    returns: tuple[int, ...]
    imbalance_levels: tuple[int, ...]
    volatility_window: int
    trade_window: int

    def __post_init__(self) -> None:
        for name, values in (
            ("returns", self.returns),
            ("imbalance_levels", self.imbalance_levels),
            ("volatility_window", (self.volatility_window,)),
            ("trade_window", (self.trade_window,)),
        ):
            if not values:
                raise ValueError(f"feature windows: {name} must list at least one window")
            for v in values:
                if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                    raise ValueError(f"feature windows: {name} must be integers >= 1, got {v!r}")

    def names(self) -> list[str]:
        """Column names in order, as the engine names them."""
        return [
            *(f"return_{n}" for n in self.returns),
            "spread",
            *(f"imbalance_{k}" for k in self.imbalance_levels),
            f"volatility_{self.volatility_window}",
            f"trade_flow_{self.trade_window}",
        ]

    def warmup_updates(self) -> int:
        """Book updates needed before the first vector: the longest look-back plus the current one."""
        return max(*self.returns, self.volatility_window) + 1


FEATURE_WINDOWS_V1 = FeatureWindows(returns=(1, 10, 50), imbalance_levels=(1, 5, 20), volatility_window=50, trade_window=50)


@dataclass
class FeatureBuilder:
    """One symbol's streaming feature builder: feed it trades and books in event order."""

    windows: FeatureWindows
    skipped: dict[str, int] = field(default_factory=lambda: {"one-sided": 0, "crossed": 0, "warming-up": 0})
    invalid_trades: int = 0
    _mids: deque[float] = field(init=False)
    _steps: deque[float] = field(init=False)
    _trades: deque[float] = field(init=False)

    def __post_init__(self) -> None:
        self._mids = deque(maxlen=self.windows.warmup_updates())
        self._steps = deque(maxlen=self.windows.volatility_window)
        self._trades = deque(maxlen=self.windows.trade_window)

    def on_trade(self, side: str, size: float) -> None:
        """Takes a trade: side is the taker's, 'buy' or 'sell'; a size that is not positive and finite is left out."""
        if not (math.isfinite(size) and size > 0):
            self.invalid_trades += 1
            return
        self._trades.append(size if side == "buy" else -size)

    def on_book(self, bids: Sequence[Level], asks: Sequence[Level]) -> list[float] | None:
        """Takes the book after an update (levels best first); returns the vector, or None.

        A one-sided or crossed book has no meaningful mid and is left out of the history.
        """
        if not bids or not asks:
            self.skipped["one-sided"] += 1
            return None
        bid, ask = float(bids[0][0]), float(asks[0][0])
        if bid >= ask:
            self.skipped["crossed"] += 1
            return None
        mid = (bid + ask) / 2
        if self._mids:
            self._steps.append(BPS * math.log(mid / self._mids[-1]))
        self._mids.append(mid)
        if len(self._mids) < self.windows.warmup_updates():
            self.skipped["warming-up"] += 1
            return None
        vector = [BPS * math.log(mid / self._mids[-1 - n]) for n in self.windows.returns]
        vector.append(BPS * (ask - bid) / mid)
        for k in self.windows.imbalance_levels:
            bid_size = _size_of_top(bids, k)
            ask_size = _size_of_top(asks, k)
            vector.append((bid_size - ask_size) / (bid_size + ask_size))
        vector.append(self._volatility())
        vector.append(self._trade_flow())
        return vector

    def _volatility(self) -> float:
        # Newest first, like the engine's ring, so both sum in the same order.
        steps = list(reversed(self._steps))
        total = 0.0
        for s in steps:
            total += s
        mean = total / len(steps)
        squares = 0.0
        for s in steps:
            squares += (s - mean) ** 2
        return math.sqrt(squares / len(steps))

    def _trade_flow(self) -> float:
        signed = 0.0
        total = 0.0
        for s in reversed(self._trades):
            signed += s
            total += abs(s)
        return 0.0 if total == 0 else signed / total


def _size_of_top(levels: Sequence[Level], k: int) -> float:
    total = 0.0
    for level in levels[:k]:
        total += float(level[1])
    return total
