"""Image grids, and the names older scripts import from here (the loop pieces now live in lstudio.loop)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image

from lstudio.loop import Ema, Log, load_checkpoint, pick_device, save_checkpoint, seed_all  # noqa: F401 (aliases)


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
