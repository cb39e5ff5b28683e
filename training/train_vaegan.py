"""Train the emoji VAE-GAN (Larsen et al. 2016, "Autoencoding beyond pixels using a learned similarity metric").

    OMP_NUM_THREADS=2 /usr/bin/python3 training/train_vaegan.py --out training/runs/vaegan --minutes 60

Same encoder/decoder as the VAE; a spectral-norm discriminator D both judges realism and supplies the
reconstruction metric: the encoder minimises KL + feature error (D's 3rd-layer features of x vs x̃), the
decoder feature error + pixel error + the adversarial loss on reconstructions and prior samples, D the
hinge loss. Feature-space error forgives small shifts that pixel MSE punishes with blur: sharper samples.
Resumes from `<out>/ckpt.pt`; `--dry-run` runs 2 steps. Export: training/export_vae.py --family vaegan.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from lstudio.common import Ema, Log, load_checkpoint, pick_device, seed_all
from lstudio.dcgan import Discriminator
from lstudio.image_batches import emoji_tensors
from lstudio.vae import Decoder, Encoder, kl_divergence, reparameterize, save_vae_run
from train_vae import NPIX, heldout_recon_mse, parse


def main() -> None:
    p = parse(__doc__, "training/runs/vaegan")
    p.add_argument("--adv-weight", type=float, default=0.05, help="adversarial term vs per-pixel mean errors")
    p.add_argument("--feat-weight", type=float, default=0.5, help="γ: relative feature error weight for the decoder")
    p.add_argument("--ema", type=float, default=0.999, help="decoder EMA decay: the adversarial term makes the raw decoder jitter")
    a = p.parse_args()
    seed_all(a.seed)
    dev = pick_device()
    a.out.mkdir(parents=True, exist_ok=True)
    data, weights, held = emoji_tensors(a.dry_run)
    enc, dec, D = Encoder(a.nz, a.width).to(dev), Decoder(a.nz, a.width).to(dev), Discriminator(a.width).to(dev)
    features = D.net[:6]  # (b, 4·width, 8, 8): Larsen's "l-th layer" similarity
    opt_e = torch.optim.Adam(enc.parameters(), a.lr * 0.3, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(dec.parameters(), a.lr * 0.3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), a.lr * 0.3, betas=(0.5, 0.999))
    step, elapsed = 0, 0.0
    ck = None if a.dry_run else load_checkpoint(a.out / "ckpt.pt")
    if ck:
        for m, k in ((enc, "enc"), (dec, "dec"), (D, "D"), (opt_e, "opt_e"), (opt_g, "opt_g"), (opt_d, "opt_d")):
            m.load_state_dict(ck[k])
        step, elapsed = ck["step"], ck["elapsed"]
    ema = Ema(dec, a.ema)  # sampled and exported instead of the raw decoder (runs before EMA: starts from it)
    if ck and "dec_ema" in ck:
        ema.model.load_state_dict(ck["dec_ema"])
    log = Log(a.out, elapsed)
    end = log.elapsed + a.minutes * 60
    fixed = torch.randn(64, a.nz, generator=torch.Generator().manual_seed(1234))

    def checkpoint() -> None:
        if a.dry_run:
            return
        save_vae_run(a.out, {"enc": enc.state_dict(), "dec": dec.state_dict(), "dec_ema": ema.model.state_dict(), "D": D.state_dict(),
                              "opt_e": opt_e.state_dict(), "opt_g": opt_g.state_dict(), "opt_d": opt_d.state_dict(),
                              "elapsed": log.elapsed, "args": vars(a) | {"out": str(a.out)}}, ema.model, fixed, step)

    while step < (2 if a.dry_run else a.max_steps) and log.elapsed < end:
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
        ema.update(dec, step)
        D.zero_grad(set_to_none=True)  # the generator pass left gradients on D: not D's update
        step += 1
        if step % 50 == 0 or a.dry_run:
            log(step=step, d_loss=d_loss.item(), pix=pix.item(), feat=feat.item(), kl=kl.item(), adv=adv.item())
        if step % 500 == 0:
            log(step=step, heldout_mse=heldout_recon_mse(enc, dec, held.to(dev)))
            checkpoint()
    checkpoint()
    print(f"stopped at step {step}; held-out recon mse {heldout_recon_mse(enc, dec, held.to(dev)):.4f}")


if __name__ == "__main__":
    main()
