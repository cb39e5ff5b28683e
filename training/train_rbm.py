"""Train the binarized-MNIST RBM with persistent contrastive divergence (PCD-k).

    OMP_NUM_THREADS=2 /usr/bin/python3 training/train_rbm.py --out training/runs/rbm --epochs 40

Resumes from `<out>/ckpt.pt`; `--dry-run` trains 2 batches on random bits. Reports held-out
pseudo-log-likelihood (per image, nats) in `<out>/metrics.json`. Export with `training/export_rbm.py`.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from lstudio.card import run_facts
from lstudio.common import Log, load_checkpoint, save_checkpoint, seed_all
from lstudio.rbm import Rbm

ROOT = Path(__file__).resolve().parent.parent


def pseudo_log_likelihood(rbm: Rbm, v: torch.Tensor) -> float:
    """Exact PLL summed over all 784 pixels (not the usual 1-pixel stochastic estimate): mean over images of
    Σ_i log p(v_i | v_-i) = Σ_i log σ(F(v with i flipped) − F(v))."""
    with torch.no_grad():
        fe = rbm.free_energy(v)
        total = torch.zeros(len(v))
        for i in range(v.shape[1]):
            flipped = v.clone()
            flipped[:, i] = 1 - flipped[:, i]
            total += torch.nn.functional.logsigmoid(rbm.free_energy(flipped) - fe)
        return float(total.mean())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "training/runs/rbm")
    p.add_argument("--epochs", type=int, default=40)
    p.add_argument("--hidden", type=int, default=500, help="500 hidden units: Hinton's MNIST RBM size")
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--k", type=int, default=1, help="Gibbs steps per update; PCD needs few")
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--momentum", type=float, default=0.5)
    p.add_argument("--weight-decay", type=float, default=1e-4, help="L2 keeps weights small: chains mix")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dry-run", action="store_true")
    a = p.parse_args()
    seed_all(a.seed)
    a.out.mkdir(parents=True, exist_ok=True)
    if a.dry_run:
        train, held = torch.randint(0, 2, (200, 784)).float(), torch.randint(0, 2, (20, 784)).float()
    else:
        from lstudio.mnist_data import load_mnist, split
        x, _ = load_mnist()
        tr, ho = split(len(x))
        train, held = torch.from_numpy(x[tr]).float(), torch.from_numpy(x[ho]).float()
    rbm = Rbm(784, a.hidden)
    with torch.no_grad():  # visible biases at the data's log-odds: Hinton's practical guide
        m = train.mean(0).clamp(1e-3, 1 - 1e-3)
        rbm.b_v.copy_(torch.log(m / (1 - m)))
    velocity = [torch.zeros_like(t) for t in rbm.parameters()]
    chains = torch.bernoulli(torch.full((a.batch, 784), 0.5))
    epoch, elapsed = 0, 0.0
    ck = None if a.dry_run else load_checkpoint(a.out / "ckpt.pt")
    if ck:
        rbm.load_state_dict(ck["rbm"]); velocity = ck["velocity"]; chains = ck["chains"]
        epoch, elapsed = ck["epoch"], ck["elapsed"]
    log = Log(a.out, elapsed)
    epochs = 1 if a.dry_run else a.epochs
    while epoch < epochs:
        perm = torch.randperm(len(train))
        nb = 2 if a.dry_run else len(train) // a.batch
        for b in range(nb):
            v0 = train[perm[b * a.batch:(b + 1) * a.batch]]
            with torch.no_grad():
                ph0 = rbm.p_h(v0)
                for _ in range(a.k):  # persistent chains continue where they stopped
                    chains = torch.bernoulli(rbm.p_v(torch.bernoulli(rbm.p_h(chains))))
                phk = rbm.p_h(chains)
                grads = [(v0.t() @ ph0 - chains.t() @ phk) / len(v0), (v0 - chains).mean(0), (ph0 - phk).mean(0)]
                lr = a.lr * (1 - epoch / max(epochs, 1))  # linear decay: PCD needs a shrinking step
                mom = a.momentum if epoch < 5 else 0.9
                for prm, g, vel in zip(rbm.parameters(), grads, velocity):
                    wd = a.weight_decay * prm if prm is rbm.W else 0
                    vel.mul_(mom).add_(lr * (g - wd))
                    prm.add_(vel)
        epoch += 1
        recon = float(((rbm.p_v(rbm.p_h(held)) - held) ** 2).sum(1).mean())
        log(epoch=epoch, recon_sq_err=recon)
        if not a.dry_run:
            save_checkpoint(a.out / "ckpt.pt", {"rbm": rbm.state_dict(), "velocity": velocity, "chains": chains,
                                                "epoch": epoch, "elapsed": log.elapsed, **run_facts(), "args": vars(a) | {"out": str(a.out)}})
    pll = pseudo_log_likelihood(rbm, held[:200] if not a.dry_run else held)
    metrics = {"pseudo_log_likelihood_nats": round(pll, 2), "held_out_recon_sq_err": round(recon, 3),
               "epochs": epoch, "train_minutes": round(log.elapsed / 60, 1)}
    (a.out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    print(json.dumps(metrics))


if __name__ == "__main__":
    main()
