"""A real engine process (`cwts run`, simulated venue) for tests, up until it publishes every symbol."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import cwts

REPO = Path(__file__).resolve().parents[2]
CLI = REPO / "packages" / "engine" / "dist" / "cli" / "main.js"

# Limits no test reaches, for every strategy without its own entry.
OPEN_RISK = (
    "risk:\n"
    "  account: { creditLimit: 1.0e12 }\n"
    "  strategies:\n"
    "    '*': { maxOrderSize: 1.0e9, maxOrderValue: 1.0e12, creditLimit: 1.0e12, priceCollarPct: 50,"
    " maxOrdersPerSecond: 1.0e6, duplicateWindowMs: 0, maxFillsPerMinute: 1000000 }\n"
)


def node() -> str:
    found = shutil.which("node")
    assert found, "node is not on PATH"
    return found


@contextmanager
def engine_process(name: str, directory: Path, config: str, symbols: int = 5) -> Iterator[subprocess.Popen[bytes]]:
    """Writes `config` (YAML, paths relative to `directory`) and runs the engine on it until the block ends.

    The config must name the segment `name`. Yields once the engine is alive and publishes
    `symbols` symbols with a bid; stops it with SIGINT afterwards.
    """
    assert CLI.exists(), f"{CLI} is missing: build the engine first (npm run build)"
    path = directory / "engine.yaml"
    path.write_text(config)
    process = subprocess.Popen([node(), str(CLI), "run", "--config", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, f"the engine exited: {process.stderr.read().decode() if process.stderr else ''}"
            try:
                with cwts.Bridge.attach(name, stale_after=0.5) as probe:
                    names = probe.symbols()
                    if probe.engine_alive() and len(names) == symbols and probe.ticker(names[0]).bid > 0:
                        break
            except cwts.CwtsError:
                pass
            assert time.monotonic() < deadline, "the engine did not come up within 20 s"
            time.sleep(0.05)
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
