"""Waiting for an engine process the tests started: up, alive and publishing."""

from __future__ import annotations

import subprocess
import time

import cwts


def wait_until_publishing(name: str, process: subprocess.Popen[str] | subprocess.Popen[bytes], symbol: str, symbols: int | None = None, timeout: float = 20.0) -> None:
    """Returns once the engine behind segment `name` is alive with a bid on `symbol` (and `symbols` symbols, if given); fails if `process` exits first."""
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, f"the engine exited: {process.stderr.read() if process.stderr else ''!r}"
        try:
            with cwts.Bridge.attach(name, stale_after=0.5) as probe:
                if probe.engine_alive() and (symbols is None or len(probe.symbols()) == symbols) and probe.ticker(symbol).bid > 0:
                    return
        except cwts.CwtsError:
            pass
        assert time.monotonic() < deadline, f"the engine did not come up within {timeout:.0f} s"
        time.sleep(0.05)
