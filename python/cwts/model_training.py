"""Trains the shipped model and exports it to ONNX: the data recipe's step 2.

Step 1 (scripts/model/simulate-training-data.mjs) records what the engine's seeded simulated
venue produced. This module replays it through the same features the engine computes
(cwts.features), labels each vector with the direction of the mid `horizon` book updates
later, fits a logistic regression by Newton's method (numpy only: 9 inputs need nothing
more), and writes the ONNX graph: standardize, one linear layer, sigmoid. It also writes
the golden file the engine's inference is checked against: inputs and this process's
onnxruntime outputs.

    python -m cwts.model_training --data build/model-data/sim-7.jsonl.gz --out packages/engine/models

docs/model.md has the model contract and the numbers of the shipped model.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from cwts.features import FEATURE_WINDOWS_V1, FeatureBuilder, FeatureWindows

MODEL_NAME = "mid-direction-v1"
INPUT_NAME = "features"
OUTPUT_NAME = "p_up"
OPSET = 17

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Dataset:
    """Feature vectors in event order, with their labels (1: the mid went up)."""

    features: Matrix
    labels: Matrix
    dropped_flat: int


def load_dataset(path: Path, windows: FeatureWindows = FEATURE_WINDOWS_V1, horizon: int = 20) -> Dataset:
    """Replays a recording through the features; labels each vector by the mid `horizon` valid updates later.

    Vectors whose mid does not move within the horizon are dropped (counted): they say
    nothing about direction, and the engine trades only when the model leans one way.
    """
    if horizon < 1:
        raise ValueError(f"horizon must be >= 1 update, got {horizon}")
    with gzip.open(path, "rt") as lines:
        header = json.loads(next(lines))
        builders = [FeatureBuilder(windows) for _ in header["symbols"]]
        mids: list[list[float]] = [[] for _ in header["symbols"]]
        # (symbol, index into its mids, vector), in event order
        pending: list[tuple[int, int, list[float]]] = []
        for line in lines:
            event = json.loads(line)
            s = event["s"]
            if "t" in event:
                builders[s].on_trade(event["t"], event["q"])
                continue
            bids, asks = event["b"], event["a"]
            vector = builders[s].on_book(bids, asks)
            if bids and asks and bids[0][0] < asks[0][0]:
                mids[s].append((bids[0][0] + asks[0][0]) / 2)
            if vector is not None:
                pending.append((s, len(mids[s]) - 1, vector))
    features: list[list[float]] = []
    labels: list[float] = []
    flat = 0
    for s, i, vector in pending:
        if i + horizon >= len(mids[s]):
            continue
        move = mids[s][i + horizon] - mids[s][i]
        if move == 0:
            flat += 1
            continue
        features.append(vector)
        labels.append(1.0 if move > 0 else 0.0)
    return Dataset(np.asarray(features, dtype=np.float64), np.asarray(labels, dtype=np.float64), flat)


@dataclass(frozen=True)
class LogisticModel:
    """p_up = sigmoid(((x - mean) / scale) . weights + bias)."""

    mean: Matrix
    scale: Matrix
    weights: Matrix
    bias: float

    def predict(self, x: Matrix) -> Matrix:
        """Probability that the mid goes up, per row (float64 reference, not the ONNX graph)."""
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        out: Matrix = 1.0 / (1.0 + np.exp(-z))
        return out


def fit_logistic(x: Matrix, y: Matrix, l2: float = 1e-3, iterations: int = 50) -> LogisticModel:
    """Newton's method (iteratively reweighted least squares) on standardized inputs, with a small ridge."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    theta = np.zeros(z.shape[1])
    ridge = l2 * len(x) * np.eye(z.shape[1])
    ridge[-1, -1] = 0.0  # no penalty on the bias
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(z @ theta)))
        gradient = z.T @ (p - y) + ridge @ theta
        hessian = (z * (p * (1 - p))[:, None]).T @ z + ridge
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return LogisticModel(mean=mean, scale=scale, weights=theta[:-1], bias=float(theta[-1]))


def log_loss(p: Matrix, y: Matrix) -> float:
    """Mean binary cross-entropy, nats."""
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def to_onnx(model: LogisticModel, names: list[str], metadata: dict[str, str]) -> Any:
    """The ONNX graph: Sub(mean), Div(scale), MatMul(weights), Add(bias), Sigmoid; batch dimension free."""
    from onnx import TensorProto, helper, numpy_helper

    n = len(names)
    initializers = [
        numpy_helper.from_array(model.mean.astype(np.float32).reshape(1, n), "mean"),
        numpy_helper.from_array(model.scale.astype(np.float32).reshape(1, n), "scale"),
        numpy_helper.from_array(model.weights.astype(np.float32).reshape(n, 1), "weights"),
        numpy_helper.from_array(np.asarray([model.bias], dtype=np.float32), "bias"),
    ]
    nodes = [
        helper.make_node("Sub", [INPUT_NAME, "mean"], ["centered"]),
        helper.make_node("Div", ["centered", "scale"], ["standardized"]),
        helper.make_node("MatMul", ["standardized", "weights"], ["logit_raw"]),
        helper.make_node("Add", ["logit_raw", "bias"], ["logit"]),
        helper.make_node("Sigmoid", ["logit"], [OUTPUT_NAME]),
    ]
    graph = helper.make_graph(
        nodes,
        MODEL_NAME,
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["batch", n])],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["batch", 1])],
        initializers,
    )
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="cwts.model_training")
    onnx_model.ir_version = 8
    helper.set_model_props(onnx_model, metadata)
    import onnx

    onnx.checker.check_model(onnx_model)
    return onnx_model


def golden_inputs(test: Matrix, rows: int = 48) -> npt.NDArray[np.float32]:
    """Rows the engine's inference must reproduce: spread over the test set, plus zeros and extremes."""
    picks = test[np.linspace(0, len(test) - 1, rows).astype(int)]
    edges = np.stack([np.zeros(test.shape[1]), test.min(axis=0) * 10, test.max(axis=0) * 10])
    return np.vstack([picks, edges]).astype(np.float32)


def main(argv: list[str] | None = None) -> None:
    """Trains on a recording, writes <out>/mid-direction-v1.onnx and its golden file, prints the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="a file written by scripts/model/simulate-training-data.mjs")
    parser.add_argument("--out", type=Path, required=True, help="directory for the .onnx and .golden.json")
    parser.add_argument("--horizon", type=int, default=20, help="label: the mid this many book updates later (default 20)")
    parser.add_argument("--test-share", type=float, default=0.2, help="the last share of the data, held out (default 0.2)")
    args = parser.parse_args(argv)

    data = load_dataset(args.data, horizon=args.horizon)
    cut = int(len(data.features) * (1 - args.test_share))
    x_train, y_train, x_test, y_test = data.features[:cut], data.labels[:cut], data.features[cut:], data.labels[cut:]
    model = fit_logistic(x_train, y_train)
    p_test = model.predict(x_test)
    base = float(y_train.mean())
    figures = {
        "samples": len(data.features),
        "dropped_flat": data.dropped_flat,
        "train": len(x_train),
        "test": len(x_test),
        "test_accuracy": float(np.mean((p_test >= 0.5) == (y_test == 1))),
        "test_log_loss": log_loss(p_test, y_test),
        "test_log_loss_base_rate": log_loss(np.full(len(y_test), base), y_test),
        "test_accuracy_when_p_outside_0.4_0.6": float(np.mean(((p_test >= 0.5) == (y_test == 1))[np.abs(p_test - 0.5) >= 0.1]))
        if np.any(np.abs(p_test - 0.5) >= 0.1)
        else math.nan,
        "test_share_outside_0.4_0.6": float(np.mean(np.abs(p_test - 0.5) >= 0.1)),
    }
    names = FEATURE_WINDOWS_V1.names()
    metadata = {
        "cwts.features": ",".join(names),
        "cwts.output": "p_up: probability that the mid is higher after the horizon",
        "cwts.horizon_updates": str(args.horizon),
        "cwts.data": args.data.name,
        "cwts.figures": json.dumps(figures),
    }
    onnx_model = to_onnx(model, names, metadata)
    args.out.mkdir(parents=True, exist_ok=True)
    model_path = args.out / f"{MODEL_NAME}.onnx"
    model_path.write_bytes(onnx_model.SerializeToString())

    import onnxruntime

    session = onnxruntime.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    inputs = golden_inputs(x_test)
    outputs = session.run([OUTPUT_NAME], {INPUT_NAME: inputs})[0]
    golden = {
        "about": "Inputs and the Python onnxruntime outputs of the model beside this file; the engine's inference worker must give the same outputs (packages/engine/test/model-inference.test.ts, python/tests/test_model.py).",
        "model": model_path.name,
        "onnxruntime": onnxruntime.__version__,
        "tolerance": 1e-6,
        "features": names,
        "inputs": inputs.tolist(),
        "outputs": [float(v) for v in outputs.reshape(-1)],
    }
    (args.out / f"{MODEL_NAME}.golden.json").write_text(json.dumps(golden, indent=1) + "\n")
    print(json.dumps({"model": str(model_path), **figures}, indent=1))


if __name__ == "__main__":
    main()
