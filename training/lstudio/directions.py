"""Attribute directions of a latent-image model (training/explore_directions.py, export_vae.py): per emoji
category, the mean encoder latent of its training images minus that of all of them (White 2016), written to
models/<id>/directions.json for the studio's explore panel."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np

from lstudio.emoji_data import load_emoji, split_held_out
from lstudio.export import run_exported

# Categories with fewer images than this give a noisy mean (Noto's "Component": 5 skin-tone swatches).
MIN_IMAGES = 50
BATCH = 256  # images per onnxruntime-node call: ~12 MB of base64 each way
LABELS = {"Smileys & Emotion": "face", "People & Body": "person", "Animals & Nature": "animal", "Food & Drink": "food",
          "Travel & Places": "place", "Activities": "activity", "Objects": "object", "Symbols": "symbol", "Flags": "flag"}


def encode_all(encoder: Path, rgb: np.ndarray) -> np.ndarray:
    """(n, 64, 64, 3) uint8 on white → (n, latent) float32 mu, in the model's [-1, 1] input range."""
    out = []
    for s in range(0, len(rgb), BATCH):
        x = rgb[s:s + BATCH].astype(np.float32).transpose(0, 3, 1, 2) / 127.5 - 1.0  # (b, 3, 64, 64)
        out.append(run_exported(encoder, {"x": np.ascontiguousarray(x)})["mu"])
    return np.concatenate(out)


def directions(mu: np.ndarray, categories: list[str]) -> list[dict]:
    mean_all = mu.mean(axis=0, dtype=np.float64)
    rows = []
    for cat, key in LABELS.items():
        idx = [i for i, c in enumerate(categories) if c == cat]
        if len(idx) < MIN_IMAGES:
            continue
        d = (mu[idx].mean(axis=0, dtype=np.float64) - mean_all).astype("<f4")
        rows.append({"key": key, "label": f"more {key}", "category": cat, "images": len(idx),
                     "norm": round(float(np.linalg.norm(d)), 4), "z": base64.b64encode(d.tobytes()).decode()})
    return rows


def write_directions(model: Path) -> str:
    """Write `model`/directions.json from its exported encoder (export_vae.py calls this too); a line saying what."""
    manifest = json.loads((model / "model.json").read_text())
    rgb, meta = load_emoji(manifest["image"]["height"])
    train, _ = split_held_out(meta)
    mu = encode_all(model / manifest["graphs"]["encoder"]["file"], rgb[train])
    assert mu.shape == (len(train), manifest["latentSize"]), mu.shape
    doc = {"model": manifest["id"], "version": manifest["version"], "images": int(len(train)),
           "how": "mean encoder mu of the category's training images minus that of all (training/explore_directions.py)",
           "directions": directions(mu, [meta[i]["category"] for i in train])}
    (model / "directions.json").write_text(json.dumps(doc, indent=1) + "\n")
    return f"{model}/directions.json: " + ", ".join(f"{d['key']} ({d['images']}, |d| {d['norm']})" for d in doc["directions"])
