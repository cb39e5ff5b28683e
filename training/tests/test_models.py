"""Every shipped model: manifest agrees with its ONNX graphs, golden pairs hold in ONNX Runtime,
card documents data/licence/training/metrics, and the files stay small."""
import pytest

from lstudio.export import max_abs_diff, run_exported, tensor_from_json
from lstudio.manifest import graphs_section, with_graphs
from tests.helpers import MODELS, golden, manifest

MODEL_IDS = sorted(p.parent.name for p in MODELS.glob("*/model.json"))


def test_models_are_shipped():
    assert {"dcgan-emoji", "rbm-mnist", "vae-emoji", "vaegan-emoji"} <= set(MODEL_IDS)


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_manifest_graphs_regenerate_from_onnx(model_id):
    """The shipped `graphs` section is exactly what lstudio.manifest reads from the ONNX files (names,
    dtypes, shapes with symbolic dims), in the key order the writer places it."""
    m = manifest(model_id)
    assert m["id"] == model_id
    regenerated = graphs_section(MODELS / model_id, {role: spec["file"] for role, spec in m["graphs"].items()})
    assert regenerated == m["graphs"]
    without = {k: v for k, v in m.items() if k != "graphs"}
    assert list(with_graphs(without, regenerated)) == list(m)


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_golden_pairs_hold_in_onnx_runtime(model_id):
    gold = golden(model_id)
    path = MODELS / model_id / manifest(model_id)["graphs"][gold["graph"]]["file"]
    for case in gold["cases"]:
        inputs = {k: tensor_from_json(v) for k, v in case["inputs"].items()}
        expected = {k: tensor_from_json(v) for k, v in case["outputs"].items()}
        got = run_exported(path, inputs)
        assert max_abs_diff(expected, {k: got[k] for k in expected}) <= gold["atol"]


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_card_and_size(model_id):
    m = manifest(model_id)
    card = (MODELS / model_id / m["card"]).read_text()
    for section in ("## Data", "## Training", "## Metrics", "/usr/bin/python3 training/"):
        assert section in card, section
    assert m["license"] and m["data"]["license"] and m["metrics"]
    total = sum((MODELS / model_id / g["file"]).stat().st_size for g in m["graphs"].values())
    assert total <= 20e6
