"""Checks snapshots of a segment written by `cwts stress-publish` against the stress pattern.

    python -m cwts.stress_check --name NAME --seconds S [--backend cython|python] [--symbols K]

Reads symbols 0..K-1 round robin with Bridge.snapshot_raw for S seconds and checks every
field of every snapshot against its update_count n (docs/segment.md, "The stress pattern");
snapshots with n == 0 (not yet published) are skipped. Any disagreement is a torn read, and
so is a seqlock that never becomes stable. For each new n it also records the publish-to-read
latency, time.monotonic_ns() - publish_ts_ns. Prints one JSON line:

    {"backend", "reads", "torn", "retries", "first_torn", "latency_ns": {"p50", "p90", "p99", "p999", "max", "count"}}

Exit status 1 when a read was torn or nothing was checked, 2 when the segment cannot be attached.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import numpy as np

from cwts._layout import BOOK_DEPTH, MAX_SYMBOLS, SymbolStatus
from cwts.bridge import Bridge
from cwts.errors import CwtsError, LayoutMismatch, SegmentNotFound, SegmentSizeMismatch

_J = np.arange(BOOK_DEPTH, dtype=np.float64)


def expected_scalars(n: int) -> dict[str, Any]:
    """The slot fields of update n, as the stress pattern defines them."""
    return {
        "update_count": n,
        "bid": float(n),
        "ask": float(n + 1),
        "bid_volume": float(n + 2),
        "ask_volume": float(n + 3),
        "last": n + 0.5,
        "volume_24h": float(2 * n),
        "exchange_ts_ns": 1000 * n,
        "receive_ts_ns": 1000 * n + 1,
        "bid_depth": 1 + n % BOOK_DEPTH,
        "ask_depth": BOOK_DEPTH - n % BOOK_DEPTH,
        "status": int(SymbolStatus.ACTIVE),
    }


def check_snapshot(snapshot: dict[str, Any], k: int) -> dict[str, Any] | None:
    """None when the snapshot of symbol k matches the pattern of its update_count, else the first mismatch."""
    n = int(snapshot["update_count"])
    for field, want in expected_scalars(n).items():
        if snapshot[field] != want:
            return {"symbol": k, "update_count": n, "field": field, "expected": want, "found": snapshot[field]}
    nf = float(n)
    for side, depth, price0, volume0 in (
        ("bids", snapshot["bid_depth"], nf, nf + k),
        ("asks", snapshot["ask_depth"], nf + 1, nf + k + 1),
    ):
        levels = snapshot[side][:depth]
        j = _J[:depth]
        prices = price0 - j if side == "bids" else price0 + j
        volumes = volume0 + j
        if not (np.array_equal(levels[:, 0], prices) and np.array_equal(levels[:, 1], volumes)):
            bad = int(np.flatnonzero((levels[:, 0] != prices) | (levels[:, 1] != volumes))[0])
            return {
                "symbol": k,
                "update_count": n,
                "field": f"{side}[{bad}]",
                "expected": [float(prices[bad]), float(volumes[bad])],
                "found": [float(levels[bad, 0]), float(levels[bad, 1])],
            }
    return None


def percentiles(samples: list[int]) -> dict[str, int]:
    if not samples:
        return {"p50": 0, "p90": 0, "p99": 0, "p999": 0, "max": 0, "count": 0}
    values = np.sort(np.asarray(samples, dtype=np.int64))

    def at(q: float) -> int:
        return int(values[min(len(values) - 1, int(q * len(values)))])

    return {"p50": at(0.5), "p90": at(0.9), "p99": at(0.99), "p999": at(0.999), "max": int(values[-1]), "count": len(values)}


def attach(name: str, backend: str, seqlock_timeout: float, wait: float) -> Bridge:
    """Attaches, retrying for `wait` seconds while the publisher is still creating the segment."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return Bridge.attach(name, backend=backend, seqlock_timeout=seqlock_timeout)  # type: ignore[arg-type]
        except (SegmentNotFound, SegmentSizeMismatch, LayoutMismatch):
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def run(bridge: Bridge, seconds: float, symbols: int) -> dict[str, Any]:
    reads = torn = 0
    first_torn: dict[str, Any] | None = None
    latencies: list[int] = []
    last_seen = [0] * symbols
    deadline = time.monotonic_ns() + int(seconds * 1e9)
    k = 0
    snapshot_raw = bridge.snapshot_raw
    while time.monotonic_ns() < deadline:
        try:
            snapshot = snapshot_raw(k)
        except CwtsError as error:  # a seqlock that never became stable
            torn += 1
            if first_torn is None:
                first_torn = {"symbol": k, "error": str(error)}
        else:
            now = time.monotonic_ns()
            n = snapshot["update_count"]
            if n != 0:
                reads += 1
                mismatch = check_snapshot(snapshot, k)
                if mismatch is not None:
                    torn += 1
                    if first_torn is None:
                        first_torn = mismatch
                elif n != last_seen[k]:
                    last_seen[k] = n
                    latencies.append(max(0, now - snapshot["publish_ts_ns"]))
        k = k + 1 if k + 1 < symbols else 0
    return {
        "backend": bridge.backend,
        "reads": reads,
        "torn": torn,
        "retries": bridge.seqlock_retries,
        "first_torn": first_torn,
        "latency_ns": percentiles(latencies),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cwts.stress_check", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--name", required=True, help="segment name under /dev/shm")
    parser.add_argument("--seconds", type=float, required=True, help="how long to read")
    parser.add_argument("--backend", choices=("cython", "python"), default="cython", help="reader backend (default cython)")
    parser.add_argument("--symbols", type=int, default=1, help=f"check symbols 0..K-1, 1 <= K <= {MAX_SYMBOLS} (default 1)")
    parser.add_argument(
        "--seqlock-timeout", type=float, default=1.0,
        help="seconds a seqlock may stay unstable before the read counts as torn (default 1)",
    )
    parser.add_argument(
        "--attach-timeout", type=float, default=2.0,
        help="seconds to wait for the publisher to create the segment (default 2)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.symbols <= MAX_SYMBOLS:
        parser.error(f"--symbols must be in 1..{MAX_SYMBOLS}, got {args.symbols}")
    if not args.seconds > 0:
        parser.error(f"--seconds must be > 0, got {args.seconds}")
    try:
        bridge = attach(args.name, args.backend, args.seqlock_timeout, args.attach_timeout)
    except CwtsError as error:
        print(f"stress_check: {error}", file=sys.stderr)
        return 2
    with bridge:
        result = run(bridge, args.seconds, args.symbols)
    print(json.dumps(result), flush=True)
    return 1 if result["torn"] > 0 or result["reads"] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
