"""Train the emoji conv VAE.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/train_vae.py --out training/runs/vae --minutes 40

Loss per image = mean squared pixel error + kl_weight · KL / 12288, i.e. a Gaussian decoder with
σ = 0.5 on the [-1, 1] scale (kl_weight = 2σ²): a lower σ (0.15 was tried) reconstructs sharper but
leaves holes in the latent space, and prior samples fall into them as grid-patterned noise.
Resumes from `<out>/ckpt.pt`; `--dry-run` runs 2 steps on random data. Export: training/export_vae.py.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import torch
import torch.nn.functional as F

from lstudio.common import Log, load_checkpoint, pick_device, seed_all
from lstudio.image_batches import emoji_tensors
from lstudio.vae import Decoder, Encoder, kl_divergence, reparameterize, save_vae_run

ROOT = Path(__file__).resolve().parent.parent
NPIX = 3 * 64 * 64


def parse(doc: str, out: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / out)
    p.add_argument("--minutes", type=float, default=40)
    p.add_argument("--max-steps", type=int, default=100_000)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--nz", type=int, default=64, help="64 latent dims: enough for 1.9k base emoji")
    p.add_argument("--width", type=int, default=32, help="encoder/decoder width, as the DCGAN's")
    p.add_argument("--kl-weight", type=float, default=0.5, help="2σ² for σ = 0.5: coherent prior samples (0.045 left holes)")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dry-run", action="store_true")
    return p


def heldout_recon_mse(enc: Encoder, dec: Decoder, held: torch.Tensor) -> float:
    enc.eval(); dec.eval()
    with torch.no_grad():
        mse = F.mse_loss(dec(enc(held)[0]), held).item()  # decode the posterior mean
    enc.train(); dec.train()
    return mse


def main() -> None:
    a = parse(__doc__, "training/runs/vae").parse_args()
    seed_all(a.seed)
    dev = pick_device()
    a.out.mkdir(parents=True, exist_ok=True)
    data, weights, held = emoji_tensors(a.dry_run)
    enc, dec = Encoder(a.nz, a.width).to(dev), Decoder(a.nz, a.width).to(dev)
    opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), a.lr)
    step, elapsed = 0, 0.0
    ck = None if a.dry_run else load_checkpoint(a.out / "ckpt.pt")
    if ck:
        enc.load_state_dict(ck["enc"]); dec.load_state_dict(ck["dec"]); opt.load_state_dict(ck["opt"])
        step, elapsed = ck["step"], ck["elapsed"]
    log = Log(a.out, elapsed)
    end = log.elapsed + a.minutes * 60
    fixed = torch.randn(64, a.nz, generator=torch.Generator().manual_seed(1234))

    def checkpoint() -> None:
        if a.dry_run:
            return
        save_vae_run(a.out, {"enc": enc.state_dict(), "dec": dec.state_dict(), "opt": opt.state_dict(),
                              "elapsed": log.elapsed, "args": vars(a) | {"out": str(a.out)}}, dec, fixed, step)

    while step < (2 if a.dry_run else a.max_steps) and log.elapsed < end:
        x = data[torch.multinomial(weights, a.batch, replacement=True)].to(dev)
        mu, logvar = enc(x)
        rec = dec(reparameterize(mu, logvar))
        mse, kl = F.mse_loss(rec, x), kl_divergence(mu, logvar)
        loss = mse + a.kl_weight * kl / NPIX
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
        step += 1
        if step % 50 == 0 or a.dry_run:
            log(step=step, mse=mse.item(), kl=kl.item())
        if step % 500 == 0:
            log(step=step, heldout_mse=heldout_recon_mse(enc, dec, held.to(dev)))
            checkpoint()
    checkpoint()
    print(f"stopped at step {step}; held-out recon mse {heldout_recon_mse(enc, dec, held.to(dev)):.4f}")


if __name__ == "__main__":
    main()
