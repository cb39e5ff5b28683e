"""Train the emoji VAE-GAN (Larsen et al. 2016, "Autoencoding beyond pixels using a learned similarity metric").

    OMP_NUM_THREADS=2 /usr/bin/python3 training/train_vaegan.py --out training/runs/vaegan --minutes 60

Same encoder/decoder as the VAE; a spectral-norm discriminator D both judges realism and supplies the
reconstruction metric: the encoder minimises KL + feature error (D's 3rd-layer features of x vs x̃), the
decoder feature error + pixel error + the adversarial loss on reconstructions and prior samples, D the
hinge loss. Feature-space error forgives small shifts that pixel MSE punishes with blur: sharper samples.
Resumes from `<out>/ckpt.pt`; `--dry-run` runs 2 steps. Then training/eval_images.py vaegan and
training/export_vae.py --family vaegan.
"""
from __future__ import annotations

import argparse

import torch
import torch.nn.functional as F

from lstudio.common import save_grid
from lstudio.dcgan import Discriminator
from lstudio.image_batches import emoji_tensors
from lstudio.loop import Ema, Run, add_run_args
from lstudio.vae import NPIX, Decoder, Encoder, add_vae_args, heldout_recon_mse, kl_divergence, reparameterize


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_vae_args(add_run_args(p, out="training/runs/vaegan", minutes=60))
    p.add_argument("--adv-weight", type=float, default=0.05, help="adversarial term vs per-pixel mean errors")
    p.add_argument("--feat-weight", type=float, default=0.5, help="γ: relative feature error weight for the decoder")
    p.add_argument("--ema", type=float, default=0.999, help="decoder EMA decay: the adversarial term makes the raw decoder jitter")
    return p.parse_args()


def main() -> None:
    a = parse()
    run = Run(a, max_steps=a.max_steps)
    dev = run.device
    data, weights, held = emoji_tensors(a.dry_run)  # (n, 3, 64, 64) in [-1, 1], per-image weights, held-out
    enc, dec, D = Encoder(a.nz, a.width).to(dev), Decoder(a.nz, a.width).to(dev), Discriminator(a.width).to(dev)
    features = D.net[:6]  # (b, 4·width, 8, 8): Larsen's "l-th layer" similarity
    # β1 = 0.5 as in DCGAN (momentum 0.9 makes the adversarial game oscillate), 0.3× the VAE's rate
    opt_e = torch.optim.Adam(enc.parameters(), a.lr * 0.3, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(dec.parameters(), a.lr * 0.3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), a.lr * 0.3, betas=(0.5, 0.999))
    run.restore(enc=enc, dec=dec, D=D, opt_e=opt_e, opt_g=opt_g, opt_d=opt_d)
    ema = Ema(dec, a.ema)  # sampled and exported instead of the raw decoder; built after resuming: starts from it
    if not run.restore(optional=True, dec_ema=ema.model) and run.resumed:  # a run from before the EMA had none
        ema_from = run.step  # the card says when the average started
    else:
        ema_from = (run.resumed or {}).get("ema_from_step", 0)
    fixed = torch.randn(64, a.nz, generator=torch.Generator().manual_seed(1234)).to(dev)

    def checkpoint() -> None:
        run.checkpoint(ema_from_step=ema_from)
        with torch.no_grad():
            save_grid(ema.model(fixed), run.out / "samples" / f"step{run.step:06d}.png")

    while run.running():
        x = data[torch.multinomial(weights, a.batch, replacement=True)].to(dev)
        mu, logvar = enc(x)
        rec = dec(reparameterize(mu, logvar))
        prior = dec(torch.randn(a.batch, a.nz, device=dev))
        # discriminator: real vs reconstructions and prior samples (hinge)
        d_loss = F.relu(1 - D(x)).mean() + 0.5 * (F.relu(1 + D(rec.detach())).mean() + F.relu(1 + D(prior.detach())).mean())
        opt_d.zero_grad(set_to_none=True); d_loss.backward(); opt_d.step()
        kl, pix = kl_divergence(mu, logvar), F.mse_loss(rec, x)
        f_real = features(x).detach()
        # relative feature error: D's spectral-normed features are tiny in absolute terms
        feat = F.mse_loss(features(rec), f_real) / (f_real.pow(2).mean() + 1e-8)
        adv = -0.5 * (D(rec).mean() + D(prior).mean())
        loss_e = a.kl_weight * kl / NPIX + pix + feat
        loss_g = pix + a.feat_weight * feat + a.adv_weight * adv
        ge = torch.autograd.grad(loss_e, list(enc.parameters()), retain_graph=True)
        gg = torch.autograd.grad(loss_g, list(dec.parameters()))
        for prm, g in zip(enc.parameters(), ge):
            prm.grad = g
        for prm, g in zip(dec.parameters(), gg):
            prm.grad = g
        opt_e.step(); opt_g.step()
        ema.update(dec, run.step)
        D.zero_grad(set_to_none=True)  # the generator pass left gradients on D: not D's update
        run.step += 1
        if run.every(50):
            run.log(step=run.step, d_loss=d_loss.item(), pix=pix.item(), feat=feat.item(), kl=kl.item(), adv=adv.item())
        if run.every(500):
            run.log(step=run.step, heldout_mse=heldout_recon_mse(enc, dec, held.to(dev)))
            checkpoint()
    checkpoint()
    run.finish()


if __name__ == "__main__":
    main()
