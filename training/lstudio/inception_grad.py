"""d loss / d image for Deep Dream, written as forward ops so it exports to ONNX (torch 1.13 cannot export
`torch.autograd.grad`). Checked against autograd in training/tests/test_deepdream.py.

    loss, grad = DreamGrad(trunk)(image, weights)
    # image (1, 3, H, W) in [-1, 1], H, W ≥ 43; weights (6,) for mixed0..5
    # loss () = Σ_i weights[i] · mean(mixed_i²); grad (1, 3, H, W) = d loss / d image

The reverse pass, op by op: ReLU → keep g where the output was > 0 (below a max pool: where the pooled
output was > 0, before the scatter); stride-1 conv → conv with the kernel transposed (in ↔ out) and
flipped, padding k−1−p; stride-2 conv → transposed conv, then zero rows/columns at
the bottom/right that no window reached; 3×3/2 max pool → scatter-add into the argmax positions (ONNX
MaxPool's flat indices, see _MaxPoolArgmax); 3×3/1 'same' average pool (padding left out of the mean) →
g / count, summed over the same windows; concatenation → split. Other ways tried are in the model card.
Speed: the 1×1 convs of a block that read the block input (and the pool branch's 1×1, moved before its pool:
both are linear, so they commute) run as one conv forward and one conv backward; BatchNorm is folded.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from lstudio.inception import BLOCKS, LAYERS, STEM, Block, Branch, Conv, Pool, Trunk, conv_input_channels, dream_loss

Params = dict[int, tuple[torch.Tensor, torch.Tensor]]


class DreamGrad(nn.Module):
    def __init__(self, trunk: Trunk) -> None:
        super().__init__()
        self.trunk = trunk

    def forward(self, image: torch.Tensor, weights: torch.Tensor, p: Params | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """p: trunk.folded() from a caller that runs many steps; the exported graph folds inside (ONNX Runtime
        then folds it once at load)."""
        p = self.trunk.folded() if p is None else p
        x, stem_tape = _chain_fwd(STEM, image, p)
        acts, tapes = [], []
        for block in BLOCKS:
            x, tape = _block_fwd(block, x, p)
            acts.append(x)
            tapes.append(tape)
        loss = dream_loss(acts, weights)
        g = None
        for i in reversed(range(len(LAYERS))):
            # d/da mean(a²) = 2a / numel; numel from the runtime shape (H, W are symbolic in the graph)
            a = acts[i]
            seed = a * (2.0 * weights[i] / (a.size(1) * a.size(2) * a.size(3)))
            g = seed if g is None else g + seed
            g = _block_bwd(BLOCKS[i], g, tapes[i], p)
        return loss, _chain_bwd(STEM, g, stem_tape, p)


def _relu_bwd(g: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return g * (y > 0).to(g.dtype)  # as fast as any other mask we tried in ONNX Runtime (see the card)


class _MaxPoolArgmax(torch.autograd.Function):
    """3×3/2 max pool → (pooled, argmax as a flat index into the whole input). ONNX MaxPool's Indices output
    is exactly that; torch's exporter turns its per-plane indices into it with a second, 1×1 pooling of the
    whole input (9 % of a step in ONNX Runtime)."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        y, idx = F.max_pool2d(x, 3, 2, return_indices=True)  # idx: h·W + w within each (n, c) plane
        n, c, h, w = x.shape
        return y, idx + torch.arange(n * c).view(n, c, 1, 1) * (h * w)

    @staticmethod
    def symbolic(g, x):
        return g.op("MaxPool", x, kernel_shape_i=[3, 3], strides_i=[2, 2], outputs=2)


def _conv_bwd(op: Conv, g: torch.Tensor, x: torch.Tensor, p: Params) -> torch.Tensor:
    """g: d loss / d (pre-activation conv output) → d loss / d x (x: the conv's input, for its shape)."""
    w = p[op.k][0]  # (cout, cin, kh, kw)
    if op.stride == 1:  # the adjoint as a correlation: kernel transposed (in ↔ out) and flipped
        (kh, kw), (ph, pw) = op.size, op.pad
        return F.conv2d(g, w.transpose(0, 1).flip(2, 3), padding=(kh - 1 - ph, kw - 1 - pw))
    gx = F.conv_transpose2d(g, w, stride=op.stride)  # ((h−1)·s + k, …): short of x by (H − k) mod s
    return F.pad(gx, (0, x.size(3) - gx.size(3), 0, x.size(2) - gx.size(2)))


def _chain_fwd(ops: Branch, x: torch.Tensor, p: Params) -> tuple[torch.Tensor, list]:
    tape = []
    for op in ops:
        if isinstance(op, Conv):
            w, b = p[op.k]
            y = F.relu(F.conv2d(x, w, b, op.stride, op.pad))
            tape.append((x, y))
        else:
            assert op.kind == "max", "average pools only open pool branches (handled in _block_fwd)"
            y, idx = _MaxPoolArgmax.apply(x)
            tape.append((x, (idx, y)))
        x = y
    return x, tape


def _chain_bwd(ops: Branch, g: torch.Tensor, tape: list, p: Params) -> torch.Tensor:
    masked = False  # g already carries the ReLU mask of the conv below a max pool (applied before the scatter)
    for i in reversed(range(len(ops))):
        op, (x, y) = ops[i], tape[i]
        if isinstance(op, Conv):
            g = _conv_bwd(op, g if masked else _relu_bwd(g, y), x, p)
            masked = False
        else:  # max pool: each window's gradient to its argmax (first maximum); overlapping windows add up
            idx, pooled = y
            if i > 0 and isinstance(ops[i - 1], Conv):
                # The ReLU below a pool, masked at the pooled size: an argmax holds its window's maximum, so
                # (x > 0) there is (pooled > 0); elsewhere the scatter leaves 0 anyway. Exact, on ¼ of the
                # pixels, and the full-size activation never leaves ONNX Runtime's blocked layout for a mask.
                g, masked = _relu_bwd(g, pooled), True
            g = torch.zeros_like(x).flatten().scatter_add(0, idx.flatten(), g.flatten()).view_as(x)
    return g


def _head(br: Branch) -> Conv | None:
    """The 1×1 conv reading the block input directly (possibly behind the pool branch's average pool)."""
    if isinstance(br[0], Pool) and br[0].kind == "avg":
        return br[1]
    if isinstance(br[0], Conv) and br[0].size == (1, 1) and br[0].stride == 1:
        return br[0]
    return None


def _avg_bwd(g: torch.Tensor) -> torch.Tensor:
    """Backward of avg_pool2d(3, 1, 1, count_include_pad=False): Σ over the windows of g / count, and
    1 / avg_incl(ones) = 9 / count."""
    r = 1.0 / F.avg_pool2d(torch.ones_like(g[:, :1]), 3, 1, 1, count_include_pad=True)
    return F.avg_pool2d(g * r, 3, 1, 1, count_include_pad=True)


def _block_fwd(block: Block, x: torch.Tensor, p: Params) -> tuple[torch.Tensor, tuple]:
    heads = [h for h in map(_head, block) if h is not None]
    pooled = {h.k for br, h in zip(block, map(_head, block)) if h is not None and isinstance(br[0], Pool)}
    wm = torch.cat([p[h.k][0] for h in heads])  # (Σ cout, cin, 1, 1)
    bm = torch.cat([torch.zeros_like(p[h.k][1]) if h.k in pooled else p[h.k][1] for h in heads])
    parts = dict(zip([h.k for h in heads], torch.split(F.conv2d(x, wm, bm), [h.cout for h in heads], 1)))
    outs, tapes = [], []
    for br in block:
        h = _head(br)
        if h is None:
            y, t = _chain_fwd(br, x, p)
            tapes.append(t)
        else:
            if h.k in pooled:  # avg_pool(conv1x1(x)) = conv1x1(avg_pool(x)) without the bias
                y0 = F.relu(F.avg_pool2d(parts[h.k], 3, 1, 1, count_include_pad=False) + p[h.k][1][:, None, None])
            else:
                y0 = F.relu(parts[h.k])
            rest = br[br.index(h) + 1:]
            y, t = _chain_fwd(rest, y0, p)
            tapes.append((y0, t))
        outs.append(y)
    return torch.cat(outs, 1), (x, wm, pooled, tapes)


def _block_bwd(block: Block, g: torch.Tensor, tape: tuple, p: Params) -> torch.Tensor:
    x, wm, pooled, tapes = tape
    widths = [_branch_width(br, _block_cin(block)) for br in block]
    head_grads, gx = [], None
    for br, gb, t in zip(block, torch.split(g, widths, 1), tapes):
        h = _head(br)
        if h is None:
            gb = _chain_bwd(br, gb, t, p)
            gx = gb if gx is None else gx + gb
        else:
            y0, rest_tape = t
            gh = _relu_bwd(_chain_bwd(br[br.index(h) + 1:], gb, rest_tape, p), y0)
            head_grads.append(_avg_bwd(gh) if h.k in pooled else gh)
    gm = F.conv2d(torch.cat(head_grads, 1), wm.transpose(0, 1))  # all 1×1 heads' backward in one conv
    return gm if gx is None else gm + gx


def _branch_width(br: Branch, block_cin: int) -> int:
    """Output channels of a branch (static ints: split sizes must not depend on runtime shapes)."""
    convs = [op for op in br if isinstance(op, Conv)]
    return convs[-1].cout if convs else block_cin  # a lone max pool keeps the block's input channels


def _block_cin(block: Block) -> int:
    return conv_input_channels()[next(op for br in block for op in br if isinstance(op, Conv)).k]
