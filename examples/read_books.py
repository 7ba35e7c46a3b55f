"""Read live books from the cwts segment and print what a strategy would see.

    python examples/read_books.py [--name cwts] [--seconds 8] [--depth 3]

Between prints it reads books in a tight loop, to show what one read costs.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time

import cwts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", default="cwts", help="segment name under /dev/shm (default cwts)")
    parser.add_argument("--seconds", type=float, default=8.0, help="how long to read (default 8)")
    parser.add_argument("--depth", type=int, default=3, help="levels per side to print (default 3)")
    args = parser.parse_args()

    stop = False

    def on_signal(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, on_signal)
    try:
        bridge = cwts.Bridge.attach(args.name)
    except cwts.CwtsError as error:
        print(f"read_books: {error}", file=sys.stderr)
        return 1
    print(f"python reader attached to /dev/shm/{args.name} with the {bridge.backend} backend")
    symbols = bridge.symbols()
    reads = 0
    read_ns = 0
    deadline = time.monotonic() + args.seconds
    next_print = 0.0
    while not stop and time.monotonic() < deadline:
        started = time.perf_counter_ns()
        for symbol in symbols:
            bridge.book(symbol, args.depth)
        read_ns += time.perf_counter_ns() - started
        reads += len(symbols)
        now = time.monotonic()
        if now >= next_print:
            next_print = now + 1.0
            for symbol in symbols:
                book = bridge.book(symbol, args.depth)
                last = bridge.ticker(symbol).last
                bids = " ".join(f"{p:g}x{v:g}" for p, v in book.bids)
                asks = " ".join(f"{p:g}x{v:g}" for p, v in book.asks)
                flags = ",".join(f.name.lower() for f in cwts.SymbolStatus if f in book.status and f != cwts.SymbolStatus.ACTIVE)
                print(f"{symbol:<10} #{book.update_count:<8} bids {bids:<42} | asks {asks:<42} last {last:g}  {flags or 'ok'}")
            print(f"  engine alive: {bridge.engine_alive()}   kill engaged: {bridge.kill_engaged()}")
    bridge.close()
    per_read = read_ns / reads if reads else 0.0
    print(f"\nreader: {reads:,} consistent book snapshots of depth {args.depth}, {per_read:,.0f} ns per read on average")
    return 0


if __name__ == "__main__":
    sys.exit(main())
