"""Train the emoji conv VAE.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/train_vae.py --out training/runs/vae --minutes 40

Loss per image = mean squared pixel error + kl_weight · KL / 12288, i.e. a Gaussian decoder with
σ = 0.5 on the [-1, 1] scale (kl_weight = 2σ²): a lower σ (0.15 was tried) reconstructs sharper but
leaves holes in the latent space, and prior samples fall into them as grid-patterned noise.
Resumes from `<out>/ckpt.pt`; `--dry-run` runs 2 steps on random data. Then training/eval_images.py vae
and training/export_vae.py.
"""
from __future__ import annotations

import argparse

import torch
import torch.nn.functional as F

from lstudio.common import save_grid
from lstudio.image_batches import emoji_tensors
from lstudio.loop import Run, add_run_args
from lstudio.vae import NPIX, Decoder, Encoder, add_vae_args, heldout_recon_mse, kl_divergence, reparameterize


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a = add_vae_args(add_run_args(p, out="training/runs/vae", minutes=40)).parse_args()
    run = Run(a, max_steps=a.max_steps)
    dev = run.device
    data, weights, held = emoji_tensors(a.dry_run)  # (n, 3, 64, 64) in [-1, 1], per-image weights, held-out
    enc, dec = Encoder(a.nz, a.width).to(dev), Decoder(a.nz, a.width).to(dev)
    opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), a.lr)
    run.restore(enc=enc, dec=dec, opt=opt)
    fixed = torch.randn(64, a.nz, generator=torch.Generator().manual_seed(1234)).to(dev)

    def checkpoint() -> None:
        run.checkpoint()
        dec.eval()
        with torch.no_grad():
            save_grid(dec(fixed), run.out / "samples" / f"step{run.step:06d}.png")
        dec.train()

    while run.running():
        x = data[torch.multinomial(weights, a.batch, replacement=True)].to(dev)
        mu, logvar = enc(x)
        rec = dec(reparameterize(mu, logvar))
        mse, kl = F.mse_loss(rec, x), kl_divergence(mu, logvar)
        loss = mse + a.kl_weight * kl / NPIX
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
        run.step += 1
        if run.every(50):
            run.log(step=run.step, mse=mse.item(), kl=kl.item())
        if run.every(500):
            run.log(step=run.step, heldout_mse=heldout_recon_mse(enc, dec, held.to(dev)))
            checkpoint()
    checkpoint()
    run.finish()


if __name__ == "__main__":
    main()
