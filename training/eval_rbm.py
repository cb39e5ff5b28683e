"""RBM metrics for the model card: held-out pseudo-log-likelihood and reconstruction error.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/eval_rbm.py --run training/runs/rbm

Scores the run's checkpoint on the held-out digits (the split training never saw: lstudio.mnist_data):
`pseudo_log_likelihood_nats` exact over all 784 pixels of the first 200 held-out images (each costs 785
free energies), `held_out_recon_sq_err` over all of them. Writes `<run>/metrics.json` (merged into
model.json and CARD.md by training/export_rbm.py) and prints it. `--dry-run`: a random RBM on random bits.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

from lstudio.loop import ROOT
from lstudio.mnist_data import binary_split
from lstudio.rbm import Rbm, pseudo_log_likelihood, recon_sq_err

PLL_IMAGES = 200  # exact PLL is 785 free energies per image: 200 keep it under a minute


def rbm_metrics(rbm: Rbm, held: torch.Tensor) -> dict:
    return {"pseudo_log_likelihood_nats": round(pseudo_log_likelihood(rbm, held[:PLL_IMAGES]), 2),
            "held_out_recon_sq_err": round(recon_sq_err(rbm, held), 3)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", type=Path, default=ROOT / "training/runs/rbm")
    p.add_argument("--dry-run", action="store_true", help="random weights and bits, nothing written")
    a = p.parse_args()
    _, held = binary_split(a.dry_run)
    ck = None if a.dry_run else torch.load(a.run / "ckpt.pt", map_location="cpu")
    rbm = Rbm(784, ck["args"]["hidden"] if ck else 500)
    if ck:
        rbm.load_state_dict(ck["rbm"])
    metrics = rbm_metrics(rbm, held)
    if not a.dry_run:
        (a.run / "metrics.json").write_text(json.dumps(metrics, indent=2))
    print(json.dumps(metrics))


if __name__ == "__main__":
    main()
