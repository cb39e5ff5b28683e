"""Character-level LSTM (Karpathy's char-rnn): embedding → stacked LSTM → logits over the vocabulary.

The exported graph is one step with explicit state, so the engine can sample, branch and batch drafts:
    token (b,) int64, h (layers, b, hidden), c (layers, b, hidden) → logits (b, vocab), h_out, c_out
"""
from __future__ import annotations

import torch
from torch import nn


class CharLSTM(nn.Module):
    def __init__(self, vocab: int, hidden: int = 512, layers: int = 2, embed: int = 64, dropout: float = 0.1):
        super().__init__()
        self.vocab, self.hidden, self.layers = vocab, hidden, layers
        self.embed = nn.Embedding(vocab, embed)  # 64 dims: plenty for ~80 symbols, cheaper than one-hot
        self.lstm = nn.LSTM(embed, hidden, layers, batch_first=True, dropout=dropout)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, vocab)

    def zero_state(self, b: int, device=None) -> tuple[torch.Tensor, torch.Tensor]:
        z = torch.zeros(self.layers, b, self.hidden, device=device)
        return z, z.clone()

    def forward(self, x: torch.Tensor, h: torch.Tensor, c: torch.Tensor):
        """x: (b, t) int64 → logits (b, t, vocab), h, c: (layers, b, hidden)."""
        y, (h, c) = self.lstm(self.embed(x), (h, c))
        return self.head(self.drop(y)), h, c


class CharLSTMStep(nn.Module):
    """The one-step view that is exported: (b,) tokens in, (b, vocab) logits out."""

    def __init__(self, net: CharLSTM):
        super().__init__()
        self.net = net

    def forward(self, token: torch.Tensor, h: torch.Tensor, c: torch.Tensor):
        logits, h, c = self.net(token[:, None], h, c)
        return logits[:, 0], h, c


def load_char_lstm(run) -> tuple[CharLSTM, dict]:
    """A training run's fp32 network (eval mode) and its checkpoint (vocab, args, held-out score)."""
    ck = torch.load(run / "ckpt.pt", map_location="cpu")
    a = ck["args"]
    net = CharLSTM(len(ck["vocab"]), a["hidden"], a["layers"], dropout=a["dropout"])
    net.load_state_dict(ck["model"])
    return net.eval(), ck
