"""Emoji training batches shared by the image families: train/held-out tensors and per-base weights."""
from __future__ import annotations

from collections import Counter

import torch


def emoji_tensors(dry: bool) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(train (n, 3, 64, 64) in [-1, 1] with flips, weights (n,), held-out (m, 3, 64, 64)).
    Weights give each base emoji equal total weight, so skin-tone variants do not dominate."""
    if dry:
        return torch.rand(16, 3, 64, 64) * 2 - 1, torch.ones(16), torch.rand(8, 3, 64, 64) * 2 - 1
    from lstudio.emoji_data import load_emoji, split_held_out
    rgb, meta = load_emoji(64)
    tr, ho = split_held_out(meta)
    per_base = Counter(meta[i]["base"] for i in tr)
    w = torch.tensor([1.0 / per_base[meta[i]["base"]] for i in tr])
    x = torch.from_numpy(rgb).permute(0, 3, 1, 2).float() / 127.5 - 1
    return torch.cat([x[tr], x[tr].flip(3)]), torch.cat([w, w]), x[ho]
