"""The calibrated image metric (issue 15): FID, KID and precision/recall of each shipped image model beside
reference rows that show the scale, and checks that the scale is sane before any figure is trusted.

    OMP_NUM_THREADS=1 /usr/bin/python3 training/eval_image_metric.py --json training/image_metric.json --grids /tmp
    ... --write-models   (models/<id>/metric.json for the cards; refused unless every check passes)

Reference: 1,000 Noto emoji (the images the models learn) from half A of the base emoji (split at random,
skin-tone variants with their base). Rows, each 1,000 images against that reference:
  real_vs_real   1,000 Noto emoji of half B (what a perfect generator scores: the floor)
  twemoji        the same emoji of half B drawn by Twemoji (another style, same content)
  blur_1.0/1.5   half B after a Gaussian blur of σ = 1.0 / 1.5 px
  blobs          1–4 soft random-coloured ellipses on white (lstudio.calibration.coloured_blobs)
  <model id>     1,000 samples z ~ N(0, I) (seed 99, temperature 1, no truncation) from the SHIPPED weights:
                 the ONNX generator/decoder's initializers loaded into its PyTorch twin, checked against the
                 model's golden.json before use.
Features (--view): "inception" (default, lstudio.metric_features): the ImageNet InceptionV3 trunk we ship for
Deep Dream, mixed5's channel means at 128 px, after the same low-pass (--low-pass σ px) on every set, the
reference included; "stats"/"logits": the style classifier of train_style_classifier.py (IMAGE_METRIC.md).
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
from lstudio.export import files_hash, tensor_from_json
from lstudio.loop import ROOT
from lstudio.onnx_weights import load_state_from_onnx
from lstudio.style_data import load_style
from lstudio.style_features import all_metrics, embed_all, load_style_classifier

LOW_PASS = 2.0  # σ px: the smallest of 0, 1, 2 under which every check passes (IMAGE_METRIC.md)
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


# How the grids rank the rows by eye (judged from --grids, issue 15): a σ = 1.5 blur of real emoji still reads
# as emoji, the DCGAN's coloured shapes rarely do, and the VAE / VAE-GAN smudges never do. A metric that
# orders these pairs the other way is not the metric.
EYE = [("blur_1.5", "dcgan-emoji"), ("dcgan-emoji", "vae-emoji"), ("dcgan-emoji", "vaegan-emoji")]


def checks(rows: dict) -> dict[str, bool]:
    """The calibration rules (issue 15), on FID and KID alike: real-vs-real best of all rows, blurs ordered
    (real < σ = 1.0 < σ = 1.5), blobs worst of the reference rows, and the pairs the eye ranks (EYE) in the
    eye's order."""
    out = {}
    for key in ("fid", "kid_x1000"):
        v = {k: r[key] for k, r in rows.items()}
        others = [x for k, x in v.items() if k != "real_vs_real"]
        out[f"{key}: real_vs_real best of all rows"] = v["real_vs_real"] < min(others)
        out[f"{key}: blur 1.0 worse than real, blur 1.5 worse than blur 1.0"] = v["real_vs_real"] < v["blur_1.0"] < v["blur_1.5"]
        out[f"{key}: blobs worse than every reference row"] = all(v["blobs"] > v[k] for k in
                                                                  ("real_vs_real", "twemoji", "blur_1.0", "blur_1.5"))
        for better, worse in EYE:
            if better in v and worse in v:
                out[f"{key}: {better} better than {worse} (as the grids look)"] = v[better] < v[worse]
    return out


def features(a: argparse.Namespace):
    """(embed: images → (n, d) float64 features, what the record says of them) for --view."""
    if a.view == "inception":
        from lstudio.metric_features import load_trunk, mixed5_means
        trunk = load_trunk(ROOT / "models/deepdream-inception/model.onnx")
        return (lambda x: mixed5_means(trunk, x, low_pass=a.low_pass)), {
            "features": f"lstudio.metric_features: ImageNet InceptionV3 (the deepdream-inception trunk) mixed5 channel "
                        f"means (768-d) at 128 px, every set low-passed by a σ = {a.low_pass} px Gaussian first",
            "low_pass": a.low_pass}
    net = load_style_classifier(a.classifier)
    facts = json.loads((a.classifier.parent / "style_classifier.json").read_text())
    return (lambda x: embed_all(net, x, view=a.view)), {
        "features": "lstudio.style_features: channel means and stds of 4 conv blocks (704-d) of a category+style"
                    " classifier trained on Noto PNG, Twemoji and Noto-font emoji",
        "classifier": {k: facts.get(k) for k in ("held_out_category_accuracy", "held_out_style_accuracy",
                                                 "steps", "minutes", "images", "styles", "init_from")}}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--view", choices=["inception", "stats", "logits"], default="inception",
                   help="inception: ImageNet mixed5 means; stats / logits: the style classifier's (needs --classifier)")
    p.add_argument("--low-pass", type=float, default=LOW_PASS, help="inception view: σ px blur on every set first")
    p.add_argument("--classifier", type=Path, default=ROOT / "training/runs/style_classifier/style_classifier.pt")
    p.add_argument("--grids", type=Path, help="folder for one 8×8 PNG grid per row")
    p.add_argument("--json", type=Path, help="write the whole record here")
    p.add_argument("--write-models", action="store_true",
                   help="also write models/<id>/metric.json (the cards then show it); refused unless every check passes")
    a = p.parse_args()
    embed, about = features(a)
    rgb, meta = load_emoji(64)
    ia, ib = halves(meta)
    real_b = to_tensor(rgb[ib])
    tw_rgb, tw_meta = load_style("twitter")
    tw_index = {m["image"]: i for i, m in enumerate(tw_meta)}
    sets = {
        "real_vs_real": lambda: real_b,
        "twemoji": lambda: to_tensor(tw_rgb[[tw_index[meta[i]["image"]] for i in ib]]),
        "blur_1.0": lambda: gaussian_blur(real_b, 1.0),
        "blur_1.5": lambda: gaussian_blur(real_b, 1.5),
        "blobs": lambda: coloured_blobs(N, seed=1),
        **{m: (lambda m=m: model_samples(m)) for m in MODELS},
    }
    ref = embed(to_tensor(rgb[ia]))
    scale = 1 / np.sqrt((ref ** 2).mean())  # unit RMS on the reference: KID's cubic kernel assumes features ~1
    ref *= scale
    rows = {}
    for name, make in sets.items():
        x = make()
        rows[name] = all_metrics(ref, embed(x) * scale)
        print(name, rows[name], flush=True)
        if a.grids:
            save_grid(x, a.grids / f"grid_{name}.png")
    record = {**about, "view": a.view, "n": N, "reference": "1,000 Noto emoji (half A of the base emoji)",
              "weights": {m: {"file": f, "sha256": files_hash([ROOT / "models" / m / f])} for m, f in MODELS.items()},
              "rows": rows, "checks": checks(rows)}
    print(json.dumps(record["checks"], indent=1))
    if a.json:
        a.json.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    if a.write_models:
        failed = [k for k, ok in record["checks"].items() if not ok]
        if failed:
            raise SystemExit(f"not writing models/<id>/metric.json: checks failed: {failed}")
        for m in MODELS:
            (ROOT / "models" / m / "metric.json").write_text(json.dumps({"model": m, **record}, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
