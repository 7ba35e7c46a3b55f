"""Signals: the producer of docs/segment.md, its refusals and validation, and many producers at once."""

from __future__ import annotations

import ctypes
import math
import multiprocessing
import os
import struct
import threading
import time

import pytest

import cwts
from cwts._layout import (
    SIGNAL_CAPACITY,
    SIGNAL_RING_CONTROL_FIELDS,
    SIGNAL_SLOT_FORMAT,
    SIGNAL_SLOT_NAMES,
    SIGNAL_SLOT_SIZE,
)
from segment_writer import region_offset

BUY, SELL = cwts.SignalAction.BUY, cwts.SignalAction.SELL


@pytest.fixture
def bridge(segment):
    with cwts.Bridge.attach(segment.name, backend="cython", stale_after=3600) as b:
        yield b


def test_submit_writes_the_slot_and_advances_tail(segment, bridge):
    before = time.monotonic_ns()
    coid = bridge.submit("ETH/USDT", SELL, 2.5, 3401.5, order_type=cwts.OrderType.LIMIT,
                         time_in_force=cwts.TimeInForce.POST_ONLY, strategy_id=9, confidence=0.75)
    raw = segment.signal_slot_bytes(0)
    assert len(raw) == SIGNAL_SLOT_SIZE
    slot = dict(zip(SIGNAL_SLOT_NAMES, struct.unpack(SIGNAL_SLOT_FORMAT, raw)))
    assert slot == {
        "seq": 1, "action": 2, "order_type": 0, "time_in_force": 3, "symbol_index": 1, "strategy_id": 9,
        "client_order_id": coid, "size": 2.5, "price": 3401.5, "confidence": 0.75, "created_ns": slot["created_ns"],
        "producer_pid": os.getpid(), "flags": 0, "target_client_order_id": 0,
    }
    assert before <= slot["created_ns"] <= time.monotonic_ns()
    assert coid == 1
    control = bridge.signal_control()
    assert control["tail"] == 1 and control["next_client_order_id"] == 2 and control["head"] == 0
    assert segment.signal_control("tail") == 1


def test_client_order_ids_unique_and_increasing(segment, bridge):
    ids = [bridge.submit("BTC/USDT", BUY, 0.1, 100.0 + i) for i in range(20)]
    assert ids == list(range(1, 21))
    assert [segment.signal_slot(i)["client_order_id"] for i in range(20)] == ids
    assert [segment.signal_slot(i)["seq"] for i in range(20)] == list(range(1, 21))


def test_ids_come_from_the_segment(segment, bridge):
    segment.put(region_offset("signal_control", 0) + SIGNAL_RING_CONTROL_FIELDS["next_client_order_id"].offset, "Q", 5000)
    assert bridge.submit("BTC/USDT", BUY, 1, 1) == 5000
    assert bridge.submit("BTC/USDT", BUY, 1, 1) == 5001


def test_cancel_and_modify(segment, bridge):
    coid = bridge.submit("BTC/USDT", BUY, 1.0, 65000.0, strategy_id=7)
    cancel = bridge.cancel(coid, "BTC/USDT", strategy_id=7)
    modify = bridge.submit("BTC/USDT", cwts.SignalAction.MODIFY, 2.0, 64000.0, target_client_order_id=coid)
    c, m = segment.signal_slot(1), segment.signal_slot(2)
    assert (c["action"], c["client_order_id"], c["target_client_order_id"], c["strategy_id"], c["size"]) == (3, cancel, coid, 7, 0.0)
    assert (m["action"], m["target_client_order_id"], m["size"], m["price"]) == (4, coid, 2.0, 64000.0)
    assert cancel == coid + 1 and modify == coid + 2


def test_consumer_sees_committed_signals_and_frees_slots(segment, bridge):
    consumer = segment.consumer()
    ids = [bridge.submit("BTC/USDT", BUY, 1.0 + i, 10.0) for i in range(5)]
    got = consumer.drain()
    assert [s["client_order_id"] for s in got] == ids and [s["position"] for s in got] == list(range(5))
    assert segment.signal_slot(0)["seq"] == SIGNAL_CAPACITY  # free for position 1000
    assert bridge.signal_control()["head"] == 5


def test_ring_full_after_capacity_unconsumed(segment, bridge):
    ids = [bridge.submit("BTC/USDT", BUY, 1.0, float(i), check_engine=False) for i in range(SIGNAL_CAPACITY)]
    before = [segment.signal_slot_bytes(i) for i in range(SIGNAL_CAPACITY)]
    with pytest.raises(cwts.RingFull, match="full"):
        bridge.submit("BTC/USDT", BUY, 1.0, 1.0)
    with pytest.raises(cwts.RingFull):
        bridge.cancel(ids[0], "BTC/USDT")
    assert [segment.signal_slot_bytes(i) for i in range(SIGNAL_CAPACITY)] == before  # nothing overwritten
    assert bridge.signal_control()["tail"] == SIGNAL_CAPACITY
    consumer = segment.consumer()
    first = consumer.poll()
    assert first is not None and first["client_order_id"] == ids[0] and first["price"] == 0.0
    coid = bridge.submit("BTC/USDT", BUY, 1.0, 7.0)  # the freed slot takes the next lap
    assert segment.signal_slot(0)["seq"] == SIGNAL_CAPACITY + 1 and segment.signal_slot(0)["client_order_id"] == coid
    assert [s["price"] for s in consumer.drain()] == [float(i) for i in range(1, SIGNAL_CAPACITY)] + [7.0]


@pytest.mark.parametrize("state,error", [
    ("stale", cwts.EngineUnavailable),
    ("not_alive", cwts.EngineUnavailable),
    ("kill", cwts.KillEngaged),
    ("kill_and_stale", cwts.KillEngaged),
])
def test_refusals_write_nothing(segment, state, error):
    with cwts.Bridge.attach(segment.name, backend="cython", stale_after=0.05) as bridge:
        if "stale" in state:
            segment.beat(time.monotonic_ns() - 10**9)
        if state == "not_alive":
            segment.set_flags(0)
        if "kill" in state:
            segment.set_flags(cwts.HeaderFlag.ENGINE_ALIVE | cwts.HeaderFlag.KILL_ENGAGED)
        with pytest.raises(error) as info:
            bridge.submit("BTC/USDT", BUY, 1.0, 1.0)
        with pytest.raises(error):
            bridge.cancel(1, "BTC/USDT")
        assert "no signal was written" in str(info.value)
        if state == "stale":
            assert "ms old, expected at most 50 ms" in str(info.value)
        assert bridge.signal_control()["tail"] == 0
        assert bridge.submit("BTC/USDT", BUY, 1.0, 1.0, check_engine=False) == 1


INVALID = [
    ({"size": math.nan}, "size"), ({"size": math.inf}, "size"), ({"size": -math.inf}, "size"),
    ({"size": 0.0}, "size"), ({"size": -1.0}, "size"), ({"size": "1"}, "size"), ({"size": True}, "size"),
    ({"price": math.nan}, "price"), ({"price": math.inf}, "price"), ({"price": -0.5}, "price"),
    ({"action": 99}, "action"), ({"action": -1}, "action"), ({"action": "BUY"}, "action"),
    ({"action": cwts.SignalAction.CANCEL}, "cancel"),
    ({"order_type": 7}, "order_type"), ({"time_in_force": 9}, "time_in_force"), ({"time_in_force": 1.0}, "time_in_force"),
    ({"confidence": 1.5}, "confidence"), ({"confidence": math.nan}, "confidence"), ({"confidence": -0.1}, "confidence"),
    ({"strategy_id": -1}, "strategy_id"), ({"strategy_id": 2**32}, "strategy_id"),
    ({"target_client_order_id": -1}, "target_client_order_id"),
    ({"action": cwts.SignalAction.MODIFY}, "MODIFY"),
    ({"client_order_id": 0}, "client_order_id"), ({"client_order_id": 2**64}, "client_order_id"),
    ({"client_order_id": 1.5}, "client_order_id"), ({"client_order_id": True}, "client_order_id"),
]


@pytest.mark.parametrize("change,word", INVALID, ids=[f"{k}={v!r}" for (c, _) in INVALID for k, v in c.items()])
def test_invalid_signals(segment, backend, change, word):
    args = {"symbol": "BTC/USDT", "action": BUY, "size": 1.0, "price": 100.0}
    args.update(change)
    with cwts.Bridge.attach(segment.name, backend=backend, stale_after=3600) as bridge:
        with pytest.raises(cwts.InvalidSignal, match=word):
            bridge.submit(**args)
        assert bridge.signal_control()["tail"] == 0


@pytest.mark.parametrize("bad", [0, -1, 2**64, 1.5, None])
def test_invalid_cancel(bridge, bad):
    with pytest.raises(cwts.InvalidSignal, match="client_order_id"):
        bridge.cancel(bad, "BTC/USDT")  # type: ignore[arg-type]


def test_unknown_symbol_on_submit(bridge):
    with pytest.raises(cwts.UnknownSymbol):
        bridge.submit("NOPE/USDT", BUY, 1.0, 1.0)


def test_market_orders_may_have_price_zero(segment, bridge):
    bridge.submit("BTC/USDT", BUY, 1.0, order_type=cwts.OrderType.MARKET, time_in_force=cwts.TimeInForce.IOC)
    slot = segment.signal_slot(0)
    assert (slot["order_type"], slot["time_in_force"], slot["price"]) == (1, 1, 0.0)


def test_fallback_cannot_submit(segment):
    with cwts.Bridge.attach(segment.name, backend="python", stale_after=3600) as bridge:
        with pytest.raises(cwts.CwtsError, match="compiled backend"):
            bridge.submit("BTC/USDT", BUY, 1.0, 1.0)
        with pytest.raises(cwts.CwtsError, match="compiled backend"):
            bridge.cancel(1, "BTC/USDT", check_engine=False)
        assert bridge.signal_control()["tail"] == 0


def test_wakes_a_sleeping_consumer_across_processes_futex(segment, bridge):
    """consumer_sleeping = 1: the producer adds 1 to consumer_wake and FUTEX_WAKEs it (shared, not private)."""
    if os.uname().machine != "x86_64":
        pytest.skip("the test's futex call uses the x86_64 syscall number")
    wake_offset = region_offset("signal_control", 0) + SIGNAL_RING_CONTROL_FIELDS["consumer_wake"].offset
    sleeping_offset = region_offset("signal_control", 0) + SIGNAL_RING_CONTROL_FIELDS["consumer_sleeping"].offset
    libc = ctypes.CDLL(None, use_errno=True)

    class Timespec(ctypes.Structure):
        _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]

    result = {}

    def sleeper():
        # FUTEX_WAIT (0) without the private flag, on the writer's own mapping of the word
        started = time.monotonic()
        rc = libc.syscall(202, ctypes.c_void_p(segment.base_address + wake_offset), 0, 0, ctypes.byref(Timespec(10, 0)), None, 0)
        result["rc"], result["errno"], result["seconds"] = rc, ctypes.get_errno(), time.monotonic() - started

    assert bridge.submit("BTC/USDT", BUY, 1.0, 1.0) == 1
    assert segment.signal_control("consumer_wake") == 0  # nobody sleeps: no wake, no system call
    segment.put(sleeping_offset, "I", 1)
    thread = threading.Thread(target=sleeper)
    thread.start()
    time.sleep(0.2)  # let it reach FUTEX_WAIT
    bridge.submit("BTC/USDT", BUY, 1.0, 1.0)
    thread.join(15)
    assert segment.signal_control("consumer_wake") == 1
    assert result["rc"] == 0 and result["seconds"] < 5, result


def _produce(name: str, producer: int, count: int, ready, go) -> None:
    bridge = cwts.Bridge.attach(name, backend="cython")
    ready.set()
    go.wait()
    for i in range(count):
        while True:
            try:
                bridge.submit("BTC/USDT", BUY if i % 2 else SELL, float(i + 1), 1000.0 * producer + i,
                              strategy_id=producer, confidence=i / count, check_engine=False,
                              time_in_force=i % 4)
                break
            except cwts.RingFull:
                time.sleep(0.0005)
    bridge.close()


def test_concurrent_producers(segment):
    producers, count = 4, 200
    context = multiprocessing.get_context("fork")
    ready = [context.Event() for _ in range(producers)]
    go = context.Event()
    processes = [context.Process(target=_produce, args=(segment.name, p, count, ready[p], go)) for p in range(producers)]
    for process in processes:
        process.start()
    for event in ready:
        assert event.wait(30)
    consumer = segment.consumer()
    got = []
    go.set()
    deadline = time.monotonic() + 60
    while len(got) < producers * count and time.monotonic() < deadline:
        signal = consumer.poll()
        if signal is None:
            time.sleep(0)
        else:
            got.append(signal)
    for process in processes:
        process.join(30)
        assert process.exitcode == 0
    got.extend(consumer.drain())
    assert len(got) == producers * count
    assert [s["position"] for s in got] == list(range(producers * count))
    assert len({s["client_order_id"] for s in got}) == producers * count
    pids = {p.pid for p in processes}
    seen = {}
    for s in got:
        p, i = s["strategy_id"], int(s["size"]) - 1
        assert (p, i) not in seen
        seen[(p, i)] = s
        assert s["price"] == 1000.0 * p + i and s["confidence"] == i / count
        assert s["action"] == (1 if i % 2 else 2) and s["time_in_force"] == i % 4
        assert s["producer_pid"] in pids and s["flags"] == 0 and s["target_client_order_id"] == 0
    assert len(seen) == producers * count
    for p in range(producers):  # each producer's signals in its own order, ids increasing
        mine = [seen[(p, i)] for i in range(count)]
        assert [s["position"] for s in mine] == sorted(s["position"] for s in mine)
        assert [s["client_order_id"] for s in mine] == sorted(s["client_order_id"] for s in mine)
        assert len({s["producer_pid"] for s in mine}) == 1
    assert segment.signal_control("tail") == producers * count


GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packages", "shm-layout", "golden")


@pytest.mark.skipif(not os.path.exists(os.path.join(GOLDEN, "segment-v1.bin")), reason="golden image not in this checkout")
def test_golden_signals(name):
    """The golden signals submitted into a copy of the golden image land exactly as golden/segment-v1.json says."""
    import json
    import shutil

    golden = json.load(open(os.path.join(GOLDEN, "segment-v1.json")))
    path = f"/dev/shm/{name}"
    shutil.copyfile(os.path.join(GOLDEN, "segment-v1.bin"), path)
    try:
        with cwts.Bridge.attach(name, backend="cython") as bridge:
            assert bridge.kill_engaged() and not bridge.engine_alive()  # the image's engine is long gone
            ids = []
            for s in golden["signals"]:
                if s["action"] == cwts.SignalAction.CANCEL:
                    ids.append(bridge.cancel(s["target_client_order_id"], s["symbol"], strategy_id=s["strategy_id"],
                                             check_engine=False))
                else:
                    ids.append(bridge.submit(s["symbol"], cwts.SignalAction(s["action"]), s["size"], s["price"],
                                             order_type=s["order_type"], time_in_force=s["time_in_force"],
                                             strategy_id=s["strategy_id"], confidence=s["confidence"], check_engine=False))
        assert ids == [golden["next_client_order_id"] + i for i in range(len(ids))]
        with open(path, "rb") as file:
            image = file.read()
        names = {s["name"]: s["index"] for s in golden["symbols"]}
        for i, want in enumerate(golden["signals"]):
            got = dict(zip(SIGNAL_SLOT_NAMES, struct.unpack_from(SIGNAL_SLOT_FORMAT, image, region_offset("signals", i))))
            assert (got["seq"], got["action"], got["symbol_index"], got["strategy_id"], got["client_order_id"]) == (
                i + 1, want["action"], names[want["symbol"]], want["strategy_id"], ids[i])
            assert got["target_client_order_id"] == want["target_client_order_id"] and got["flags"] == 0
            assert got["producer_pid"] == os.getpid() and got["created_ns"] > 0
            if want["action"] != cwts.SignalAction.CANCEL:
                for key in ("order_type", "time_in_force", "size", "price", "confidence"):
                    assert got[key] == want[key], key
    finally:
        os.unlink(path)
