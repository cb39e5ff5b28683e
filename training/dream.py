"""Reference Deep Dream loop (the classic Keras/TensorFlow recipe) over the InceptionV3 trunk.

    OMP_NUM_THREADS=1 /usr/bin/python3 training/dream.py models/deepdream-inception/photos/chelsea.jpg \\
        --layers mixed3:1,mixed4:0.5 --seed 1 --out /tmp/dream.png

Per octave (smallest first, each `octave_scale` times larger, the last at the photo's size ≤ max_side):
`steps` gradient-ascent steps, each: roll the image by a seeded random (dy, dx) in [−jitter, jitter] (moves
the tile seams and the valid-padding borders every step), cut it into ≤ tile×tile tiles (equal splits, so
no sliver tile is under tile/2), take d loss / d tile for each, roll the gradient back, divide it by its
mean |g| over the whole image, and step `step_size` (image units: [-1, 1]). Between octaves the image is
upscaled and the detail that the downscaled photo lost is added back (photo at this size − the smallest
octave's photo upscaled to it). Octaves whose short side would fall under MIN_OCTAVE_SIDE are skipped.
"""
from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from lstudio.inception import LAYERS, MIN_SIDE, Trunk, dream_loss, trunk_from_onnx
from lstudio.inception_grad import DreamGrad

MIN_OCTAVE_SIDE = 75  # Keras InceptionV3's minimum input; the graph itself accepts ≥ 43
GradFn = Callable[[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]  # (tile, weights) → (loss, grad)


def parse_layers(spec: str) -> torch.Tensor:
    """"mixed3:1,mixed4:0.5" (a bare name means weight 1) → (6,) float32 weights for mixed0..5."""
    w = torch.zeros(len(LAYERS))
    for part in filter(None, (s.strip() for s in spec.split(","))):
        name, _, value = part.partition(":")
        if name not in LAYERS:
            raise ValueError(f"unknown layer {name!r}: use {', '.join(LAYERS)}")
        w[LAYERS.index(name)] = float(value) if value else 1.0
    if not torch.any(w != 0):
        raise ValueError("every layer weight is 0: nothing to dream")
    return w


def autograd_grad(trunk: Trunk) -> GradFn:
    """PyTorch autograd through the trunk: the baseline (bench_torch_dream.py) and the parity reference."""
    with torch.no_grad():
        p = trunk.folded()  # dequantise + fold BatchNorm once, not per step

    def fn(tile: torch.Tensor, weights: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        tile = tile.detach().requires_grad_(True)
        loss = dream_loss(trunk(tile, p), weights)
        (g,) = torch.autograd.grad(loss, tile)
        return loss.detach(), g
    return fn


def handwritten_grad(trunk: Trunk) -> GradFn:
    """The reverse pass that model.onnx computes, run in PyTorch (no autograd)."""
    grad = DreamGrad(trunk).eval()
    with torch.no_grad():
        p = trunk.folded()

    def fn(tile: torch.Tensor, weights: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        with torch.no_grad():
            return grad(tile, weights, p)
    return fn


def resize(x: torch.Tensor, hw: tuple[int, int]) -> torch.Tensor:
    """Bilinear, half-pixel centres, antialiased when shrinking. x (1, 3, h, w)."""
    return F.interpolate(x, size=hw, mode="bilinear", align_corners=False, antialias=True)


def octave_shapes(h: int, w: int, octaves: int, scale: float) -> list[tuple[int, int]]:
    shapes = [(round(h / scale ** i), round(w / scale ** i)) for i in reversed(range(octaves))]
    return [s for s in shapes if min(s) >= MIN_OCTAVE_SIDE] or [(h, w)]


def tiles(n: int, tile: int) -> list[tuple[int, int]]:
    """Split [0, n) into ceil(n / tile) near-equal (start, end) spans."""
    k = math.ceil(n / tile)
    edges = [round(i * n / k) for i in range(k + 1)]
    return list(zip(edges[:-1], edges[1:]))


def step_gradient(x: torch.Tensor, weights: torch.Tensor, grad_fn: GradFn, tile: int, shift: tuple[int, int]) -> tuple[torch.Tensor, float]:
    """d loss / d x over tiles of the rolled image, rolled back. x (1, 3, H, W) → same shape, and Σ tile losses."""
    rolled = torch.roll(x, shift, (2, 3))
    g = torch.zeros_like(x)
    total = 0.0
    for y0, y1 in tiles(x.shape[2], tile):
        for x0, x1 in tiles(x.shape[3], tile):
            loss, gt = grad_fn(rolled[:, :, y0:y1, x0:x1].contiguous(), weights)
            g[:, :, y0:y1, x0:x1] = gt
            total += float(loss)
    return torch.roll(g, (-shift[0], -shift[1]), (2, 3)), total


def dream(photo: np.ndarray, grad_fn: GradFn, weights: torch.Tensor, octaves: int = 4, octave_scale: float = 1.4,
          steps: int = 10, step_size: float = 0.01, jitter: int = 32, tile: int = 512, seed: int = 0,
          on_step: Callable[[int, torch.Tensor, float], None] | None = None) -> np.ndarray:
    """photo (H, W, 3) uint8 (already ≤ max side) → dreamed (H, W, 3) uint8."""
    assert tile >= 2 * MIN_SIDE, "equal splits of a side > tile are ≥ tile / 2, which must stay ≥ MIN_SIDE"
    if min(photo.shape[:2]) < MIN_SIDE:
        raise ValueError(f"the photo is {photo.shape[1]}×{photo.shape[0]}: both sides must be ≥ {MIN_SIDE} px")
    rng = np.random.default_rng(seed)
    original = torch.from_numpy(np.array(photo)).permute(2, 0, 1)[None].float() / 127.5 - 1.0  # (1, 3, H, W) in [-1, 1]
    shapes = octave_shapes(photo.shape[0], photo.shape[1], octaves, octave_scale)
    shrunk = resize(original, shapes[0])
    img, step = shrunk.clone(), 0
    for shape in shapes:
        if img.shape[2:] != shape:
            img = resize(img, shape)
            same_size = resize(original, shape)
            img = img + (same_size - resize(shrunk, shape))  # detail re-injection
            shrunk = same_size
        for _ in range(steps):
            shift = tuple(int(v) for v in rng.integers(-jitter, jitter + 1, size=2))
            g, loss = step_gradient(img, weights, grad_fn, tile, shift)
            img = (img + step_size * g / g.abs().mean().clamp_min(1e-8)).clamp(-1.0, 1.0)
            step += 1
            if on_step is not None:
                on_step(step, img, loss)
    return to_uint8(img)


def to_uint8(x: torch.Tensor) -> np.ndarray:
    return ((x[0].permute(1, 2, 0) + 1.0) * 127.5).round().clamp(0, 255).to(torch.uint8).numpy()


def load_photo(path: Path, max_side: int) -> np.ndarray:
    img = Image.open(path).convert("RGB")
    s = max_side / max(img.size)
    if s < 1:
        img = img.resize((round(img.width * s), round(img.height * s)), Image.LANCZOS)
    return np.asarray(img)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("photo", type=Path)
    p.add_argument("--model", type=Path, default=Path(__file__).resolve().parent.parent / "models/deepdream-inception/model.onnx")
    p.add_argument("--layers", default="mixed3:1,mixed4:0.5")
    p.add_argument("--octaves", type=int, default=4)
    p.add_argument("--octave-scale", type=float, default=1.4)
    p.add_argument("--steps", type=int, default=10, help="per octave")
    p.add_argument("--step-size", type=float, default=0.01)
    p.add_argument("--jitter", type=int, default=32)
    p.add_argument("--tile", type=int, default=512)
    p.add_argument("--max-side", type=int, default=512)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args()
    fn = handwritten_grad(trunk_from_onnx(a.model))

    out = dream(load_photo(a.photo, a.max_side), fn, parse_layers(a.layers), a.octaves, a.octave_scale, a.steps,
                a.step_size, a.jitter, a.tile, a.seed, lambda i, _x, loss: print(f"step {i} loss {loss:.4f}"))
    Image.fromarray(out).save(a.out)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
