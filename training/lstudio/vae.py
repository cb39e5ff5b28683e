"""Convolutional VAE for 64×64 emoji (Kingma & Welling 2014). The decoder is the DCGAN generator
architecture, so VAE, VAE-GAN and GAN differ only in how they are trained."""
import torch
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


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    return mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(q(z|x) || N(0, I)) summed over latent dims, mean over the batch (nats)."""
    return (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)).mean()


def save_vae_run(out, state: dict, dec: Decoder, fixed_z: torch.Tensor, step: int) -> None:
    """Checkpoint a VAE-family run (state holds its modules/optimisers) and a grid of prior samples."""
    from lstudio.card import run_facts
    from lstudio.common import save_checkpoint, save_grid
    save_checkpoint(out / "ckpt.pt", {**state, "step": step, **run_facts()})
    dec.eval()
    with torch.no_grad():
        save_grid(dec(fixed_z), out / "samples" / f"step{step:06d}.png")
    dec.train()
