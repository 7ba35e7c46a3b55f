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

import cwts
from hdr_summary import new_histogram, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", required=True, help="segment name under /dev/shm")
    parser.add_argument("--seconds", type=float, default=2.0, help="how long to read (default 2)")
    parser.add_argument("--backend", choices=("cython", "python"), default="cython")
    args = parser.parse_args()
    bridge = cwts.Bridge.attach(args.name, backend=args.backend)
    symbol = bridge.symbols()[0]
    histogram = new_histogram()
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
    print(json.dumps({"benchmark": "publish-to-read", "backend": args.backend, "updates_seen": seen, "latency_ns": summary(histogram, curve=True)}))


if __name__ == "__main__":
    main()
