"""Image-model metrics for the model cards: FID-style score on our emoji classifier's features.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/eval_images.py gan --run training/runs/dcgan

Writes `<run>/metrics.json` (merged into model.json/CARD.md by the export script). Needs the classifier
from `training/train_classifier.py`. Generated set: 2,000 samples; real set: the held-out emoji (by base);
baseline: 2,000 training emoji vs the same held-out set (what a perfect generator would score).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from lstudio.classifier import EmojiClassifier
from lstudio.emoji_data import load_emoji, split_held_out
from lstudio.fid import frechet_distance

ROOT = Path(__file__).resolve().parent.parent
N_GEN = 2000


def load_classifier(path: Path) -> EmojiClassifier:
    ck = torch.load(path, map_location="cpu")
    net = EmojiClassifier(len(ck["classes"]))
    net.load_state_dict(ck["model"])
    return net.eval()


@torch.no_grad()
def embed(net: EmojiClassifier, x: torch.Tensor) -> np.ndarray:
    """x: (n, 3, 64, 64) in [-1, 1] → (n, d) features, in batches."""
    return torch.cat([net.embed(x[i:i + 256]) for i in range(0, len(x), 256)]).numpy().astype(np.float64)


def generated(family: str, run: Path) -> torch.Tensor:
    if family == "gan":
        from export_dcgan import load_generator
        G, _ = load_generator(run)
        g = torch.Generator().manual_seed(99)
        with torch.no_grad():
            return torch.cat([G(torch.randn(200, G.nz, generator=g)) for _ in range(N_GEN // 200)])
    from export_vae import load
    enc, dec, ck = load(run)
    g = torch.Generator().manual_seed(99)
    with torch.no_grad():
        return torch.cat([dec(torch.randn(200, ck["args"]["nz"], generator=g)) for _ in range(N_GEN // 200)])


def heldout_recon_mse(family: str, run: Path, held: torch.Tensor) -> float | None:
    if family == "gan":
        return None
    from export_vae import load
    enc, dec, _ = load(run)
    with torch.no_grad():
        return float(((dec(enc(held)[0]) - held) ** 2).mean())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("family", choices=["gan", "vae", "vaegan"])
    p.add_argument("--run", type=Path, required=True)
    p.add_argument("--classifier", type=Path, default=ROOT / "training/runs/classifier/classifier.pt")
    a = p.parse_args()
    net = load_classifier(a.classifier)
    rgb, meta = load_emoji(64)
    x = torch.from_numpy(rgb).permute(0, 3, 1, 2).float() / 127.5 - 1
    tr, ho = split_held_out(meta)
    real_train = x[np.random.default_rng(0).choice(tr, N_GEN, replace=False)]
    f_held = embed(net, x[ho])
    metrics = {
        "fid_classifier": round(frechet_distance(embed(net, generated(a.family, a.run)), f_held), 3),
        "fid_real_vs_real": round(frechet_distance(embed(net, real_train), f_held), 3),
        "classifier_held_out_accuracy": round(json.loads((a.classifier.parent / "classifier.json").read_text())["held_out_accuracy"], 3),
    }
    mse = heldout_recon_mse(a.family, a.run, x[ho])
    if mse is not None:
        metrics["heldout_recon_mse"] = round(mse, 4)
    (a.run / "metrics.json").write_text(json.dumps(metrics, indent=2))
    print(json.dumps(metrics))


if __name__ == "__main__":
    main()
