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

from lstudio.classifier import embed_all, load_classifier
from lstudio.dcgan import load_generator
from lstudio.emoji_data import load_emoji, split_held_out
from lstudio.fid import frechet_distance
from lstudio.loop import ROOT
from lstudio.vae import heldout_recon_mse, load_vae

N_GEN = 2000  # generated images per score (and real training images for the floor): FID is biased at small n


@torch.no_grad()
def generated(family: str, run: Path) -> torch.Tensor:
    """N_GEN samples (n, 3, 64, 64) in [-1, 1] from the run's exported network, seed 99."""
    if family == "gan":
        net, _ = load_generator(run)
    else:
        _, net, _ = load_vae(run)
    g = torch.Generator().manual_seed(99)
    return torch.cat([net(torch.randn(200, net.nz, generator=g)) for _ in range(N_GEN // 200)])


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
    f_held = embed_all(net, x[ho])
    metrics = {
        "fid_classifier": round(frechet_distance(embed_all(net, generated(a.family, a.run)), f_held), 3),
        "fid_real_vs_real": round(frechet_distance(embed_all(net, real_train), f_held), 3),
        "classifier_held_out_accuracy": round(json.loads((a.classifier.parent / "classifier.json").read_text())["held_out_accuracy"], 3),
    }
    if a.family != "gan":
        enc, dec, _ = load_vae(a.run)
        metrics["heldout_recon_mse"] = round(heldout_recon_mse(enc, dec, x[ho]), 4)
    (a.run / "metrics.json").write_text(json.dumps(metrics, indent=2))
    print(json.dumps(metrics))


if __name__ == "__main__":
    main()
