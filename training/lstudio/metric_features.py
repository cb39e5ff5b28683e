"""ImageNet InceptionV3 features for the calibrated image metric (issue 15, item 1).

FID and KID were defined on an ImageNet Inception's pooled features: a network that has seen a million
photos answers to what is drawn (an eye, a face, a flag), where the style classifier we trained on emoji for
a few CPU minutes (lstudio.style_features) learned palette and sharpness first and ranked the DCGAN's
shapeless samples ahead of blurred real emoji. We ship that ImageNet trunk up to mixed5 (the Deep Dream
model; lstudio.inception: stem … mixed5, the blocks nsfwjs left frozen), so the metric needs no training:

    x (b, 3, 64, 64) in [-1, 1] → Gaussian low-pass σ (the same on every set) → bilinear to (b, 3, 128, 128)
    → mixed5 (b, 768, 6, 6) → channel means (b, 768)

Why the low-pass: ImageNet networks weigh texture over shape (Geirhos et al. 2019), so with no filter a
σ = 1.5 blur of real emoji (plainly emoji to the eye) scored worse than the DCGAN's textured shapes (which
rarely read as emoji). Filtering every set alike, the reference included, favours no row; it shifts the
weight to what is drawn, and a blurred row is still blurred more than the reference (σ² adds up), so the
blurs stay ordered. IMAGE_METRIC.md has the rows with and without it.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from lstudio.calibration import gaussian_blur
from lstudio.inception import trunk_from_onnx

SIDE = 128  # 64-px emoji upsampled 2×: mixed5 is 6×6 (299 px, FID's usual size, costs 5× on one CPU thread)


def load_trunk(path) -> torch.nn.Module:
    return trunk_from_onnx(path).eval()


@torch.no_grad()
def mixed5_means(trunk, x: torch.Tensor, low_pass: float = 0.0, side: int = SIDE, batch: int = 100) -> np.ndarray:
    """x (n, 3, 64, 64) in [-1, 1] → (n, 768) float64: mixed5's channel means after the low-pass."""
    p = trunk.folded()  # BatchNorm folded once, not per batch
    out = []
    for i in range(0, len(x), batch):
        y = x[i:i + batch]
        if low_pass > 0:
            y = gaussian_blur(y, low_pass)
        y = F.interpolate(y, size=(side, side), mode="bilinear", align_corners=False)
        out.append(trunk(y, p)[-1].mean((2, 3)))  # (b, 768)
    return torch.cat(out).numpy().astype(np.float64)
