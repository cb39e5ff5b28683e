"""Train the binarized-MNIST RBM with persistent contrastive divergence (PCD-k).

    OMP_NUM_THREADS=2 /usr/bin/python3 training/train_rbm.py --out training/runs/rbm --epochs 40

Resumes from `<out>/ckpt.pt` (saved every epoch); `--dry-run` trains 2 batches on random bits. Logs the
held-out reconstruction error per epoch. Then training/eval_rbm.py (pseudo-log-likelihood → metrics.json)
and training/export_rbm.py.
"""
from __future__ import annotations

import argparse

import torch

from lstudio.loop import Run, add_run_args
from lstudio.mnist_data import binary_split
from lstudio.rbm import Rbm, recon_sq_err


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_args(p, out="training/runs/rbm", minutes=600, minutes_help="a cap: the epoch count ends runs")
    p.add_argument("--epochs", type=int, default=40, help="the lr decays linearly to 0 over them")
    p.add_argument("--hidden", type=int, default=500, help="500 hidden units: Hinton's MNIST RBM size")
    p.add_argument("--batch", type=int, default=100, help="Hinton's practical guide: 10-100 per update")
    p.add_argument("--k", type=int, default=1, help="Gibbs steps per update; PCD needs few")
    p.add_argument("--lr", type=float, default=0.01, help="the first epoch's step (decays linearly to 0)")
    p.add_argument("--momentum", type=float, default=0.5, help="0.5 for 5 epochs, then 0.9: the guide's schedule")
    p.add_argument("--weight-decay", type=float, default=1e-4, help="L2 keeps weights small: chains mix")
    a = p.parse_args()
    run = Run(a, max_steps=a.epochs, dry_steps=1, counter="epoch")
    train, held = binary_split(a.dry_run)  # (n, 784), (m, 784) float in {0, 1}
    rbm = Rbm(784, a.hidden)
    with torch.no_grad():  # visible biases at the data's log-odds: Hinton's practical guide
        m = train.mean(0).clamp(1e-3, 1 - 1e-3)
        rbm.b_v.copy_(torch.log(m / (1 - m)))
    run.restore(rbm=rbm)
    ck = run.resumed or {}
    velocity = ck.get("velocity", [torch.zeros_like(t) for t in rbm.parameters()])
    chains = ck.get("chains", torch.bernoulli(torch.full((a.batch, 784), 0.5)))
    epochs = run.max_steps
    while run.running():
        epoch = run.step
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
        run.step += 1
        run.log(epoch=run.step, recon_sq_err=recon_sq_err(rbm, held))
        run.checkpoint(velocity=velocity, chains=chains)
    run.finish()


if __name__ == "__main__":
    main()
