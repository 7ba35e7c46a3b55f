"""The latency shape every Python benchmark prints: HDR histogram percentiles, and the curve the plots draw."""

from __future__ import annotations

import math

from hdrh.histogram import HdrHistogram

# Steps per decade of 1/(1-p) on the curve: p = 1 - 10**(-k/STEPS), enough for a smooth line.
CURVE_STEPS_PER_DECADE = 8


def new_histogram() -> HdrHistogram:
    """1 ns .. 100 s at 3 significant digits: wide enough for a stalled round trip."""
    return HdrHistogram(1, 100_000_000_000, 3)


def summary(histogram: HdrHistogram, *, curve: bool = False) -> dict[str, object]:
    """p50/p90/p99/p999/max and count, in the histogram's unit; with `curve`, [percentile, value] points
    from p0 up to the finest percentile the sample count resolves, then the max."""
    count = histogram.get_total_count()
    if count == 0:
        raise ValueError("no samples were recorded: the measurement saw nothing")
    result: dict[str, object] = {
        f"p{str(p).replace('.', '')}": histogram.get_value_at_percentile(p) for p in (50, 90, 99, 99.9)
    }
    result.update({"max": histogram.get_max_value(), "count": count})
    if curve:
        steps = int(math.log10(count) * CURVE_STEPS_PER_DECADE) + 1
        percentiles = (100 * (1 - 10 ** (-k / CURVE_STEPS_PER_DECADE)) for k in range(steps))
        points = [[p, histogram.get_value_at_percentile(p)] for p in percentiles]
        points.append([100.0, histogram.get_max_value()])
        result["curve"] = points
    return result
