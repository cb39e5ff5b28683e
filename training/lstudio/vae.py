"""Convolutional VAE for 64×64 emoji (Kingma & Welling 2014). The decoder is the DCGAN generator
architecture, so VAE, VAE-GAN and GAN differ only in how they are trained."""
from __future__ import annotations

import argparse
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from lstudio.dcgan import Generator


class Encoder(nn.Module):
    """x (b, 3, 64, 64) in [-1, 1] → (mu, logvar), each (b, nz)."""

    def __init__(self, nz: int = 64, nef: int = 32):
        super().__init__()

        def down(cin: int, cout: int) -> list[nn.Module]:
            return [nn.Conv2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.LeakyReLU(0.2, True)]

        self.net = nn.Sequential(
            nn.Conv2d(3, nef, 4, 2, 1), nn.LeakyReLU(0.2, True),  # (b, nef, 32, 32)
            *down(nef, nef * 2),                                   # (b, 2nef, 16, 16)
            *down(nef * 2, nef * 4),                               # (b, 4nef, 8, 8)
            *down(nef * 4, nef * 8),                               # (b, 8nef, 4, 4)
            nn.Flatten(),
        )
        self.mu = nn.Linear(nef * 8 * 16, nz)
        self.logvar = nn.Linear(nef * 8 * 16, nz)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.net(x)
        return self.mu(h), self.logvar(h).clamp(-10, 10)


Decoder = Generator  # z (b, nz) → (b, 3, 64, 64) in [-1, 1]
NPIX = 3 * 64 * 64  # pixels per image: KL is divided by it to weigh against the per-pixel mean error


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    return mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(q(z|x) || N(0, I)) summed over latent dims, mean over the batch (nats)."""
    return (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)).mean()


def heldout_recon_mse(enc: Encoder, dec: Decoder, held: torch.Tensor) -> float:
    """Mean squared error per pixel (scale [-1, 1]) decoding the posterior mean of held-out images."""
    was = enc.training, dec.training
    enc.eval(); dec.eval()
    with torch.no_grad():
        mse = F.mse_loss(dec(enc(held)[0]), held).item()
    enc.train(was[0]); dec.train(was[1])
    return mse


def add_vae_args(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The hyperparameters the VAE and the VAE-GAN share, each with its reason."""
    p.add_argument("--max-steps", type=int, default=100_000, help="a cap; the time budget normally ends a run")
    p.add_argument("--batch", type=int, default=64, help="as the DCGAN: the families compare like for like")
    p.add_argument("--nz", type=int, default=64, help="64 latent dims: enough for 1.9k base emoji")
    p.add_argument("--width", type=int, default=32, help="encoder/decoder width, as the DCGAN's")
    p.add_argument("--kl-weight", type=float, default=0.5, help="2σ² for σ = 0.5: coherent prior samples (0.045 left holes)")
    p.add_argument("--lr", type=float, default=1e-3, help="Adam's default rate; the VAE-GAN uses 0.3× this for its three nets")
    return p


def load_vae(run: Path) -> tuple[Encoder, Decoder, dict]:
    """A VAE-family run's encoder and decoder (the VAE-GAN's EMA decoder when it has one), eval mode."""
    ck = torch.load(run / "ckpt.pt", map_location="cpu")
    a = ck["args"]
    enc, dec = Encoder(a["nz"], a["width"]), Decoder(a["nz"], a["width"])
    enc.load_state_dict(ck["enc"])
    dec.load_state_dict(ck.get("dec_ema", ck["dec"]))
    return enc.eval(), dec.eval(), ck
