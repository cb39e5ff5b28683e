"""The text models' held-out score: nats per character on the held-out chapters, state carried across
windows (the model as it is sampled). Used by training (fp32 net), eval_char_lstm.py and the export
(the shipped 8-bit graph's PyTorch twin)."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from .text_batches import encode, streams
from .text_data import CORPORA, split_chapters


@torch.no_grad()
def held_out_nats(net: torch.nn.Module, ids: torch.Tensor, dev="cpu", batch: int = 16, window: int = 200) -> float:
    """Mean nats/char over `ids`. net: (x (b, t), h, c) → (logits (b, t, vocab), h, c), with .vocab and
    .zero_state(b, dev) (CharLSTM or char_lstm_graph.QuantStep)."""
    was_training = net.training
    net.eval()
    s = streams(ids, batch, 0).to(dev)
    h, c = net.zero_state(batch, dev)
    total, count = 0.0, 0
    for t in range(0, s.shape[1] - 1, window):
        x, y = s[:, t:t + window], s[:, t + 1:t + 1 + window]
        x = x[:, : y.shape[1]]
        logits, h, c = net(x, h, c)
        total += F.cross_entropy(logits.reshape(-1, net.vocab), y.reshape(-1), reduction="sum").item()
        count += y.numel()
    net.train(was_training)
    return total / count


def held_out_ids(corpus: str, vocab: list[str]) -> torch.Tensor:
    """The held-out chapters of a corpus (lstudio.text_data's split) as ids."""
    return encode(split_chapters(CORPORA[corpus]())[1], vocab)
