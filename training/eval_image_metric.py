"""The calibrated image metric (issue 15): FID, KID and precision/recall on style-aware features
(lstudio.style_features), for each shipped image model beside reference rows that show the scale.

    OMP_NUM_THREADS=1 /usr/bin/python3 training/eval_image_metric.py [--grids /tmp]

Reference: 1,000 Noto emoji (the images the models learn) from half A of the base emoji (split at random,
skin-tone variants with their base). Rows, each 1,000 images against that reference:
  real_vs_real   1,000 Noto emoji of half B (what a perfect generator scores: the floor)
  twemoji        the same emoji of half B drawn by Twemoji (another style, same content)
  blur_1.0/1.5   half B after a Gaussian blur of σ = 1.0 / 1.5 px
  blobs          1–4 soft random-coloured ellipses on white (lstudio.calibration.coloured_blobs)
  <model id>     1,000 samples z ~ N(0, I) (seed 99, temperature 1, no truncation) from the SHIPPED weights:
                 the ONNX generator/decoder's initializers loaded into its PyTorch twin, checked against the
                 model's golden.json before use.
Writes models/<id>/metric.json (all rows, so each model's figure sits beside the scale) and, with --grids,
a PNG grid of 64 images per row for looking at.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from lstudio.calibration import coloured_blobs, gaussian_blur
from lstudio.dcgan import Generator
from lstudio.emoji_data import load_emoji
from lstudio.export import tensor_from_json
from lstudio.loop import ROOT
from lstudio.onnx_weights import load_state_from_onnx
from lstudio.style_data import load_style
from lstudio.style_features import all_metrics, embed_all, load_style_classifier

N = 1000  # images per row: FID's bias depends on n, so every row uses the same n
MODELS = {"dcgan-emoji": "generator.onnx", "vae-emoji": "decoder.onnx", "vaegan-emoji": "decoder.onnx"}


def to_tensor(rgb: np.ndarray) -> torch.Tensor:
    """(n, 64, 64, 3) uint8 → (n, 3, 64, 64) float in [-1, 1]."""
    return torch.from_numpy(rgb).permute(0, 3, 1, 2).float() / 127.5 - 1


def halves(meta: list[dict], seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Indices of two disjoint halves of the images, split by base emoji; N drawn from each."""
    bases = sorted({m["base"] for m in meta})
    rng = np.random.default_rng(seed)
    a_bases = set(rng.permutation(bases)[: len(bases) // 2].tolist())
    a = np.flatnonzero([m["base"] in a_bases for m in meta])
    b = np.flatnonzero([m["base"] not in a_bases for m in meta])
    return rng.choice(a, N, replace=False), rng.choice(b, N, replace=False)


@torch.no_grad()
def model_samples(model_id: str, n: int = N, seed: int = 99) -> torch.Tensor:
    """n samples (n, 3, 64, 64) in [-1, 1] from the shipped graph's weights in their PyTorch twin."""
    folder = ROOT / "models" / model_id
    state = load_state_from_onnx(folder / MODELS[model_id])
    nz, ngf = state["net.0.weight"].shape[0], state["net.0.weight"].shape[1] // 8
    net = Generator(nz, ngf)
    missing, unexpected = net.load_state_dict(state, strict=False)
    assert not unexpected and all(k.endswith("num_batches_tracked") for k in missing), (missing, unexpected)
    net.eval()
    gold = json.loads((folder / "golden.json").read_text())
    for case in gold["cases"]:  # the twin must be the shipped graph
        z = torch.from_numpy(tensor_from_json(case["inputs"]["z"]))
        assert np.abs(net(z).numpy() - tensor_from_json(case["outputs"]["image"])).max() <= gold["atol"]
    g = torch.Generator().manual_seed(seed)
    return torch.cat([net(torch.randn(200, nz, generator=g)) for _ in range(n // 200)])


def save_grid(x: torch.Tensor, path: Path) -> None:
    """First 64 images of (n, 3, 64, 64) in [-1, 1] as an 8×8 PNG."""
    from PIL import Image
    t = ((x[:64].clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()  # (64, 64, 64, 3)
    grid = t.reshape(8, 8, 64, 64, 3).transpose(0, 2, 1, 3, 4).reshape(512, 512, 3)
    Image.fromarray(grid).save(path)


def checks(rows: dict) -> dict[str, bool]:
    """The calibration rules of issue 15 that numbers can check, on FID and KID alike (the last one, that the
    ordering agrees with the eye, needs the grids)."""
    out = {}
    for key in ("fid", "kid_x1000"):
        v = {k: r[key] for k, r in rows.items()}
        others = [x for k, x in v.items() if k != "real_vs_real"]
        out[f"{key}: real_vs_real < 1/4 of every other row"] = v["real_vs_real"] < 0.25 * min(others)
        out[f"{key}: blur 1.5 worse than blur 1.0"] = v["blur_1.5"] > v["blur_1.0"]
        out[f"{key}: blobs worse than every reference row"] = all(v["blobs"] > v[k] for k in
                                                                  ("real_vs_real", "twemoji", "blur_1.0", "blur_1.5"))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--classifier", type=Path, default=ROOT / "training/runs/style_classifier/style_classifier.pt")
    p.add_argument("--grids", type=Path, help="folder for one 8×8 PNG grid per row")
    p.add_argument("--view", choices=["stats", "logits"], default="stats",
                   help="stats: multi-layer channel statistics (704-d); logits: the 12 category+style logits")
    p.add_argument("--json", type=Path, help="write the whole record here")
    p.add_argument("--write-models", action="store_true",
                   help="also write models/<id>/metric.json (the cards then show it): only once the metric passes"
                        " its checks AND its ordering agrees with the grids")
    a = p.parse_args()
    net = load_style_classifier(a.classifier)
    rgb, meta = load_emoji(64)
    ia, ib = halves(meta)
    real_b = to_tensor(rgb[ib])
    tw_rgb, tw_meta = load_style("twitter")
    tw_index = {m["image"]: i for i, m in enumerate(tw_meta)}
    sets = {
        "real_vs_real": real_b,
        "twemoji": to_tensor(tw_rgb[[tw_index[meta[i]["image"]] for i in ib]]),
        "blur_1.0": gaussian_blur(real_b, 1.0),
        "blur_1.5": gaussian_blur(real_b, 1.5),
        "blobs": coloured_blobs(N, seed=1),
        **{m: model_samples(m) for m in MODELS},
    }
    ref = embed_all(net, to_tensor(rgb[ia]), view=a.view)
    rows = {}
    for name, x in sets.items():
        rows[name] = all_metrics(ref, embed_all(net, x, view=a.view))
        if a.grids:
            save_grid(x, a.grids / f"grid_{name}.png")
    cols = ["fid", "kid_x1000", "kid_x1000_std", "precision", "recall"]
    print(f"{'row':14s}" + "".join(f"{c:>15s}" for c in cols))
    for name, r in rows.items():
        print(f"{name:14s}" + "".join(f"{r[c]:15g}" for c in cols))
    facts = json.loads((a.classifier.parent / "style_classifier.json").read_text())
    record = {"features": "lstudio.style_features: channel means and stds of 4 conv blocks (704-d) of a "
                          "category+style classifier trained on Noto PNG, Twemoji and Noto-font emoji",
              "classifier": {k: facts.get(k) for k in ("held_out_category_accuracy", "held_out_style_accuracy",
                                                       "steps", "minutes", "images", "styles", "init_from")},
              "view": a.view, "n": N, "reference": "1,000 Noto emoji (half A of the base emoji)", "rows": rows,
              "checks": checks(rows)}
    print(json.dumps(record["checks"]))
    if a.json:
        a.json.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    if a.write_models:
        for m in MODELS:
            (ROOT / "models" / m / "metric.json").write_text(json.dumps({"model": m, **record}, indent=2) + "\n")


if __name__ == "__main__":
    main()
