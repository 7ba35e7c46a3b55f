"""What one read of the segment costs from Python, Cython shim against the pure-Python fallback.

    python benchmarks/python/segment_read.py --name NAME [--seconds S]

The segment must hold stress symbols (`cwts stress-publish --keep`). Each sample is the
mean of one batch of calls, so the timer's own cost is spread thin. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import numpy as np

import cwts

BATCH = 100


def percentiles(samples: list[float]) -> dict[str, float]:
    values = np.asarray(samples)
    return {
        "p50": float(np.percentile(values, 50)),
        "p90": float(np.percentile(values, 90)),
        "p99": float(np.percentile(values, 99)),
        "p999": float(np.percentile(values, 99.9)),
        "max": float(values.max()),
        "count": int(values.size),
    }


def measure(call: Callable[[], object], seconds: float) -> dict[str, float]:
    for _ in range(10 * BATCH):  # warm caches and the allocator
        call()
    samples: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter_ns()
        for _ in range(BATCH):
            call()
        samples.append((time.perf_counter_ns() - started) / BATCH)
    return percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", required=True, help="segment name under /dev/shm")
    parser.add_argument("--seconds", type=float, default=1.0, help="seconds per measurement (default 1)")
    args = parser.parse_args()
    results = []
    for backend in ("cython", "python"):
        bridge = cwts.Bridge.attach(args.name, backend=backend)
        symbol = bridge.symbols()[0]
        operations: dict[str, Callable[[], object]] = {
            "ticker": lambda: bridge.ticker(symbol),
            "book depth 5": lambda: bridge.book(symbol, 5),
            "book depth 50": lambda: bridge.book(symbol, 50),
        }
        for operation, call in operations.items():
            results.append({"backend": backend, "operation": operation, "per_call_ns": measure(call, args.seconds)})
        bridge.close()
    ratios = {
        r["operation"]: next(p for p in results if p["backend"] == "python" and p["operation"] == r["operation"])["per_call_ns"]["p50"]
        / r["per_call_ns"]["p50"]
        for r in results
        if r["backend"] == "cython"
    }
    print(json.dumps({"benchmark": "python-read", "batch": BATCH, "results": results, "fallback_over_cython_p50": ratios}))


if __name__ == "__main__":
    main()
