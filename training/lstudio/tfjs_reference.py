"""Compare the PyTorch InceptionV3 trunk with the tfjs reference fixture written by `port_inception.py --fixture`
(training/tests/fixtures/deepdream/: 3 small photos; per mixed layer and for d loss / d image, the shape,
mean square, max |·| and 256 values at seeded positions).

One tfjs quirk is reproduced, not copied: tfjs-backend-cpu's AvgPool gradient divides by the full 3×3 window
(`avgMultiplier = 1 / (filterHeight * filterWidth)`) while its forward pass, like Keras, divides by the pixels
inside the image. So tfjs's own gradient is off at every pool's border (~5 % of the image gradient on these
small photos). `compare(..., tfjs_avg_grad=True)` makes autograd do the same, to check everything else; the
shipped graph computes the exact gradient (checked against PyTorch autograd, which agrees with finite
differences).
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from lstudio import inception
from lstudio.inception import Trunk, dream_loss


def load_image(path: Path) -> torch.Tensor:
    """PNG → (1, 3, H, W) float32 in [-1, 1], the same arithmetic the fixture fed tfjs."""
    x = np.asarray(Image.open(path).convert("RGB"), np.float32) / np.float32(127.5) - np.float32(1)
    return torch.from_numpy(x).permute(2, 0, 1)[None].contiguous()


@contextmanager
def tfjs_avg_pool_gradient():
    """Forward unchanged; backward of the 'same' average pools divides by 9 everywhere, as tfjs does."""
    exact = F.avg_pool2d

    def pool(x, k, s, p, count_include_pad=True):
        y, full = exact(x, k, s, p, count_include_pad=count_include_pad), exact(x, k, s, p, count_include_pad=True)
        return y.detach() + full - full.detach()
    inception.F.avg_pool2d = pool
    try:
        yield
    finally:
        inception.F.avg_pool2d = exact


def compare(trunk: Trunk, fixture: Path, tfjs_avg_grad: bool = False) -> dict[str, float]:
    """Max relative errors over the fixture: `act` (|torch − tfjs| / max |tfjs| per layer, worst of all),
    `mean_sq` (relative error of each layer's mean square), `loss`, and `grad` (same measure as act)."""
    ref = json.loads((fixture / "tfjs_reference.json").read_text())
    w = torch.tensor(ref["weights"])
    err = {"act": 0.0, "mean_sq": 0.0, "loss": 0.0, "grad": 0.0}
    for im in ref["images"]:
        x = load_image(fixture / im["file"]).requires_grad_(True)
        if tfjs_avg_grad:
            with tfjs_avg_pool_gradient():
                acts = trunk(x)
        else:
            acts = trunk(x)
        loss = dream_loss(acts, w)
        (g,) = torch.autograd.grad(loss, x)
        for a, r in zip(acts, im["layers"]):
            assert list(a.shape) == r["shape"], (im["file"], a.shape, r["shape"])
            err["act"] = max(err["act"], _rel(a, r))
            err["mean_sq"] = max(err["mean_sq"], abs(float((a.double() ** 2).mean()) / r["mean_sq"] - 1))
        err["loss"] = max(err["loss"], abs(float(loss) / im["loss"] - 1))
        err["grad"] = max(err["grad"], _rel(g, im["grad"]))
    return err


def _rel(t: torch.Tensor, r: dict) -> float:
    v = t.detach().reshape(-1)[r["idx"]].double().numpy()
    return float(np.abs(v - np.array(r["val"])).max() / r["max_abs"])
