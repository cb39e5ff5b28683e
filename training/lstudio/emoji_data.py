"""Emoji images from the npm package `emoji-datasource-google@16.0.0` (Noto emoji, Apache-2.0).

    /usr/bin/python3 -c "import lstudio.emoji_data as e; print(e.load_emoji(64)[0].shape)"

The package is fetched with `npm pack` (the only registry reachable here) into `training/.cache/`,
the 64×64 PNGs are composited onto white (the studio shows emoji on a light tile, and a GAN wastes
capacity learning alpha) and cached as one uint8 array file.
"""
from __future__ import annotations

import io
import json
import subprocess
import tarfile
from pathlib import Path

import numpy as np
from PIL import Image

PACKAGE = "emoji-datasource-google@16.0.0"
CACHE = Path(__file__).resolve().parent.parent / ".cache"
TARBALL = CACHE / "emoji-datasource-google-16.0.0.tgz"


def fetch_tarball() -> Path:
    """Download the npm tarball once (82 MB; we read 21 MB of it)."""
    if TARBALL.exists():
        return TARBALL
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=CACHE, check=True,
                   stdout=subprocess.DEVNULL)
    return TARBALL


def _read_members(size: int) -> tuple[list[str], list[np.ndarray], list[dict]]:
    """Returns (file names, RGBA arrays (size, size, 4) uint8, emoji.json rows in the same order)."""
    names, images = [], []
    with tarfile.open(fetch_tarball(), "r:gz") as tar:
        meta_by_image: dict[str, dict] = {}
        for member in tar:
            if member.name == "package/emoji.json":
                for row in json.load(tar.extractfile(member)):
                    meta_by_image[row["image"]] = row
                    for var in (row.get("skin_variations") or {}).values():
                        meta_by_image[var["image"]] = {**row, "image": var["image"], "base": row["image"]}
            elif member.name.startswith("package/img/google/64/") and member.name.endswith(".png"):
                img = Image.open(io.BytesIO(tar.extractfile(member).read())).convert("RGBA")
                if img.size != (size, size):
                    img = img.resize((size, size), Image.LANCZOS)
                names.append(member.name.rsplit("/", 1)[1])
                images.append(np.asarray(img))
    order = np.argsort(names)
    names = [names[i] for i in order]
    images = [images[i] for i in order]
    metas = [meta_by_image.get(n, {"image": n, "category": "Unknown"}) for n in names]
    return names, images, metas


def load_emoji(size: int = 64) -> tuple[np.ndarray, list[dict]]:
    """(n, size, size, 3) uint8 RGB on white, plus one metadata dict per image (category, base emoji)."""
    cache = CACHE / f"emoji_google_{size}.npz"
    if cache.exists():
        z = np.load(cache, allow_pickle=False)
        return z["rgb"], json.loads(str(z["meta"]))
    names, images, metas = _read_members(size)
    rgba = np.stack(images).astype(np.float32) / 255.0  # (n, s, s, 4)
    alpha = rgba[..., 3:4]
    rgb = rgba[..., :3] * alpha + (1.0 - alpha)  # composite onto white
    rgb8 = np.clip(np.round(rgb * 255.0), 0, 255).astype(np.uint8)
    slim = [{"image": m["image"], "category": m.get("category", "Unknown"),
             "subcategory": m.get("subcategory", ""), "base": m.get("base", m["image"])} for m in metas]
    np.savez(cache, rgb=rgb8, meta=np.array(json.dumps(slim)))
    return rgb8, slim


HELD_FRACTION = 0.1  # of base emoji, with all their skin-tone variants


def summary() -> dict:
    """The data facts a model card states: images, the train / held-out split, base emoji, variants."""
    _, meta = load_emoji(64)
    tr, ho = split_held_out(meta)
    bases = {m["base"] for m in meta}
    return {"images": len(meta), "train": len(tr), "held_out": len(ho), "bases": len(bases),
            "held_bases": len({meta[i]["base"] for i in ho}), "variants": sum(m["base"] != m["image"] for m in meta),
            "held_fraction": HELD_FRACTION}


def split_held_out(meta: list[dict], fraction: float = HELD_FRACTION, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Train/held-out indices split by *base* emoji, so skin-tone variants never straddle the split."""
    bases = sorted({m["base"] for m in meta})
    rng = np.random.default_rng(seed)
    held = set(rng.choice(bases, size=max(1, int(len(bases) * fraction)), replace=False).tolist())
    is_held = np.array([m["base"] in held for m in meta])
    return np.flatnonzero(~is_held), np.flatnonzero(is_held)
