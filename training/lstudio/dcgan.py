"""DCGAN (Radford et al. 2015) sized for 64×64 emoji on 2 CPU cores.

Generator: z (b, nz) → (b, 3, 64, 64) in [-1, 1]. Discriminator with spectral norm (Miyato et al. 2018)
instead of BatchNorm: it keeps D Lipschitz on tiny data, where BN-in-D GANs collapse.
"""
import torch
from torch import nn
from torch.nn.utils import spectral_norm


class Generator(nn.Module):
    def __init__(self, nz: int = 100, ngf: int = 32):
        super().__init__()
        self.nz = nz

        def up(cin: int, cout: int) -> list[nn.Module]:
            return [nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(True)]

        self.net = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
            *up(ngf * 8, ngf * 4),  # (b, ngf*4, 8, 8)
            *up(ngf * 4, ngf * 2),  # (b, ngf*2, 16, 16)
            *up(ngf * 2, ngf),      # (b, ngf, 32, 32)
            nn.ConvTranspose2d(ngf, 3, 4, 2, 1), nn.Tanh(),  # (b, 3, 64, 64)
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        # z: (b, nz) float32 ~ N(0, 1)
        return self.net(z.view(z.shape[0], self.nz, 1, 1))


class Discriminator(nn.Module):
    def __init__(self, ndf: int = 32):
        super().__init__()

        def down(cin: int, cout: int) -> list[nn.Module]:
            return [spectral_norm(nn.Conv2d(cin, cout, 4, 2, 1)), nn.LeakyReLU(0.2, True)]

        self.net = nn.Sequential(
            *down(3, ndf),            # (b, ndf, 32, 32)
            *down(ndf, ndf * 2),      # (b, ndf*2, 16, 16)
            *down(ndf * 2, ndf * 4),  # (b, ndf*4, 8, 8)
            *down(ndf * 4, ndf * 8),  # (b, ndf*8, 4, 4)
            spectral_norm(nn.Conv2d(ndf * 8, 1, 4, 1, 0)),  # (b, 1, 1, 1) logit
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).view(-1)


def load_generator(run) -> tuple[Generator, dict]:
    """A DCGAN run's EMA generator (what is exported and scored), eval mode, and its checkpoint."""
    ck = torch.load(run / "ckpt.pt", map_location="cpu")
    a = ck["args"]
    G = Generator(a["nz"], a["ngf"])
    G.load_state_dict(ck["ema"])
    return G.eval(), ck
