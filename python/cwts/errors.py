"""Errors of the cwts bridge. Every message names what was expected, what was found, and what to do."""

from __future__ import annotations

__all__ = [
    "CwtsError",
    "SegmentNotFound",
    "SegmentSizeMismatch",
    "LayoutMismatch",
    "UnknownSymbol",
    "RingFull",
    "SignalAbandoned",
    "EngineUnavailable",
    "KillEngaged",
    "InvalidSignal",
    "ReportTimeout",
    "ControlError",
]


class CwtsError(Exception):
    """Base class of every error the cwts bridge raises."""


class SegmentNotFound(CwtsError):
    """No shared-memory object of that name: the engine is not running or uses another name."""


class SegmentSizeMismatch(CwtsError):
    """The object exists but is not SEGMENT_SIZE bytes: engine and reader come from different specs."""


class LayoutMismatch(CwtsError):
    """Magic, layout version or layout hash differ from this build's."""


class UnknownSymbol(CwtsError, KeyError):
    """No active symbol slot holds that name."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class RingFull(CwtsError):
    """All signal slots hold signals the engine has not consumed yet; nothing was written."""


class SignalAbandoned(CwtsError):
    """The engine gave up on the claimed slot before the commit (the producer stalled > abandon timeout)."""


class EngineUnavailable(CwtsError):
    """The engine's alive flag is clear, its heartbeat is stale, or it died in the middle of an update."""


class KillEngaged(CwtsError):
    """The kill switch is engaged: the engine takes no new signals."""


class InvalidSignal(CwtsError, ValueError):
    """A signal argument is out of range (size, price, confidence, enum value, id)."""


class ReportTimeout(CwtsError, TimeoutError):
    """wait_report saw no report for the order within the timeout."""


class ControlError(CwtsError):
    """The engine's control socket refused a request (or did not answer): `code` says why, the message how.

    Codes: the engine's (BAD_REQUEST, UNSUPPORTED_VERSION, UNKNOWN_COMMAND, INVALID_ARGUMENT,
    REFUSED, RING_FULL, EXECUTION_OFF, INTERNAL), and TIMEOUT when no reply came.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
