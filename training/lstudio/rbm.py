"""Bernoulli–Bernoulli RBM (Hinton 2002; PCD: Tieleman 2008) and its exportable Gibbs step.

The step takes its randomness as inputs (uniform noise), so the studio seeds sampling from TypeScript
and the same seed gives the same chain in PyTorch and ONNX Runtime.
"""
import torch
from torch import nn


class Rbm(nn.Module):
    def __init__(self, n_visible: int = 784, n_hidden: int = 500):
        super().__init__()
        self.W = nn.Parameter(torch.randn(n_visible, n_hidden) * 0.01)
        self.b_v = nn.Parameter(torch.zeros(n_visible))
        self.b_h = nn.Parameter(torch.zeros(n_hidden))

    def p_h(self, v: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(v @ self.W + self.b_h)  # (b, H)

    def p_v(self, h: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(h @ self.W.t() + self.b_v)  # (b, V)

    def free_energy(self, v: torch.Tensor) -> torch.Tensor:
        """(b, V) → (b,): F(v) = −v·b_v − Σ softplus(v W + b_h)."""
        return -(v @ self.b_v) - torch.nn.functional.softplus(v @ self.W + self.b_h).sum(1)


@torch.no_grad()
def pseudo_log_likelihood(rbm: Rbm, v: torch.Tensor) -> float:
    """Exact PLL summed over all pixels (not the usual 1-pixel stochastic estimate): mean over images of
    Σ_i log p(v_i | v_-i) = Σ_i log σ(F(v with i flipped) − F(v)). v: (b, V) in {0, 1}; nats per image."""
    fe = rbm.free_energy(v)
    total = torch.zeros(len(v))
    for i in range(v.shape[1]):
        flipped = v.clone()
        flipped[:, i] = 1 - flipped[:, i]
        total += torch.nn.functional.logsigmoid(rbm.free_energy(flipped) - fe)
    return float(total.mean())


@torch.no_grad()
def recon_sq_err(rbm: Rbm, v: torch.Tensor) -> float:
    """Squared error of one mean-field v → p(h|v) → p(v|h) reconstruction, summed over pixels, mean per image."""
    return float(((rbm.p_v(rbm.p_h(v)) - v) ** 2).sum(1).mean())


class GibbsStep(nn.Module):
    """One Gibbs sweep v → h ~ p(h|v) → p(v|h) → v' ~ p(v|h), with clamped pixels held fixed.

    Inputs (all float32): v (b, V) in {0,1}; u_h (b, H) and u_v (b, V) uniform [0,1) noise;
    mask (b, V) 1 where a pixel is clamped (inpainting), clamp (b, V) the clamped values.
    Outputs: h (b, H) sample, v_prob (b, V) probabilities (what the studio shows), v_next (b, V) sample.
    """

    def __init__(self, rbm: Rbm):
        super().__init__()
        self.rbm = rbm

    def forward(self, v, u_h, u_v, mask, clamp):
        h = (u_h < self.rbm.p_h(v)).float()
        v_prob = self.rbm.p_v(h)
        v_prob = mask * clamp + (1 - mask) * v_prob
        v_next = (u_v < v_prob).float()
        return h, v_prob, v_next
