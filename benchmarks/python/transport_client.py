"""Round trips of one 128-byte message from Python to the Node echo (benchmarks/transport-echo.mjs).

    python benchmarks/python/transport_client.py --transport T --address A [--seconds S] [--rate R]

T: shm-spin, shm-futex (a signal into the segment's ring, a report back; A is the segment name),
unix (A a socket path), tcp (A host:port), zeromq-ipc, zeromq-tcp (A an endpoint).

Two measurements, each into an HDR histogram after a warm-up:
- closed loop: the next message goes as soon as the last one is back, for S seconds;
- open loop: one message every 1/R s, for S seconds, each timed from when it was DUE rather
  than when it went, so a late answer also counts against the messages it held up
  (coordinated omission corrected). One message is in flight at a time.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import socket
import struct
import time
from collections.abc import Callable

import zmq

import cwts
from hdr_summary import new_histogram, summary

MESSAGE_BYTES = 128
TIMEOUT_S = 5.0
WARMUP_S = 0.2
SLEEP_AHEAD_NS = 200_000  # how early a sleep before a due time ends: more than its usual overshoot
_U32 = 0xFFFFFFFF


class Timeout(RuntimeError):
    pass


def socket_round_trip(transport: str, address: str) -> Callable[[int], None]:
    """A stream socket: send 128 bytes numbered `seq`, read 128 back, check they are ours."""
    if transport == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(address)
    else:
        host, port = address.rsplit(":", 1)
        sock = socket.create_connection((host, int(port)))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.settimeout(TIMEOUT_S)
    message = bytearray(MESSAGE_BYTES)
    answer = bytearray(MESSAGE_BYTES)
    view = memoryview(answer)

    def round_trip(seq: int) -> None:
        struct.pack_into("<Q", message, 0, seq)
        sock.sendall(message)
        got = 0
        while got < MESSAGE_BYTES:
            n = sock.recv_into(view[got:])
            if n == 0:
                raise ConnectionError(f"the echo on {address} closed the connection after {got} of {MESSAGE_BYTES} bytes")
            got += n
        if answer != message:
            raise ValueError(f"message {seq}: the echo on {address} sent back other bytes than it got")

    return round_trip


def zeromq_round_trip(address: str) -> Callable[[int], None]:
    """A ZeroMQ REQ socket against the echo's REP."""
    sock = zmq.Context.instance().socket(zmq.REQ)
    sock.setsockopt(zmq.RCVTIMEO, int(TIMEOUT_S * 1000))
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(address)
    message = bytearray(MESSAGE_BYTES)

    def round_trip(seq: int) -> None:
        struct.pack_into("<Q", message, 0, seq)
        sock.send(message, copy=True)
        try:
            answer = sock.recv(copy=True)
        except zmq.Again:
            raise Timeout(f"no answer from the ZeroMQ echo on {address} within {TIMEOUT_S:g} s") from None
        if answer != message:
            raise ValueError(f"message {seq}: the ZeroMQ echo on {address} sent back other bytes than it got")

    return round_trip


def shm_round_trip(name: str, spin: bool) -> Callable[[int], None]:
    """A 128-byte signal into the segment's ring, then its 128-byte report from the ring back.

    Goes through the Cython shim directly (Bridge._impl): the transport alone, without the
    Bridge's argument checks, which the other transports do not pay either.
    """
    bridge = cwts.Bridge.attach(name, backend="cython")
    impl = bridge._impl
    seen = impl.write_position()

    def wait_spinning(position: int, deadline: int) -> None:
        polls = 0
        while impl.write_position() == position:
            polls += 1
            if polls & 0x3FF == 0 and time.monotonic_ns() > deadline:
                raise Timeout(f"no report on {name} within {TIMEOUT_S:g} s (spinning on the write position)")

    def wait_sleeping(position: int, deadline: int) -> None:
        while impl.wait_write_position(position, TIMEOUT_S) == position:
            if time.monotonic_ns() > deadline:
                raise Timeout(f"no report on {name} within {TIMEOUT_S:g} s (asleep on the write position's futex)")

    wait = wait_spinning if spin else wait_sleeping

    def round_trip(seq: int) -> None:
        nonlocal seen
        client_order_id, _ = impl.submit(1, 0, 0, 0, 1, float(seq + 1), 0.0, 1.0, 0, seq + 1)
        wait(seen, time.monotonic_ns() + int(TIMEOUT_S * 1e9))
        report = impl.read_report(seen)
        if report[3] != client_order_id:
            raise ValueError(f"report {seen} on {name} answers client order id {report[3]}, expected {client_order_id}")
        seen = (seen + 1) & _U32

    return round_trip


def connect(transport: str, address: str) -> Callable[[int], None]:
    if transport in ("shm-spin", "shm-futex"):
        return shm_round_trip(address, spin=transport == "shm-spin")
    if transport in ("unix", "tcp"):
        return socket_round_trip(transport, address)
    if transport in ("zeromq-ipc", "zeromq-tcp"):
        return zeromq_round_trip(address)
    raise ValueError(f"unknown transport {transport!r}")


def closed_loop(round_trip: Callable[[int], None], seconds: float, seq: int) -> tuple[dict[str, object], int]:
    histogram = new_histogram()
    clock = time.perf_counter_ns
    end = clock() + int(seconds * 1e9)
    while True:
        started = clock()
        if started > end:
            break
        round_trip(seq)
        histogram.record_value(max(1, clock() - started))
        seq += 1
    return summary(histogram, curve=True), seq


def open_loop(round_trip: Callable[[int], None], seconds: float, rate: float, seq: int) -> dict[str, object]:
    histogram = new_histogram()
    clock = time.perf_counter_ns
    interval = int(1e9 / rate)
    start = clock()
    end = start + int(seconds * 1e9)
    late = 0
    k = 0
    while True:
        due = start + k * interval
        if due > end:
            break
        now = clock()
        # Sleep most of the way (a spinning client loses its core to anything else runnable on a
        # shared machine, and is then late), then spin past the sleep's overshoot to the due time.
        if now < due - SLEEP_AHEAD_NS - 100_000:
            time.sleep((due - now - SLEEP_AHEAD_NS) / 1e9)
        while clock() < due:
            pass
        if clock() - due > interval:
            late += 1
        round_trip(seq)
        histogram.record_value(max(1, clock() - due))
        seq += 1
        k += 1
    result = summary(histogram, curve=True)
    result.update({"rate": rate, "sent_late": late})
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transport", required=True)
    parser.add_argument("--address", required=True)
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds per measurement (default 2)")
    parser.add_argument("--rate", type=float, default=1000.0, help="open-loop messages per second (default 1000)")
    args = parser.parse_args()
    if not args.seconds > 0 or not args.rate > 0:
        parser.error(f"--seconds and --rate must be > 0, got {args.seconds} and {args.rate}")
    round_trip = connect(args.transport, args.address)
    _, seq = closed_loop(round_trip, WARMUP_S, 0)
    closed, seq = closed_loop(round_trip, args.seconds, seq)
    opened = open_loop(round_trip, args.seconds, args.rate, seq)
    print(json.dumps({"benchmark": "transport", "transport": args.transport, "message_bytes": MESSAGE_BYTES,
                      "closed_loop_ns": closed, "open_loop_ns": opened}))


if __name__ == "__main__":
    main()
