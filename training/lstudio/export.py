"""One export step for every family: ONNX opset 17 with a dynamic batch axis, eval mode, PyTorch vs
ONNX Runtime parity (max abs diff ≤ 1e-4), golden input/output pairs both pytest and Vitest check,
and the sha256 the studio pins recipes to.

Golden file layout (`golden.json`): {"graph": role, "cases": [{"inputs": {name: T}, "outputs": {name: T}}]}
with T = {"dtype": "float32", "shape": [...], "b64": little-endian bytes}.
"""
from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import torch

OPSET = 17
PARITY_ATOL = 1e-4


def export_onnx(module: torch.nn.Module, example: tuple[torch.Tensor, ...], path: Path,
                input_names: list[str], output_names: list[str], batch_axes: dict[str, int] | None = None) -> None:
    module.eval()  # BN in train mode exports the eval graph anyway; references must match it
    axes = {n: {0: "batch"} for n in input_names + output_names}
    if batch_axes is not None:
        axes = {n: {a: "batch"} for n, a in batch_axes.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(module, example, str(path), opset_version=OPSET, input_names=input_names,
                      output_names=output_names, dynamic_axes=axes, do_constant_folding=False)
    # no constant folding: initializers keep their PyTorch names (bench_torch reads them back); ORT folds at load
    import onnx
    onnx.checker.check_model(onnx.load(str(path)))


def run_exported(path: Path, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Run the graph in ONNX Runtime. Debian has no Python onnxruntime, so we ask onnxruntime-node (the
    runtime the studio ships) through `training/ort_run.mjs`: parity is checked against the real thing."""
    script = Path(__file__).resolve().parent.parent / "ort_run.mjs"
    with tempfile.TemporaryDirectory() as tmp:
        feeds_path = Path(tmp) / "feeds.json"
        feeds_path.write_text(json.dumps({k: tensor_to_json(v) for k, v in feeds.items()}))
        out = subprocess.run(["node", str(script), str(path), str(feeds_path)], check=True,
                             capture_output=True, text=True).stdout
    return {k: tensor_from_json(v) for k, v in json.loads(out).items()}


def tensor_to_json(a: np.ndarray) -> dict:
    a = np.ascontiguousarray(a)
    dtype = {np.float32: "float32", np.float64: "float64", np.int64: "int64", np.int32: "int32", np.uint8: "uint8"}[a.dtype.type]
    return {"dtype": dtype, "shape": list(a.shape), "b64": base64.b64encode(a.astype(a.dtype.newbyteorder("<")).tobytes()).decode()}


def tensor_from_json(t: dict) -> np.ndarray:
    return np.frombuffer(base64.b64decode(t["b64"]), dtype=np.dtype(t["dtype"]).newbyteorder("<")).reshape(t["shape"]).copy()


def write_golden(path: Path, graph: str, cases: list[tuple[dict[str, np.ndarray], dict[str, np.ndarray]]]) -> None:
    doc = {"graph": graph, "atol": PARITY_ATOL, "cases": [
        {"inputs": {k: tensor_to_json(v) for k, v in i.items()}, "outputs": {k: tensor_to_json(v) for k, v in o.items()}}
        for i, o in cases]}
    path.write_text(json.dumps(doc) + "\n")


def max_abs_diff(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> float:
    return max(float(np.abs(a[k].astype(np.float64) - b[k].astype(np.float64)).max()) for k in a)


def files_hash(paths: list[Path]) -> str:
    """sha256 over the ONNX files in order, first 16 hex chars: same as the engine's ModelSummary.hash."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def run_metrics(run: Path) -> dict:
    """The metrics an eval_<family>.py wrote for a run (`<run>/metrics.json`), or none yet."""
    path = run / "metrics.json"
    return json.loads(path.read_text()) if path.exists() else {}
