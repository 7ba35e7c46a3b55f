"""The shipped model: its contract, its golden outputs under onnxruntime, and the trainer end to end."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import onnx
import onnx.numpy_helper
import onnxruntime
import pytest

from cwts.features import FEATURE_WINDOWS_V1
from cwts.model_training import INPUT_NAME, OUTPUT_NAME, fit_logistic, load_dataset, main

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "packages/engine/models"
GOLDEN = json.loads((MODELS / "mid-direction-v1.golden.json").read_text())


def recipe(out: Path, seed: int, steps: int) -> None:
    subprocess.run(
        ["node", str(ROOT / "scripts/model/simulate-training-data.mjs"), "--seed", str(seed), "--steps", str(steps), "--out", str(out)],
        check=True, capture_output=True, timeout=120,
    )


def test_the_shipped_model_declares_the_engine_feature_set() -> None:
    model = onnx.load(str(MODELS / "mid-direction-v1.onnx"))
    props = {p.key: p.value for p in model.metadata_props}
    assert props["cwts.features"].split(",") == FEATURE_WINDOWS_V1.names() == GOLDEN["features"]
    (graph_input,) = model.graph.input
    assert graph_input.name == INPUT_NAME
    dims = graph_input.type.tensor_type.shape.dim
    assert [d.dim_param or d.dim_value for d in dims] == ["batch", len(FEATURE_WINDOWS_V1.names())]
    assert [o.name for o in model.graph.output] == [OUTPUT_NAME]


def test_onnxruntime_reproduces_the_golden_outputs() -> None:
    session = onnxruntime.InferenceSession(str(MODELS / "mid-direction-v1.onnx"), providers=["CPUExecutionProvider"])
    outputs = session.run([OUTPUT_NAME], {INPUT_NAME: np.asarray(GOLDEN["inputs"], dtype=np.float32)})[0].reshape(-1)
    assert outputs == pytest.approx(GOLDEN["outputs"], abs=GOLDEN["tolerance"])
    assert np.all((outputs >= 0) & (outputs <= 1))


def test_a_wrongly_shaped_input_is_refused_by_the_runtime() -> None:
    session = onnxruntime.InferenceSession(str(MODELS / "mid-direction-v1.onnx"), providers=["CPUExecutionProvider"])
    with pytest.raises(Exception, match="dimension|Dimension|shape"):
        session.run([OUTPUT_NAME], {INPUT_NAME: np.zeros((1, 8), dtype=np.float32)})


def test_logistic_regression_recovers_a_known_direction() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4000, 3)) * [1.0, 5.0, 0.1] + [0.0, 10.0, 0.0]
    truth = np.array([2.0, -0.5, 0.0])
    y = (rng.random(4000) < 1 / (1 + np.exp(-(((x - [0.0, 10.0, 0.0]) / [1.0, 5.0, 0.1]) @ truth)))).astype(float)
    model = fit_logistic(x, y, l2=0.0)
    assert model.weights == pytest.approx(truth, abs=0.15)


@pytest.mark.skipif(shutil.which("node") is None, reason="the data recipe runs the engine's simulated venue in Node")
def test_the_recipe_retrains_a_model_that_beats_the_base_rate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "sim.jsonl.gz"
    recipe(data, 11, 15000)
    dataset = load_dataset(data)
    assert dataset.features.shape[1] == len(FEATURE_WINDOWS_V1.names())
    assert set(np.unique(dataset.labels)) == {0.0, 1.0}
    main(["--data", str(data), "--out", str(tmp_path)])
    figures = json.loads(capsys.readouterr().out)
    assert figures["test_log_loss"] < figures["test_log_loss_base_rate"]
    assert (tmp_path / "mid-direction-v1.onnx").stat().st_size < 4096
    golden = json.loads((tmp_path / "mid-direction-v1.golden.json").read_text())
    assert len(golden["inputs"]) == len(golden["outputs"]) == 51


@pytest.mark.skipif(shutil.which("node") is None, reason="the data recipe runs the engine's simulated venue in Node")
def test_the_data_recipe_gives_one_file_per_seed(tmp_path: Path) -> None:
    recipe(tmp_path / "a.jsonl.gz", 9, 2000)
    recipe(tmp_path / "b.jsonl.gz", 9, 2000)
    recipe(tmp_path / "c.jsonl.gz", 10, 2000)
    assert (tmp_path / "a.jsonl.gz").read_bytes() == (tmp_path / "b.jsonl.gz").read_bytes()
    assert (tmp_path / "a.jsonl.gz").read_bytes() != (tmp_path / "c.jsonl.gz").read_bytes()


@pytest.mark.skipif(shutil.which("node") is None, reason="the data recipe runs the engine's simulated venue in Node")
def test_the_shipped_model_is_what_the_documented_recipe_trains(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    recipe(tmp_path / "sim-7.jsonl.gz", 7, 60000)
    main(["--data", str(tmp_path / "sim-7.jsonl.gz"), "--out", str(tmp_path)])
    capsys.readouterr()
    retrained = {t.name: onnx.numpy_helper.to_array(t) for t in onnx.load(str(tmp_path / "mid-direction-v1.onnx")).graph.initializer}
    shipped = {t.name: onnx.numpy_helper.to_array(t) for t in onnx.load(str(MODELS / "mid-direction-v1.onnx")).graph.initializer}
    assert retrained.keys() == shipped.keys()
    for name, values in shipped.items():
        assert retrained[name] == pytest.approx(values, rel=1e-5, abs=1e-6), name


def test_a_bad_horizon_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="horizon must be >= 1"):
        load_dataset(tmp_path / "unused.jsonl.gz", horizon=0)
