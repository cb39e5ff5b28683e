"""The shipped emoji DCGAN: exported faithfully, its samples varied, its card beside a real baseline."""
import numpy as np
import torch

from lstudio.dcgan import Generator
from lstudio.export import tensor_from_json
from lstudio.onnx_weights import load_state_from_onnx
from tests.helpers import MODELS, golden, manifest

MODEL = "dcgan-emoji"


def _cases():
    return [({k: tensor_from_json(v) for k, v in c["inputs"].items()},
             {k: tensor_from_json(v) for k, v in c["outputs"].items()}) for c in golden(MODEL)["cases"]]


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


def test_card_reports_fid_beside_real_baseline():
    metrics = manifest(MODEL)["metrics"]
    assert metrics["fid_classifier"] > metrics["fid_real_vs_real"] > 0
    assert "fid_classifier" in (MODELS / MODEL / "CARD.md").read_text()
