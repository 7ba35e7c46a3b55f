"""A strategy on another machine: books and fills over tcp:// with CURVE, one market order over the control socket.

    python examples/remote_books.py --keys DIR [--host 127.0.0.1] [--seconds 5]

DIR holds engine.key (the engine's public key) and authorized/strategy.key_secret, as
examples/engine/network.yaml says how to make them. Prints the latest book of each symbol
once a second, buys 0.001 BTC/USDT at market, and prints its reports and what it lost.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from cwts import OrderType, SignalAction
from cwts.network import ControlClient, CurveKeys, EventSubscriber


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keys", required=True, type=Path, help="directory of engine.key and authorized/strategy.key_secret")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    keys = CurveKeys.from_files(str(args.keys / "engine.key"), str(args.keys / "authorized" / "strategy.key_secret"))
    with EventSubscriber(f"tcp://{args.host}:7001", ["book.", "fill"], curve=keys) as events, \
            ControlClient(f"tcp://{args.host}:7002", curve=keys) as control:
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            time.sleep(1.0)  # meanwhile books queue up; latest_books keeps the last of each symbol
            for symbol, book in sorted(events.latest_books().items()):
                bid, ask = book["bids"][0], book["asks"][0]
                print(f"{symbol:10} {bid[1]:>10.4f} @ {bid[0]:<12} | {ask[0]:>12} @ {ask[1]:<10.4f} update {book['updateCount']}")
            print()
        coid = control.submit("BTC/USDT", SignalAction.BUY, 0.001, order_type=OrderType.MARKET, strategy_id=5)
        report = control.wait_report(coid)
        while True:
            print(f"report: {report.kind.name} {report.reason.name} filled {report.cumulative_filled} at {report.fill_price}")
            if report.terminal:
                break
            report = control.wait_report(coid)
        print(f"messages lost per topic (gaps in seq): {events.missed or 'none'}")


if __name__ == "__main__":
    main()
