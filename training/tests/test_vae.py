"""VAE and VAE-GAN: the shipped encoder graphs hold their golden pairs, and the VAE-GAN scores better."""
import pytest

from lstudio.export import max_abs_diff, run_exported, tensor_from_json
from tests.helpers import MODELS

import json


@pytest.mark.parametrize("model_id", sorted(p.parent.name for p in MODELS.glob("*/golden-encoder.json")))
def test_encoder_golden_pairs(model_id):
    gold = json.loads((MODELS / model_id / "golden-encoder.json").read_text())
    for case in gold["cases"]:
        inputs = {k: tensor_from_json(v) for k, v in case["inputs"].items()}
        expected = {k: tensor_from_json(v) for k, v in case["outputs"].items()}
        assert max_abs_diff(expected, run_exported(MODELS / model_id / "encoder.onnx", inputs)) <= gold["atol"]


def test_vaegan_beats_vae_on_the_cards_metric():
    """Larsen et al.'s point, on our own numbers: the learned similarity gives better prior samples."""
    from tests.helpers import manifest
    vae, vaegan = manifest("vae-emoji")["metrics"], manifest("vaegan-emoji")["metrics"]
    assert vaegan["fid_classifier"] < vae["fid_classifier"], (vaegan["fid_classifier"], vae["fid_classifier"])
