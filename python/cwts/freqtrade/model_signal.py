"""The engine's model output per symbol, as a strategy reads it: from the engine's event stream.

The engine runs its ONNX model (docs/model.md) and publishes each output on the `model` topic
of its ZeroMQ event stream (docs/network.md). `ModelSignalFeed` subscribes to that topic and
keeps the latest output per symbol; `latest` takes what has arrived without waiting, so a
strategy callback never blocks on the network.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

__all__ = ["ModelSignal", "ModelSignalFeed"]


@dataclass(frozen=True, slots=True)
class ModelSignal:
    """One output of the engine's model for a symbol."""

    model: str
    symbol: str
    p_up: float
    """The model's probability that the mid goes up."""
    side: str | None
    """'buy' or 'sell' when the output crossed the engine's thresholds, else None."""
    confidence: float
    at_ms: float
    """Engine wall-clock time of the output, ms since the epoch."""

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> ModelSignal:
        return cls(str(data["model"]), str(data["symbol"]), float(data["pUp"]), data.get("side"), float(data["confidence"]), float(data["atMs"]))


class ModelSignalFeed:
    """The latest model output per symbol from the engine's event stream at `endpoint`."""

    def __init__(self, endpoint: str) -> None:
        # Imported here: pyzmq is the `network` extra, needed only by strategies that use this.
        from cwts.network import EventSubscriber

        self._subscriber = EventSubscriber(endpoint, ("model",))
        self._latest: dict[str, ModelSignal] = {}

    def latest(self, symbol: str, max_age: float) -> ModelSignal | None:
        """The newest output for `symbol` no older than `max_age` seconds, or None."""
        event = self._subscriber.receive(0)
        while event is not None:
            signal = ModelSignal.from_wire(event.data)
            self._latest[signal.symbol] = signal
            event = self._subscriber.receive(0)
        found = self._latest.get(symbol)
        if found is None or time.time() * 1000 - found.at_ms > max_age * 1000:
            return None
        return found

    def close(self) -> None:
        self._subscriber.close()
