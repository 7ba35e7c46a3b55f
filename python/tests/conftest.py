"""Fixtures: throwaway segments under /dev/shm and the two backends.

The tests exercise the INSTALLED cwts (pip install ./python). `python -m pytest` run from
python/ puts python/ first on sys.path, where the source package has no compiled _shim:
drop it before anything imports cwts (pyproject also sets --import-mode=importlib, so that
pytest itself adds nothing but tests/ via `pythonpath`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_SOURCE = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or os.getcwd()).resolve() != _SOURCE]
for _module in [m for m in sys.modules if m == "cwts" or m.startswith("cwts.")]:
    del sys.modules[_module]

try:
    import cwts
except ImportError as _error:  # pragma: no cover - a setup problem, not a test failure
    raise pytest.UsageError(f"cwts is not installed ({_error}): run `pip install ./python` from the repository root") from None

from segment_writer import SegmentWriter, fresh_name  # noqa: E402

BACKENDS = ("cython", "python")


def pytest_report_header(config: pytest.Config) -> str:
    return f"cwts {cwts.__version__} from {Path(cwts.__file__).parent}"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_segment() -> Iterator[type[SegmentWriter]]:
    """Creates SegmentWriters and unlinks every object they made afterwards."""
    made: list[SegmentWriter] = []

    def make(*args: object, **kwargs: object) -> SegmentWriter:
        writer = SegmentWriter(*args, **kwargs)  # type: ignore[arg-type]
        made.append(writer)
        return writer

    yield make  # type: ignore[misc]
    for writer in made:
        writer.unlink()


@pytest.fixture
def segment(make_segment) -> SegmentWriter:  # type: ignore[no-untyped-def]
    """A valid segment with a live engine and two symbols."""
    w = make_segment()
    w.write_symbol(
        0, "BTC/USDT", bid=64999.5, ask=65000.25, bid_volume=1.25, ask_volume=0.75, last=65000.0, volume_24h=12.5,
        exchange_ts_ns=11, receive_ts_ns=12, publish_ts_ns=13, update_count=17, tick_size=0.25, lot_size=0.001,
        bids=[(64999.5, 1.25), (64999.25, 2.5), (64998.0, 10.0)], asks=[(65000.25, 0.75), (65001.0, 3.0)],
    )
    w.write_symbol(
        1, "ETH/USDT", status=int(cwts.SymbolStatus.ACTIVE | cwts.SymbolStatus.STALE), venue="binance",
        bid=3400.1, ask=3400.2, update_count=1, bids=[(3400.1 - j, 1.0 + j) for j in range(50)],
        asks=[(3400.2 + j, 2.0 + j) for j in range(50)],
    )
    w.write_symbol(2, "OLD/USDT", status=0)  # an inactive slot
    return w


@pytest.fixture
def name() -> str:
    return fresh_name()
