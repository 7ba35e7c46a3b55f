"""python -m cwts.stress_check against segments the test writer fills with the stress pattern."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from cwts.stress_check import check_snapshot, percentiles


def run_check(tmp_path, name, backend, seconds=0.5, symbols=2, *extra):
    # cwd outside python/: `python -m` puts the cwd on sys.path, and the source tree must not shadow the install
    child = subprocess.run(
        [sys.executable, "-m", "cwts.stress_check", "--name", name, "--seconds", str(seconds), "--symbols", str(symbols),
         "--backend", backend, *extra],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    lines = child.stdout.strip().splitlines()
    assert lines, child.stderr
    return child.returncode, json.loads(lines[-1]), child.stderr


def test_consistent_while_writing(make_segment, backend, tmp_path):
    """A writer thread publishes the pattern under the seqlock while the checker reads in another process."""
    segment = make_segment()
    for k in range(2):
        segment.write_stress(k, 1)
    stop = threading.Event()

    def writer():
        n = 1
        while not stop.is_set():
            n += 1
            for k in range(2):
                segment.write_stress(k, n)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        code, result, stderr = run_check(tmp_path, segment.name, backend, 1.0)
    finally:
        stop.set()
        thread.join()
    assert code == 0, (result, stderr)
    assert result["backend"] == backend and result["torn"] == 0 and result["first_torn"] is None
    assert result["reads"] > 0 and result["retries"] >= 0
    latency = result["latency_ns"]
    assert set(latency) == {"p50", "p90", "p99", "p999", "max", "count"}
    assert latency["count"] > 0 and 0 <= latency["p50"] <= latency["p99"] <= latency["max"]


@pytest.mark.parametrize("field", ["bid", "exchange_ts_ns", "bid_depth", "bids"])
def test_field_mismatch_is_torn(make_segment, backend, tmp_path, field):
    segment = make_segment()
    segment.write_stress(0, 7)
    segment.write_stress(1, 9, corrupt=field)
    code, result, _ = run_check(tmp_path, segment.name, backend, 0.3)
    assert code == 1
    assert result["torn"] > 0 and result["reads"] > result["torn"]
    torn = result["first_torn"]
    assert torn["symbol"] == 1 and torn["update_count"] == 9
    assert torn["field"].startswith(field)


def test_odd_seq_left_is_torn(make_segment, backend, tmp_path):
    segment = make_segment()
    segment.write_stress(0, 3)
    segment.write_stress(1, 4)
    segment.begin(1)  # a writer that died inside its update
    code, result, _ = run_check(tmp_path, segment.name, backend, 0.5, 2, "--seqlock-timeout", "0.1")
    assert code == 1
    assert result["torn"] > 0 and "seqlock" in result["first_torn"]["error"]


def test_nothing_published_exits_1(make_segment, backend, tmp_path):
    segment = make_segment()
    segment.write_symbol(0, "STRESS0/USD", update_count=0)
    code, result, _ = run_check(tmp_path, segment.name, backend, 0.2, 1)
    assert code == 1 and result["reads"] == 0 and result["torn"] == 0


def test_missing_segment_exits_2(tmp_path, name):
    child = subprocess.run([sys.executable, "-m", "cwts.stress_check", "--name", name, "--seconds", "0.1",
                            "--attach-timeout", "0.1"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert child.returncode == 2 and "no segment" in child.stderr


def test_help(tmp_path):
    child = subprocess.run([sys.executable, "-m", "cwts.stress_check", "--help"], cwd=tmp_path, capture_output=True,
                           text=True, timeout=60)
    assert child.returncode == 0
    for word in ("--name", "--seconds", "--backend", "--symbols", "stress pattern", "torn"):
        assert word in child.stdout


def test_check_snapshot_and_percentiles_directly(make_segment):
    import cwts

    segment = make_segment()
    segment.write_stress(3, 123)
    with cwts.Bridge.attach(segment.name) as bridge:
        assert check_snapshot(bridge.snapshot_raw(3), 3) is None
        assert check_snapshot(bridge.snapshot_raw(3), 2)["field"] == "bids[0]"  # volumes depend on k
    assert percentiles([]) == {"p50": 0, "p90": 0, "p99": 0, "p999": 0, "max": 0, "count": 0}
    assert percentiles(list(range(1, 1001)))["p50"] == 501
    assert percentiles([5])["max"] == 5
