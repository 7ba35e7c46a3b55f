"""A real engine process (`cwts run`, simulated venue) for tests: started from a config, waited for until it publishes, stopped."""

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

# Limits that let every test order through; tests that exercise risk add their own entries.
OPEN_LIMITS = (
    "{ maxOrderSize: 1.0e9, maxOrderValue: 1.0e12, creditLimit: 1.0e12, priceCollarPct: 50,"
    " maxOrdersPerSecond: 1.0e6, duplicateWindowMs: 0, maxFillsPerMinute: 1000000 }"
)


# The same limits as a config's whole risk block, for configs written out in full.
OPEN_RISK = f"risk:\n  account: {{ creditLimit: 1.0e12 }}\n  strategies:\n    '*': {OPEN_LIMITS}\n"


def node() -> str:
    found = shutil.which("node")
    assert found, "node is not on PATH"
    return found


def write_engine_config(directory: Path, name: str, *, seed: int, restricted: str = "[]", limits: dict[int, str] | None = None) -> Path:
    """An engine config in `directory` (its SQLite files beside it): the simulated venue with five
    symbols, FULL_AUTO, OPEN_LIMITS for every strategy but those `limits` names."""
    config = directory / "engine.yaml"
    config.write_text(
        f"segment: {{ name: {name} }}\n"
        f"feeds: [{{ type: simulated, eventsPerSecond: 2000, seed: {seed} }}]\n"
        "candles: { database: ':memory:' }\n"
        "execution: { database: trades.sqlite }\n"
        "audit: { database: audit.sqlite }\n"
        "modes: { initial: FULL_AUTO, stateFile: mode.json }\n"
        "risk:\n"
        "  account: { creditLimit: 1.0e12 }\n"
        f"  restrictedSymbols: {restricted}\n"
        "  strategies:\n"
        f"    '*': {OPEN_LIMITS}\n"
        + "".join(f"    '{strategy}': {line}\n" for strategy, line in (limits or {}).items())
    )
    return config


def start_engine(config: Path, name: str, symbols: int = 5, timeout: float = 20.0) -> subprocess.Popen[bytes]:
    """Starts `cwts run --config CONFIG` and returns once its segment has live books."""
    assert CLI.exists(), f"{CLI} is missing: build the engine first (npm run build)"
    process = subprocess.Popen([node(), str(CLI), "run", "--config", str(config)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until_publishing(name, process, symbols, timeout)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return process


def wait_until_publishing(
    name: str, process: subprocess.Popen[str] | subprocess.Popen[bytes], symbols: int | None = None, timeout: float = 20.0
) -> None:
    """Returns once `process` publishes into segment `name`: alive, with `symbols` symbols (if
    given) and a bid on the first; fails if the process exits first."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise AssertionError(f"the engine exited ({process.returncode}): {process.stderr.read() if process.stderr else ''!r}")
        try:
            with cwts.Bridge.attach(name, stale_after=0.5) as probe:
                # This process's segment, not one a dead engine left under the same name.
                ours = probe.header().engine_pid == process.pid
                if ours and probe.engine_alive() and (symbols is None or len(probe.symbols()) == symbols) and probe.ticker(probe.symbols()[0]).bid > 0:
                    return
        except cwts.CwtsError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"the engine did not come up within {timeout:.0f} s")
        time.sleep(0.05)


def stop_engine(process: subprocess.Popen[bytes], timeout: float = 20.0) -> int:
    """Ctrl-C, as an operator stops it; returns its exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    return process.wait(timeout=timeout)


@contextmanager
def engine_process(name: str, directory: Path, config: str, symbols: int = 5) -> Iterator[subprocess.Popen[bytes]]:
    """Writes `config` (YAML naming segment `name`, paths relative to `directory`) and runs the
    engine on it, publishing `symbols` symbols, until the block ends."""
    path = directory / "engine.yaml"
    path.write_text(config)
    process = start_engine(path, name, symbols)
    try:
        yield process
    finally:
        stop_engine(process)
