"""PyTorch reference sampling for the character LSTMs: the card's samples, the golden greedy rollout,
and the eager baseline the benchmark compares the engine against. Batch 1, one step per character."""
from __future__ import annotations

import torch

from .char_lstm import CharLSTM


@torch.no_grad()
def warm_up(net: CharLSTM, ids: list[int]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Feed the prime through the net; → logits after its last char (1, vocab), h, c."""
    h, c = net.zero_state(1)
    logits, h, c = net(torch.tensor([ids]), h, c)
    return logits[:, -1], h, c


@torch.no_grad()
def greedy(net: CharLSTM, vocab: list[str], prime: str, n: int) -> str:
    index = {ch: i for i, ch in enumerate(vocab)}
    logits, h, c = warm_up(net, [index[ch] for ch in prime])
    out = []
    for _ in range(n):
        tok = int(logits.argmax(-1))
        out.append(vocab[tok])
        logits, h, c = net(torch.tensor([[tok]]), h, c)
        logits = logits[:, -1]
    return "".join(out)


@torch.no_grad()
def sample(net: CharLSTM, vocab: list[str], prime: str, n: int, temperature: float = 0.8, seed: int = 0) -> str:
    """Prime + n sampled characters (temperature only)."""
    g = torch.Generator().manual_seed(seed)
    index = {ch: i for i, ch in enumerate(vocab)}
    logits, h, c = warm_up(net, [index[ch] for ch in prime])
    out = []
    for _ in range(n):
        tok = int(torch.multinomial(torch.softmax(logits[0] / temperature, -1), 1, generator=g))
        out.append(vocab[tok])
        logits, h, c = net(torch.tensor([[tok]]), h, c)
        logits = logits[:, -1]
    return prime + "".join(out)
