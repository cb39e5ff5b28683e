"""Train the emoji DCGAN.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/train_dcgan.py --out training/runs/dcgan --minutes 120

Resumes from `<out>/ckpt.pt` when it exists; `--dry-run` runs 2 steps on random data (CI).
Export afterwards with `training/export_dcgan.py`.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from lstudio.card import run_facts
from lstudio.common import Ema, Log, load_checkpoint, pick_device, save_checkpoint, save_grid, seed_all
from lstudio.dcgan import Discriminator, Generator
from lstudio.diffaug import diff_augment


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=Path("training/runs/dcgan"))
    p.add_argument("--minutes", type=float, default=120, help="wall-clock budget for this invocation")
    p.add_argument("--max-steps", type=int, default=200_000)
    p.add_argument("--batch", type=int, default=64, help="64: DCGAN's default; BN statistics stay stable")
    p.add_argument("--nz", type=int, default=100, help="latent size, as in DCGAN")
    p.add_argument("--ngf", type=int, default=32, help="32 (not 64): 4× fewer MACs, fits 2 CPU cores")
    p.add_argument("--ndf", type=int, default=32)
    p.add_argument("--lr-g", type=float, default=2e-4)
    p.add_argument("--lr-d", type=float, default=2e-4)
    p.add_argument("--ema", type=float, default=0.999, help="generator EMA decay: steadier samples")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto")
    p.add_argument("--dry-run", action="store_true", help="2 steps on random data, no dataset needed")
    return p.parse_args()


def load_data(dry: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """(n, 3, 64, 64) float32 in [-1, 1] training-split emoji (held-out split kept for metrics), and a
    sampling weight per image: 1 / (images sharing its base emoji), so the 5 skin-tone variants of a hand
    count as one emoji and People & Body (60 % of files) does not drown faces, food and objects."""
    if dry:
        return torch.rand(16, 3, 64, 64) * 2 - 1, torch.ones(16)
    from collections import Counter
    from lstudio.emoji_data import load_emoji, split_held_out
    rgb, meta = load_emoji(64)
    train_idx, _ = split_held_out(meta)
    per_base = Counter(meta[i]["base"] for i in train_idx)
    w = torch.tensor([1.0 / per_base[meta[i]["base"]] for i in train_idx])
    x = torch.from_numpy(rgb[train_idx]).permute(0, 3, 1, 2).float() / 127.5 - 1
    return torch.cat([x, x.flip(3)]), torch.cat([w, w])  # flips double the data; emoji read fine mirrored


def main() -> None:
    a = parse()
    seed_all(a.seed)
    dev = pick_device(a.device)
    a.out.mkdir(parents=True, exist_ok=True)
    data, weights = load_data(a.dry_run)
    data = data.to(dev)
    G, D = Generator(a.nz, a.ngf).to(dev), Discriminator(a.ndf).to(dev)
    ema = Ema(G, a.ema)
    # beta1 = 0.5 as in DCGAN: momentum 0.9 makes the adversarial game oscillate
    opt_g = torch.optim.Adam(G.parameters(), a.lr_g, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), a.lr_d, betas=(0.5, 0.999))
    step, elapsed = 0, 0.0
    ck = None if a.dry_run else load_checkpoint(a.out / "ckpt.pt")
    if ck:
        G.load_state_dict(ck["G"]); D.load_state_dict(ck["D"]); ema.model.load_state_dict(ck["ema"])
        opt_g.load_state_dict(ck["opt_g"]); opt_d.load_state_dict(ck["opt_d"])
        step, elapsed = ck["step"], ck["elapsed"]
        torch.set_rng_state(ck["rng"])
        print(f"resumed at step {step}")
    log = Log(a.out, elapsed)
    fixed_z = torch.randn(64, a.nz, generator=torch.Generator().manual_seed(1234)).to(dev)
    budget_end = log.elapsed + a.minutes * 60
    max_steps = 2 if a.dry_run else a.max_steps

    def checkpoint() -> None:
        if a.dry_run:
            return
        save_checkpoint(a.out / "ckpt.pt", {"G": G.state_dict(), "D": D.state_dict(), "ema": ema.model.state_dict(),
                        "opt_g": opt_g.state_dict(), "opt_d": opt_d.state_dict(), "step": step,
                        "elapsed": log.elapsed, **run_facts(), "rng": torch.get_rng_state(), "args": vars(a) | {"out": str(a.out)}})
        with torch.no_grad():
            save_grid(ema.model(fixed_z), a.out / "samples" / f"step{step:06d}.png")

    while step < max_steps and log.elapsed < budget_end:
        real = data[torch.multinomial(weights, a.batch, replacement=True).to(dev)]
        z = torch.randn(a.batch, a.nz, device=dev)
        fake = G(z)
        # hinge loss (Lim & Ye 2017): bounded D outputs pair well with spectral norm
        d_loss = F.relu(1 - D(diff_augment(real))).mean() + F.relu(1 + D(diff_augment(fake.detach()))).mean()
        opt_d.zero_grad(set_to_none=True); d_loss.backward(); opt_d.step()
        g_loss = -D(diff_augment(fake)).mean()
        opt_g.zero_grad(set_to_none=True); g_loss.backward(); opt_g.step()
        ema.update(G, step)
        step += 1
        if step % 50 == 0 or a.dry_run:
            log(step=step, d_loss=d_loss.item(), g_loss=g_loss.item())
        if step % 250 == 0:
            checkpoint()
    checkpoint()
    print(f"stopped at step {step} after {log.elapsed / 60:.1f} min")


if __name__ == "__main__":
    main()
