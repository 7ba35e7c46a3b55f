"""The engine's ZeroMQ sockets from Python (docs/network.md): the network fallback of the segment.

A strategy on another machine subscribes to books and engine events (`EventSubscriber`), and
sends signals and operator commands over the control socket (`ControlClient`). Slower than
the segment, but complete: a signal sent here takes the ring's path inside the engine and
gets the same reports, exactly one of them terminal. Over tcp:// both need CURVE keys
(`CurveKeys.from_files`, with the files `cwts keys` writes). Needs pyzmq (the `network` extra).

    keys = CurveKeys.from_files("engine.key", "me.key_secret")
    with EventSubscriber("tcp://engine:7001", ["book.BTC/USDT", "fill"], curve=keys) as events:
        books = events.latest_books(timeout=0.5)       # the latest book per symbol, conflated
    with ControlClient("tcp://engine:7002", curve=keys) as control:
        coid = control.submit("BTC/USDT", SignalAction.BUY, 0.01, order_type=OrderType.MARKET)
        report = control.wait_terminal(coid, timeout=1.0)
"""

from __future__ import annotations

import json
import time
from collections import deque
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import zmq
import zmq.auth

from cwts._layout import OrderType, RejectReason, ReportKind, SignalAction, TimeInForce
from cwts.errors import ControlError, CwtsError, ReportTimeout

__all__ = [
    "SCHEMA_VERSION",
    "TOPICS",
    "CurveKeys",
    "Event",
    "EventSubscriber",
    "ControlClient",
    "NetworkReport",
    "ControlError",
]

SCHEMA_VERSION = 1
"""The message schema this module speaks; an event or reply of another version raises ControlError."""

TOPICS = ("report", "fill", "position", "mode", "breaker", "kill", "risk", "approval", "limit", "health", "book")
"""Every event topic; a book's topic is ``book.<symbol>``, so ``book.`` subscribes to every book."""


@dataclass(frozen=True)
class CurveKeys:
    """What a CURVE client needs: the engine's public key and this client's key pair (Z85, as bytes)."""

    server_public: bytes
    public: bytes
    secret: bytes

    @classmethod
    def from_files(cls, server_key_file: str, key_file: str) -> CurveKeys:
        """Reads the engine's ``<name>.key`` and this client's ``<name>.key_secret`` (from `cwts keys`)."""
        server_public, _ = zmq.auth.load_certificate(server_key_file)
        public, secret = zmq.auth.load_certificate(key_file)
        if secret is None:
            raise CwtsError(f"{key_file} holds no secret key: give this client's .key_secret file, not its public .key")
        return cls(server_public=server_public, public=public, secret=secret)

    def apply(self, socket: zmq.Socket[bytes]) -> None:
        """Makes `socket` a CURVE client of the engine."""
        socket.curve_serverkey = self.server_public
        socket.curve_publickey = self.public
        socket.curve_secretkey = self.secret


@dataclass(frozen=True)
class Event:
    """One published event: its topic, its number within the topic, when (ms since the epoch), and its fields."""

    topic: str
    seq: int
    ts: float
    data: dict[str, Any]


def _decode(frame: bytes, what: str) -> dict[str, Any]:
    try:
        message = json.loads(frame)
    except ValueError as error:
        raise ControlError("BAD_MESSAGE", f"the engine sent a {what} that is not JSON: {error}") from None
    if not isinstance(message, dict) or message.get("v") != SCHEMA_VERSION:
        found = message.get("v") if isinstance(message, dict) else type(message).__name__
        raise ControlError("UNSUPPORTED_VERSION", f"the engine's {what} has schema version {found!r}; this module speaks {SCHEMA_VERSION}")
    return message


class _Connection:
    """One ZeroMQ socket in its own context, connected to the engine; closes as a context manager."""

    def __init__(self, kind: int, endpoint: str, curve: CurveKeys | None, options: dict[int, int]) -> None:
        # The engine's ipc:// sockets have no CURVE (the file mode guards them); its tcp:// ones require it.
        if endpoint.startswith("tcp://") and curve is None:
            raise CwtsError(f"{endpoint} is tcp://: the engine requires CURVE; pass curve=CurveKeys.from_files(...)")
        self.endpoint = endpoint
        self._context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
        self._socket = self._context.socket(kind)
        self._socket.linger = 0
        # Before the connect: a high-water mark set later does not reach the connection's pipe.
        for option, value in options.items():
            self._socket.setsockopt(option, value)
        if curve is not None and endpoint.startswith("tcp://"):
            curve.apply(self._socket)
        self._socket.connect(endpoint)

    def close(self) -> None:
        """Closes the socket and its context."""
        self._socket.close()
        self._context.term()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()


class EventSubscriber(_Connection):
    """A subscriber to the engine's events and books.

    `missed` counts, per topic, the messages this subscriber lost (gaps in `seq`): the engine
    never waits for a slow reader, it drops at the high-water mark instead.
    """

    def __init__(
        self,
        endpoint: str,
        topics: list[str] | tuple[str, ...] = ("",),
        *,
        curve: CurveKeys | None = None,
        receive_high_water_mark: int = 1000,
    ) -> None:
        super().__init__(zmq.SUB, endpoint, curve, {zmq.RCVHWM: receive_high_water_mark})
        for topic in topics:
            self._socket.subscribe(topic)
        self._seq: dict[str, int] = {}
        self.missed: dict[str, int] = {}
        self._books: dict[str, dict[str, Any]] = {}

    def receive(self, timeout: float | None = None) -> Event | None:
        """The next event, or None when none came within `timeout` seconds (None: wait for ever)."""
        if not self._socket.poll(None if timeout is None else int(timeout * 1000)):
            return None
        topic, body = self._socket.recv_multipart()
        message = _decode(body, "event")
        event = Event(topic=topic.decode(), seq=int(message["seq"]), ts=float(message["ts"]), data=message["data"])
        last = self._seq.get(event.topic)
        if last is not None and event.seq > last + 1:
            self.missed[event.topic] = self.missed.get(event.topic, 0) + event.seq - last - 1
        self._seq[event.topic] = event.seq
        if event.topic.startswith("book."):
            self._books[event.data["symbol"]] = event.data
        return event

    def latest_books(self, timeout: float = 0.0) -> dict[str, dict[str, Any]]:
        """Takes every event waiting (up to `timeout` s for the first) and returns the latest book per symbol."""
        event = self.receive(timeout)
        while event is not None:
            event = self.receive(0)
        return dict(self._books)


_TERMINAL = {ReportKind.FILLED, ReportKind.CANCELLED, ReportKind.REJECTED, ReportKind.EXPIRED}


@dataclass(frozen=True, slots=True)
class NetworkReport:
    """A report on a signal sent over the control socket: the `report` topic's fields, enums decoded."""

    kind: ReportKind
    reason: RejectReason
    client_order_id: int
    strategy_id: int
    symbol: str
    order_id: int
    fill_size: float
    fill_price: float
    cumulative_filled: float
    remaining: float
    signal_position: int

    @property
    def terminal(self) -> bool:
        """FILLED, CANCELLED, REJECTED or EXPIRED: the signal's one last report."""
        return self.kind in _TERMINAL

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> NetworkReport:
        """Decodes a report as the engine sends it; ControlError BAD_MESSAGE for one this module cannot read."""
        try:
            return cls(
                kind=ReportKind[data["kind"]], reason=RejectReason[data["reason"]], client_order_id=int(data["clientOrderId"]),
                strategy_id=int(data["strategyId"]), symbol=str(data["symbol"]), order_id=int(data["orderId"]),
                fill_size=float(data["fillSize"]), fill_price=float(data["fillPrice"]), cumulative_filled=float(data["cumulativeFilled"]),
                remaining=float(data["remaining"]), signal_position=int(data["signalPosition"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ControlError("BAD_MESSAGE", f"a report this module cannot read ({error!r}): {data!r}") from None


class ControlClient(_Connection):
    """The engine's control socket: commands with request ids, and signals whose reports come back here.

    Every method raises ControlError with the engine's code (INVALID_ARGUMENT, REFUSED, ...)
    when the engine refuses, and code TIMEOUT when no reply came within `timeout` seconds.
    """

    def __init__(self, endpoint: str, *, curve: CurveKeys | None = None, timeout: float = 5.0) -> None:
        super().__init__(zmq.DEALER, endpoint, curve, {zmq.SNDTIMEO: int(timeout * 1000)})
        self.timeout = timeout
        self._next_id = 1
        self._reports: dict[int, deque[NetworkReport]] = {}

    def request(self, cmd: str, **args: Any) -> Any:
        """Sends `{cmd, **args}` and returns the reply's result."""
        request_id = self._next_id
        self._next_id += 1
        try:
            self._socket.send(json.dumps({"v": SCHEMA_VERSION, "id": request_id, "cmd": cmd, **args}).encode())
        except zmq.Again:
            raise self._timeout() from None
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._next_message(deadline)
            if message is None:
                raise self._timeout()
            if message.get("type") == "reply" and message.get("id") == request_id:
                if message["ok"]:
                    return message["result"]
                raise ControlError(message["error"]["code"], message["error"]["message"])

    def _timeout(self) -> ControlError:
        return ControlError(
            "TIMEOUT",
            f"no reply from {self.endpoint} within {self.timeout} s: is an engine running with network.control there? "
            "(over tcp://, an unknown CURVE key gets no answer at all)",
        )

    def _next_message(self, deadline: float) -> dict[str, Any] | None:
        """The next message; a report is also kept for wait_report. None at the deadline."""
        if not self._socket.poll(max(0, int((deadline - time.monotonic()) * 1000))):
            return None
        message = _decode(self._socket.recv(), "reply")
        if message.get("type") == "report":
            report = NetworkReport.from_wire(message["report"])
            self._reports.setdefault(report.client_order_id, deque()).append(report)
        return message

    def submit(
        self,
        symbol: str,
        action: SignalAction | int,
        size: float,
        price: float = 0.0,
        *,
        order_type: OrderType | int = OrderType.LIMIT,
        time_in_force: TimeInForce | int = TimeInForce.GTC,
        strategy_id: int = 0,
        confidence: float = 1.0,
        target_client_order_id: int = 0,
    ) -> int:
        """Sends a signal; returns its client order id (from the segment's counter). The engine validates it as any other."""
        written = self.request(
            "signal.submit", symbol=symbol, action=int(action), size=size, price=price, orderType=int(order_type),
            timeInForce=int(time_in_force), strategyId=strategy_id, confidence=confidence, targetClientOrderId=target_client_order_id,
        )
        return int(written["clientOrderId"])

    def cancel(self, client_order_id: int, symbol: str, strategy_id: int = 0) -> int:
        """Asks the engine to cancel an order; returns the cancel's own id (reported on only when refused)."""
        return int(self.request("signal.cancel", symbol=symbol, clientOrderId=client_order_id, strategyId=strategy_id)["clientOrderId"])

    def wait_report(self, client_order_id: int, timeout: float | None = None) -> NetworkReport:
        """The next report on `client_order_id`; ReportTimeout if none comes in time."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while not self._reports.get(client_order_id):
            if self._next_message(deadline) is None:
                raise ReportTimeout(f"no report on client order id {client_order_id} from {self.endpoint} in time")
        return self._reports[client_order_id].popleft()

    def wait_terminal(self, client_order_id: int, timeout: float | None = None) -> NetworkReport:
        """Waits through ACCEPTED and partial fills for the order's one terminal report."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            report = self.wait_report(client_order_id, max(0.0, deadline - time.monotonic()))
            if report.terminal:
                return report

    def status(self) -> dict[str, Any]:
        """The engine's state: symbols, rates, latency, mode, kill state, network counters."""
        return dict(self.request("status"))

    def set_mode(self, mode: str, reason: str = "set from Python", *, operator: bool = False) -> str:
        """Changes the control mode (leaving EMERGENCY needs operator=True); returns the mode now."""
        return str(self.request("mode.set", mode=mode, reason=reason, operator=operator)["mode"])

    def engage_kill(self, reason: str = "engaged from Python") -> None:
        """Engages the kill switch."""
        self.request("kill.engage", reason=reason)

    def release_kill(self, reason: str = "released from Python") -> None:
        """Releases the kill switch (the explicit operator act)."""
        self.request("kill.release", reason=reason)

    def set_limit(self, strategy: int | str, field: str, value: float) -> dict[str, Any]:
        """Changes one pre-trade limit (strategy id, "*" or "account"); returns the limits in force."""
        return dict(self.request("limits.set", strategy=strategy, field=field, value=value))

    def approve(self, order_id: int) -> None:
        """Approves a SEMI_AUTO order announced on the ``approval`` topic."""
        self.request("approve", orderId=order_id)

    def refuse(self, order_id: int) -> None:
        """Refuses a SEMI_AUTO order announced on the ``approval`` topic."""
        self.request("refuse", orderId=order_id)
