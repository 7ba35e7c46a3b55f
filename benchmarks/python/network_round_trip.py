"""Round trips to one running engine over ZeroMQ ipc://, tcp:// with CURVE, and the shared-memory segment.

    python benchmarks/python/network_round_trip.py --name NAME --ipc E --tcp E --server-key F --key F [--seconds S]

In one run, one after the other, closed loop (the next starts when the last is done):
- a control-socket ping (request to reply, no engine work) over ipc and over tcp;
- a market order to its FILLED report through the segment's rings, over ipc and over tcp.
The order is the same in all three, and takes the same path inside the engine, so the
differences are the transports. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from signal_round_trip import closed_loop, shared_memory_round_trip

import cwts
from cwts.network import ControlClient, CurveKeys


def ping(control: ControlClient) -> Callable[[cwts.SignalAction], str]:
    """A control request the engine answers at once: the transport's cost, both ways."""

    def round_trip(_side: cwts.SignalAction) -> str:
        control.request("ping")
        return "PONG"

    return round_trip


def network_order(control: ControlClient, symbol: str, size: float) -> Callable[[cwts.SignalAction], str]:
    """One market order over the control socket, waited for in the reports that come back on it."""

    def round_trip(side: cwts.SignalAction) -> str:
        coid = control.submit(symbol, side, size, order_type=cwts.OrderType.MARKET, strategy_id=43)
        return control.wait_terminal(coid, timeout=5.0).kind.name

    return round_trip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", required=True, help="segment name under /dev/shm")
    parser.add_argument("--ipc", required=True, help="the engine's ipc:// control endpoint")
    parser.add_argument("--tcp", required=True, help="the engine's tcp:// control endpoint")
    parser.add_argument("--server-key", required=True, help="the engine's public key file")
    parser.add_argument("--key", required=True, help="this client's secret key file")
    parser.add_argument("--seconds", type=float, default=2.0, help="how long to measure each (default 2)")
    parser.add_argument("--symbol", default="BTC/USDT")
    parser.add_argument("--size", type=float, default=0.001)
    args = parser.parse_args()
    keys = CurveKeys.from_files(args.server_key, args.key)
    bridge = cwts.Bridge.attach(args.name, stale_after=1.0)
    with ControlClient(args.ipc) as ipc, ControlClient(args.tcp, curve=keys) as tcp:
        results = {
            "ping": {"ipc": closed_loop(ping(ipc), args.seconds), "tcp": closed_loop(ping(tcp), args.seconds)},
            "order": {
                "shm": closed_loop(shared_memory_round_trip(bridge, args.symbol, args.size), args.seconds),
                "ipc": closed_loop(network_order(ipc, args.symbol, args.size), args.seconds),
                "tcp": closed_loop(network_order(tcp, args.symbol, args.size), args.seconds),
            },
        }
    bridge.close()
    print(json.dumps({"benchmark": "network-round-trip", **results}))


if __name__ == "__main__":
    main()
