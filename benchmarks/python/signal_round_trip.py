"""Python signal to terminal report through a running engine, across processes.

    python benchmarks/python/signal_round_trip.py --name NAME [--seconds S]

Sends one small market order at a time (buy, then sell, so the position stays flat) and
waits for its FILLED report; records submit-to-report time in an HDR histogram. Closed loop:
the next order goes when the last one is done. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import cwts
from hdr_summary import new_histogram, summary

TERMINAL = {cwts.ReportKind.FILLED, cwts.ReportKind.CANCELLED, cwts.ReportKind.REJECTED, cwts.ReportKind.EXPIRED}


def closed_loop(round_trip: Callable[[cwts.SignalAction], str], seconds: float) -> dict[str, object]:
    """Runs `round_trip(side)` (which returns the terminal kind's name) back to back for `seconds`,
    alternating buy and sell; returns the outcomes and the latency percentiles in ns."""
    histogram = new_histogram()
    outcomes: dict[str, int] = {}
    side = cwts.SignalAction.BUY
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic_ns()
        kind = round_trip(side)
        histogram.record_value(max(1, time.monotonic_ns() - started))
        outcomes[kind] = outcomes.get(kind, 0) + 1
        side = cwts.SignalAction.SELL if side == cwts.SignalAction.BUY else cwts.SignalAction.BUY
    return {"outcomes": outcomes, "latency_ns": summary(histogram, curve=True)}


def shared_memory_round_trip(bridge: cwts.Bridge, symbol: str, size: float) -> Callable[[cwts.SignalAction], str]:
    """One market order through the segment's signal ring, waited for in the report ring."""

    def round_trip(side: cwts.SignalAction) -> str:
        coid = bridge.submit(symbol, side, size, order_type=cwts.OrderType.MARKET, strategy_id=42)
        while True:
            report = bridge.wait_report(coid, timeout=5.0)
            if report.kind in TERMINAL:
                return report.kind.name

    return round_trip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", required=True, help="segment name under /dev/shm")
    parser.add_argument("--seconds", type=float, default=2.0, help="how long to measure (default 2)")
    parser.add_argument("--symbol", default="BTC/USDT")
    parser.add_argument("--size", type=float, default=0.001)
    args = parser.parse_args()
    bridge = cwts.Bridge.attach(args.name, stale_after=1.0)
    result = closed_loop(shared_memory_round_trip(bridge, args.symbol, args.size), args.seconds)
    bridge.close()
    print(json.dumps({"benchmark": "signal-round-trip", **result}))


if __name__ == "__main__":
    main()
