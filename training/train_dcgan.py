"""Train the emoji DCGAN.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/train_dcgan.py --out training/runs/dcgan --minutes 120

Resumes from `<out>/ckpt.pt` when it exists; `--dry-run` runs 2 steps on random data (CI).
Then `training/eval_images.py gan --run …` (metrics) and `training/export_dcgan.py`.
"""
from __future__ import annotations

import argparse

import torch
import torch.nn.functional as F

from lstudio.common import save_grid
from lstudio.dcgan import Discriminator, Generator
from lstudio.diffaug import diff_augment
from lstudio.image_batches import emoji_tensors
from lstudio.loop import Ema, Run, add_run_args


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_args(p, out="training/runs/dcgan", minutes=120)
    p.add_argument("--max-steps", type=int, default=200_000, help="a cap; the time budget normally ends a run")
    p.add_argument("--batch", type=int, default=64, help="64: DCGAN's default; BN statistics stay stable")
    p.add_argument("--nz", type=int, default=100, help="latent size, as in DCGAN")
    p.add_argument("--ngf", type=int, default=32, help="32 (not 64): 4× fewer MACs, fits 2 CPU cores")
    p.add_argument("--ndf", type=int, default=32, help="D as wide as G, as in DCGAN")
    p.add_argument("--lr-g", type=float, default=2e-4, help="DCGAN's Adam rate")
    p.add_argument("--lr-d", type=float, default=2e-4, help="equal to G's, as in DCGAN")
    p.add_argument("--ema", type=float, default=0.999, help="generator EMA decay: steadier samples")
    return p.parse_args()


def main() -> None:
    a = parse()
    run = Run(a, max_steps=a.max_steps)
    dev = run.device
    # (n, 3, 64, 64) in [-1, 1] training-split emoji with flips, and a sampling weight per image:
    # 1 / (images sharing its base emoji), so skin-tone variants do not drown faces, food and objects
    data, weights, _ = emoji_tensors(a.dry_run)
    data = data.to(dev)
    G, D = Generator(a.nz, a.ngf).to(dev), Discriminator(a.ndf).to(dev)
    ema = Ema(G, a.ema)
    # beta1 = 0.5 as in DCGAN: momentum 0.9 makes the adversarial game oscillate
    opt_g = torch.optim.Adam(G.parameters(), a.lr_g, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), a.lr_d, betas=(0.5, 0.999))
    run.restore(G=G, D=D, ema=ema.model, opt_g=opt_g, opt_d=opt_d)
    fixed_z = torch.randn(64, a.nz, generator=torch.Generator().manual_seed(1234)).to(dev)

    def checkpoint() -> None:
        run.checkpoint()
        with torch.no_grad():
            save_grid(ema.model(fixed_z), run.out / "samples" / f"step{run.step:06d}.png")

    while run.running():
        real = data[torch.multinomial(weights, a.batch, replacement=True).to(dev)]
        z = torch.randn(a.batch, a.nz, device=dev)
        fake = G(z)
        # hinge loss (Lim & Ye 2017): bounded D outputs pair well with spectral norm
        d_loss = F.relu(1 - D(diff_augment(real))).mean() + F.relu(1 + D(diff_augment(fake.detach()))).mean()
        opt_d.zero_grad(set_to_none=True); d_loss.backward(); opt_d.step()
        g_loss = -D(diff_augment(fake)).mean()
        opt_g.zero_grad(set_to_none=True); g_loss.backward(); opt_g.step()
        ema.update(G, run.step)
        run.step += 1
        if run.every(50):
            run.log(step=run.step, d_loss=d_loss.item(), g_loss=g_loss.item())
        if run.every(250):
            checkpoint()
    checkpoint()
    run.finish()


if __name__ == "__main__":
    main()
