"""Character ids for the LSTMs: text → ids, and ids → parallel contiguous streams (char-rnn's batching)."""
from __future__ import annotations

import torch


def encode(text: str, vocab: list[str]) -> torch.Tensor:
    """(len(text),) int64 ids; every character must be in vocab."""
    index = {ch: i for i, ch in enumerate(vocab)}
    return torch.tensor([index[ch] for ch in text], dtype=torch.long)


def streams(ids: torch.Tensor, batch: int, offset: int) -> torch.Tensor:
    """(n,) → (batch, n // batch): row r is a contiguous slice; `offset` rotates the cut points each epoch."""
    ids = torch.roll(ids, -offset)
    n = len(ids) // batch
    return ids[: n * batch].view(batch, n)
