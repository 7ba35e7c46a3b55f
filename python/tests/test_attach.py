"""Attaching: the identity check of docs/segment.md, in its order, with messages naming both values."""

from __future__ import annotations

import os
import re

import pytest

import cwts
from cwts._layout import LAYOUT_HASH, LAYOUT_VERSION, MAGIC, SEGMENT_SIZE


def test_attach_ok_reports_backend_and_header(segment, backend):
    with cwts.Bridge.attach(segment.name, backend=backend) as bridge:
        assert bridge.backend == backend
        assert bridge.path == f"/dev/shm/{segment.name}"
        h = bridge.header()
        assert (h.magic, h.layout_version, h.layout_hash, h.total_size) == (MAGIC, LAYOUT_VERSION, LAYOUT_HASH, SEGMENT_SIZE)
        assert h.engine_pid == os.getpid()
        assert h.symbol_count == 3
        assert h.flags == cwts.HeaderFlag.ENGINE_ALIVE
        assert h.control_mode is cwts.ControlMode.MANUAL
    assert bridge.closed


def test_auto_prefers_cython(segment):
    with cwts.Bridge.attach(segment.name) as bridge:
        assert bridge.backend == "cython"


def test_segment_is_mode_0600(segment):
    assert os.stat(segment.path).st_mode & 0o777 == 0o600


def test_missing_segment(backend, name):
    with pytest.raises(cwts.SegmentNotFound, match=rf"no segment /dev/shm/{re.escape(name)}: start the engine"):
        cwts.Bridge.attach(name, backend=backend)


def test_wrong_size(make_segment, backend):
    w = make_segment(size=4096)
    with pytest.raises(cwts.SegmentSizeMismatch) as info:
        cwts.Bridge.attach(w.name, backend=backend)
    assert f"is 4096 bytes, layout v{LAYOUT_VERSION} needs {SEGMENT_SIZE}" in str(info.value)
    assert "rebuild" in str(info.value)


def test_empty_object_is_wrong_size(make_segment, backend):
    w = make_segment(size=0)
    with pytest.raises(cwts.SegmentSizeMismatch, match="is 0 bytes"):
        cwts.Bridge.attach(w.name, backend=backend)


def test_wrong_magic(make_segment, backend):
    w = make_segment()
    w.set_header(magic=0x42)
    with pytest.raises(cwts.LayoutMismatch) as info:
        cwts.Bridge.attach(w.name, backend=backend)
    message = str(info.value)
    assert "magic 0x0000000000000042" in message and f"0x{MAGIC:016x}" in message and "not a cwts segment" in message


def test_wrong_version(make_segment, backend):
    w = make_segment()
    w.set_header(layout_version=LAYOUT_VERSION + 1)
    with pytest.raises(cwts.LayoutMismatch) as info:
        cwts.Bridge.attach(w.name, backend=backend)
    message = str(info.value)
    assert f"layout v{LAYOUT_VERSION + 1}" in message and f"this build reads v{LAYOUT_VERSION}" in message
    assert "same checkout" in message


def test_wrong_hash(make_segment, backend):
    w = make_segment()
    w.set_header(layout_hash=0x1234)
    with pytest.raises(cwts.LayoutMismatch) as info:
        cwts.Bridge.attach(w.name, backend=backend)
    message = str(info.value)
    assert "hash 0x0000000000001234" in message and f"hash 0x{LAYOUT_HASH:016x}" in message
    assert "rebuild the reader" in message


def test_magic_is_checked_before_hash(make_segment, backend):
    w = make_segment()
    w.set_header(magic=0, layout_hash=0)
    with pytest.raises(cwts.LayoutMismatch, match="magic"):
        cwts.Bridge.attach(w.name, backend=backend)


@pytest.mark.parametrize("bad", ["", "a/b", "/", "x\0y"])
def test_bad_names(bad, backend):
    with pytest.raises(cwts.CwtsError, match="plain name"):
        cwts.Bridge.attach(bad, backend=backend)


def test_leading_slash_is_accepted(segment, backend):
    with cwts.Bridge.attach("/" + segment.name, backend=backend) as bridge:
        assert bridge.name == segment.name


def test_bad_backend_and_staleness(segment):
    with pytest.raises(ValueError, match="backend"):
        cwts.Bridge.attach(segment.name, backend="rust")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="stale_after"):
        cwts.Bridge.attach(segment.name, stale_after=0)


def test_errors_are_cwts_errors():
    for cls in (cwts.SegmentNotFound, cwts.SegmentSizeMismatch, cwts.LayoutMismatch, cwts.UnknownSymbol, cwts.RingFull,
                cwts.SignalAbandoned, cwts.EngineUnavailable, cwts.KillEngaged, cwts.InvalidSignal, cwts.ReportTimeout):
        assert issubclass(cls, cwts.CwtsError)


def test_closed_bridge_refuses(segment, backend):
    bridge = cwts.Bridge.attach(segment.name, backend=backend)
    bridge.close()
    bridge.close()  # idempotent
    with pytest.raises(cwts.CwtsError, match="closed"):
        bridge.ticker("BTC/USDT")


def test_liveness_and_kill_flag(segment, backend):
    with cwts.Bridge.attach(segment.name, backend=backend, stale_after=3600) as bridge:
        assert bridge.engine_alive() and not bridge.kill_engaged()
        segment.set_flags(cwts.HeaderFlag.ENGINE_ALIVE | cwts.HeaderFlag.KILL_ENGAGED)
        assert bridge.kill_engaged()
        segment.set_flags(0)
        assert not bridge.engine_alive()
    segment.set_flags(cwts.HeaderFlag.ENGINE_ALIVE)
    segment.beat(0)
    with cwts.Bridge.attach(segment.name, backend=backend, stale_after=0.05) as bridge:
        assert not bridge.engine_alive()
        segment.beat()
        assert bridge.engine_alive()
        segment.beat(segment.header("heartbeat_ns") + 10**9)  # not a beat of this clock
        assert not bridge.engine_alive()


def test_pin():
    allowed = sorted(os.sched_getaffinity(0))
    try:
        cwts.pin(allowed[-1])
        assert os.sched_getaffinity(0) == {allowed[-1]}
    finally:
        os.sched_setaffinity(0, allowed)
    with pytest.raises(cwts.CwtsError, match=r"cannot pin to core 100000: this process may run on cores \[0"):
        cwts.pin(100000)


def test_pin_from_the_bridge(segment):
    allowed = sorted(os.sched_getaffinity(0))
    with cwts.Bridge.attach(segment.name) as bridge:
        try:
            bridge.pin(allowed[0])
            assert os.sched_getaffinity(0) == {allowed[0]}
        finally:
            os.sched_setaffinity(0, allowed)
        with pytest.raises(cwts.CwtsError, match="cannot pin to core -1"):
            bridge.pin(-1)
