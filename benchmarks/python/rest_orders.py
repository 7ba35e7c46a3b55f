"""Places resting orders on request, for the kill-switch benchmark.

    python benchmarks/python/rest_orders.py --name NAME --orders N

For every line 'go' on stdin: N limit buys of BTC/USDT 10 % under the bid, spread over
16 strategies, each waited for until ACCEPTED; then prints 'ready'. Ends at the end of stdin.
"""

from __future__ import annotations

import argparse
import sys

import cwts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", required=True, help="segment name under /dev/shm")
    parser.add_argument("--orders", type=int, default=100, help="resting orders per round (default 100)")
    args = parser.parse_args()
    bridge = cwts.Bridge.attach(args.name, stale_after=1.0)
    for line in sys.stdin:
        if line.strip() != "go":
            raise SystemExit(f"rest_orders: expected 'go', got {line.strip()!r}")
        placed = []
        for i in range(args.orders):
            price = round(bridge.ticker("BTC/USDT").bid * 0.9, 1)
            placed.append(bridge.submit("BTC/USDT", cwts.SignalAction.BUY, 0.001, price, strategy_id=70 + i % 16))
        for coid in placed:
            report = bridge.wait_report(coid, timeout=5.0)
            if report.kind != cwts.ReportKind.ACCEPTED:
                raise SystemExit(f"rest_orders: order {coid} got {report.kind.name} ({report.reason}), not ACCEPTED")
        print("ready", flush=True)
    bridge.close()


if __name__ == "__main__":
    main()
