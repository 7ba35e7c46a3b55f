"""The trainer's features against the same hand-computed vectors the engine's builder is checked against."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cwts.features import FEATURE_WINDOWS_V1, FeatureBuilder, FeatureWindows

GOLDEN = json.loads((Path(__file__).resolve().parents[2] / "packages/engine/models/features-golden.json").read_text())


def windows_of(spec: dict[str, Any]) -> FeatureWindows:
    return FeatureWindows(
        returns=tuple(spec["returns"]),
        imbalance_levels=tuple(spec["imbalanceLevels"]),
        volatility_window=spec["volatilityWindow"],
        trade_window=spec["tradeWindow"],
    )


def replay(case: dict[str, Any]) -> tuple[FeatureBuilder, list[list[float] | None]]:
    builder = FeatureBuilder(windows_of(case["windows"]))
    vectors: list[list[float] | None] = []
    for event in case["events"]:
        if "trade" in event:
            builder.on_trade(event["trade"]["side"], event["trade"]["size"])
        if "book" in event:
            vectors.append(builder.on_book(event["book"]["bids"], event["book"]["asks"]))
    return builder, vectors


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: c["name"][:40])
def test_matches_hand_computed_vectors(case: dict[str, Any]) -> None:
    _, vectors = replay(case)
    expected = [e.get("expect") for e in case["events"] if "book" in e]
    assert [v is None for v in vectors] == [e is None for e in expected]
    for got, want in zip(vectors, expected):
        if got is not None:
            assert got == pytest.approx(want, abs=GOLDEN["tolerance"], rel=0)


def test_says_why_a_book_gave_no_vector() -> None:
    builder, _ = replay(GOLDEN["cases"][0])
    assert builder.skipped == {"warming-up": 2, "crossed": 1, "one-sided": 1}
    assert builder.invalid_trades == 2


def test_v1_columns_and_warmup_match_the_engine() -> None:
    assert FEATURE_WINDOWS_V1.names() == [
        "return_1", "return_10", "return_50", "spread", "imbalance_1", "imbalance_5", "imbalance_20", "volatility_50", "trade_flow_50",
    ]
    assert FEATURE_WINDOWS_V1.warmup_updates() == 51


@pytest.mark.parametrize("bad", [{"returns": ()}, {"volatility_window": 0}, {"imbalance_levels": (2.5,)}, {"trade_window": True}])
def test_refuses_windows_the_formulas_cannot_use(bad: dict[str, Any]) -> None:
    spec = {"returns": (1,), "imbalance_levels": (1,), "volatility_window": 1, "trade_window": 1, **bad}
    with pytest.raises(ValueError, match="feature windows"):
        FeatureWindows(**spec)
