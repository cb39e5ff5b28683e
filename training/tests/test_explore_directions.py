"""Attribute directions (training/explore_directions.py): a direction is the category's mean latent minus the
mean of all, and every shipped directions.json belongs to the encoder it ships with (same model version,
the model's latent size), so a re-export without re-running the script fails here instead of giving
sliders that move the wrong way."""
import base64
import json

import numpy as np
import pytest

from lstudio.directions import directions
from tests.helpers import MODELS


def test_a_direction_is_the_category_mean_minus_the_mean_of_all():
    rng = np.random.default_rng(0)
    mu = rng.normal(size=(300, 8)).astype(np.float32)
    cats = ["Food & Drink"] * 100 + ["Flags"] * 150 + ["Component"] * 50
    mu[:100] += 2.0  # the food images sit 2 further along every axis
    rows = {r["key"]: r for r in directions(mu, cats)}
    assert set(rows) == {"food", "flag"}  # "Component" has no label; categories under MIN_IMAGES are skipped
    food = np.frombuffer(base64.b64decode(rows["food"]["z"]), dtype="<f4")
    np.testing.assert_allclose(food, mu[:100].mean(0) - mu.mean(0), atol=1e-5)
    assert rows["food"]["images"] == 100 and rows["food"]["label"] == "more food"


@pytest.mark.parametrize("model_id", sorted(p.parent.name for p in MODELS.glob("*/directions.json")))
def test_shipped_directions_belong_to_their_model(model_id):
    manifest = json.loads((MODELS / model_id / "model.json").read_text())
    doc = json.loads((MODELS / model_id / "directions.json").read_text())
    assert doc["model"] == manifest["id"]
    assert doc["version"] == manifest["version"], "the model was exported again: run training/explore_directions.py"
    assert {d["key"] for d in doc["directions"]} >= {"face", "food", "animal"}
    for d in doc["directions"]:
        z = np.frombuffer(base64.b64decode(d["z"]), dtype="<f4")
        assert z.shape == (manifest["latentSize"],) and np.isfinite(z).all()
        assert abs(float(np.linalg.norm(z)) - d["norm"]) < 1e-3
