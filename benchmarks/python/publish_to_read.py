"""One-way latency from the engine's publish to a Python read, across processes.

    python benchmarks/python/publish_to_read.py --name NAME [--seconds S] [--backend cython|python]

Run it against a paced publisher (`cwts stress-publish --interval-us N --symbols 1`):
the reader spins on symbol 0 and, for every new update it sees, records
CLOCK_MONOTONIC now minus the update's publish_ts_ns into an HDR histogram.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import time

from hdrh.histogram import HdrHistogram

import cwts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", required=True, help="segment name under /dev/shm")
    parser.add_argument("--seconds", type=float, default=2.0, help="how long to read (default 2)")
    parser.add_argument("--backend", choices=("cython", "python"), default="cython")
    args = parser.parse_args()
    bridge = cwts.Bridge.attach(args.name, backend=args.backend)
    symbol = bridge.symbols()[0]
    histogram = HdrHistogram(1, 10_000_000_000, 3)  # 1 ns .. 10 s, 3 significant digits
    last_count = bridge.ticker(symbol).update_count
    seen = 0
    deadline = time.monotonic_ns() + int(args.seconds * 1e9)
    while True:
        ticker = bridge.ticker(symbol)
        now = time.monotonic_ns()
        if now > deadline:
            break
        if ticker.update_count != last_count:
            last_count = ticker.update_count
            histogram.record_value(max(1, now - ticker.publish_ts_ns))
            seen += 1
    bridge.close()
    latency = {f"p{str(p).replace('.', '')}": histogram.get_value_at_percentile(p) for p in (50, 90, 99, 99.9)}
    latency.update({"max": histogram.get_max_value(), "count": histogram.get_total_count()})
    print(json.dumps({"benchmark": "publish-to-read", "backend": args.backend, "updates_seen": seen, "latency_ns": latency}))


if __name__ == "__main__":
    main()
