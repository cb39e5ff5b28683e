"""The shipped emoji DCGAN: trainable (dry run), exported faithfully, documented, small."""
import subprocess
import sys

import numpy as np
import onnx
import pytest
import torch

from lstudio.dcgan import Generator
from lstudio.export import max_abs_diff, run_exported, tensor_from_json
from lstudio.onnx_weights import load_state_from_onnx
from tests.helpers import MODELS, TRAINING, golden, manifest

MODEL = "dcgan-emoji"


def test_train_dry_run(tmp_path):
    r = subprocess.run([sys.executable, str(TRAINING / "train_dcgan.py"), "--dry-run", "--out", str(tmp_path)],
                       capture_output=True, text=True, cwd=TRAINING, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "step=2" in r.stdout


def test_manifest_matches_onnx_graph():
    m = manifest(MODEL)
    g = onnx.load(str(MODELS / MODEL / m["graphs"]["generator"]["file"])).graph
    assert [i.name for i in g.input] == [t["name"] for t in m["graphs"]["generator"]["inputs"]]
    assert [o.name for o in g.output] == [t["name"] for t in m["graphs"]["generator"]["outputs"]]
    assert g.input[0].type.tensor_type.shape.dim[0].dim_param == "batch"  # dynamic batch axis
    assert m["latentSize"] == g.input[0].type.tensor_type.shape.dim[1].dim_value


def _cases():
    return [({k: tensor_from_json(v) for k, v in c["inputs"].items()},
             {k: tensor_from_json(v) for k, v in c["outputs"].items()}) for c in golden(MODEL)["cases"]]


def test_golden_onnx_runtime_matches_pytorch():
    path = MODELS / MODEL / "generator.onnx"
    for inputs, expected in _cases():
        assert max_abs_diff(expected, run_exported(path, inputs)) <= golden(MODEL)["atol"]


def test_pytorch_module_from_shipped_weights_reproduces_golden():
    state = load_state_from_onnx(MODELS / MODEL / "generator.onnx")
    G = Generator(manifest(MODEL)["latentSize"], state["net.0.weight"].shape[1] // 8).eval()
    G.load_state_dict(state)
    for inputs, expected in _cases():
        with torch.no_grad():
            out = G(torch.from_numpy(inputs["z"])).numpy()
        assert np.abs(out - expected["image"]).max() <= golden(MODEL)["atol"]


def test_samples_are_not_blobs():
    """Different latents give clearly different images with real colour and contrast (a collapsed or
    untrained generator fails this)."""
    inputs, expected = _cases()[1]
    img = expected["image"]  # (3, 3, 64, 64) in [-1, 1]
    assert img.shape == (3, 3, 64, 64)
    assert float(np.abs(img[0] - img[1]).mean()) > 0.05
    assert float(img.std()) > 0.2


def test_card_and_size():
    d = MODELS / MODEL
    card = (d / "CARD.md").read_text()
    for section in ("## Data", "## Training", "## Metrics", "Apache-2.0", "train_dcgan.py"):
        assert section in card
    assert (d / "generator.onnx").stat().st_size <= 20e6
    assert "fid_classifier" in manifest(MODEL)["metrics"], "run training/eval_images.py before export"
