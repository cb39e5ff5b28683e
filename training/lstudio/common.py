"""Shared training plumbing: seeding, device choice, checkpoint/resume, EMA, timed logging, image grids."""
from __future__ import annotations

import copy
import json
import os
import random
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image


def seed_all(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def pick_device(name: str = "auto") -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


class Ema:
    """Exponential moving average of a module's weights (Karras et al.): smoother samples from a GAN."""

    def __init__(self, model: torch.nn.Module, decay: float):
        self.decay = decay
        self.model = copy.deepcopy(model).eval()
        for p in self.model.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model: torch.nn.Module, step: int) -> None:
        # warm-up: early on the average would be dominated by the random init
        d = min(self.decay, (1 + step) / (10 + step))
        for e, p in zip(self.model.parameters(), model.parameters()):
            e.mul_(d).add_(p.detach(), alpha=1 - d)
        for e, b in zip(self.model.buffers(), model.buffers()):
            e.copy_(b)


def save_checkpoint(path: Path, state: dict) -> None:
    """Atomic save so a killed run never leaves a half-written checkpoint."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def load_checkpoint(path: Path) -> dict | None:
    return torch.load(path, map_location="cpu") if path.exists() else None


class Log:
    """Appends JSON lines to out/log.jsonl and echoes a short line; `elapsed` counts across resumes."""

    def __init__(self, out: Path, elapsed0: float = 0.0):
        self.file = open(out / "log.jsonl", "a")
        self.t0 = time.time() - elapsed0

    @property
    def elapsed(self) -> float:
        return time.time() - self.t0

    def __call__(self, **row) -> None:
        row = {"t": round(self.elapsed, 1), **row}
        self.file.write(json.dumps(row) + "\n")
        self.file.flush()
        print(" ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()),
              flush=True)


def save_grid(images: torch.Tensor, path: Path, nrow: int = 8) -> None:
    """images: (n, 3, h, w) in [-1, 1] → one PNG grid."""
    x = ((images.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).cpu().numpy()
    n, c, h, w = x.shape
    rows = (n + nrow - 1) // nrow
    grid = np.full((rows * h, nrow * w, 3), 255, np.uint8)
    for i in range(n):
        r, col = divmod(i, nrow)
        grid[r * h:(r + 1) * h, col * w:(col + 1) * w] = x[i].transpose(1, 2, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(grid).save(path)
