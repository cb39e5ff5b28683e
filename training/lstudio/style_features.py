"""Style-aware features for the calibrated image metric (issue 15, item 1), and the metrics on them.

The old metric (lstudio.classifier) keeps only the last pooled layer of a category classifier: it is
invariant to exactly what makes a sample look wrong (blur, smudged texture), so a σ = 1.5 blur of the data
scored like a good model. This network is trained on three emoji styles to predict category AND style, and
its embedding concatenates, for each of its 4 blocks, the channel means and channel standard deviations
(the diagonal of a Gram matrix: how strongly each edge/texture detector fires, and how unevenly), each
block scaled to unit RMS on the training images so no layer dominates by its scale:
    (b, 3, 64, 64) → [mean, std] of (32, 64, 128, 128) channels → (b, 704).

Metrics on those features (numpy only): FID (lstudio.fid), KID (Bińkowski et al. 2018: unbiased MMD² with
the cubic polynomial kernel, mean ± std over subsets), precision/recall (Kynkäänniemi et al. 2019, k-NN
balls, k = 3).
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from lstudio.fid import frechet_distance


class StyleClassifier(nn.Module):
    def __init__(self, n_categories: int, n_styles: int, width: int = 32):
        super().__init__()

        def block(cin: int, cout: int) -> nn.Module:
            return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(True))

        self.blocks = nn.ModuleList([
            block(3, width),              # (b, w, 64, 64)   then pooled to 32
            block(width, width * 2),      # (b, 2w, 32, 32)  → 16
            block(width * 2, width * 4),  # (b, 4w, 16, 16)  → 8
            block(width * 4, width * 4),  # (b, 4w, 8, 8)
        ])
        d = width * 4
        self.category = nn.Sequential(nn.Dropout(0.3), nn.Linear(d, n_categories))
        self.style = nn.Linear(d, n_styles)
        # per-block feature scale (1 / RMS of that block's stats on the training data), set after training
        self.register_buffer("scale", torch.ones(4))

    def trunk(self, x: torch.Tensor) -> list[torch.Tensor]:
        """x: (b, 3, 64, 64) in [-1, 1] → the 4 blocks' activations (before pooling)."""
        acts = []
        for i, blk in enumerate(self.blocks):
            x = blk(x if i == 0 else nn.functional.max_pool2d(x, 2))
            acts.append(x)
        return acts

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """→ (category logits (b, C), style logits (b, S)) from the last block's global average."""
        h = self.trunk(x)[-1].mean((2, 3))
        return self.category(h), self.style(h)

    def stats(self, x: torch.Tensor) -> list[torch.Tensor]:
        """Per block (b, 2c): channel means and standard deviations over positions (unscaled)."""
        return [torch.cat([a.mean((2, 3)), a.flatten(2).std(2)], 1) for a in self.trunk(x)]

    @torch.no_grad()
    def set_scale(self, x: torch.Tensor) -> None:
        """Each block's statistics to unit RMS on x (n, 3, 64, 64): every layer weighs the same in distances."""
        self.scale.copy_(torch.stack([1.0 / s.pow(2).mean().sqrt().clamp_min(1e-6) for s in self.stats(x)]))

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """x: (b, 3, 64, 64) in [-1, 1] → (b, 704) scaled multi-layer statistics."""
        return torch.cat([s * self.scale[i] for i, s in enumerate(self.stats(x))], 1)


    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """x → (b, C + S) category and style logits: the most semantic view (blur barely moves a category)."""
        return torch.cat(self(x), 1)


def load_style_classifier(path) -> StyleClassifier:
    ck = torch.load(path, map_location="cpu")
    net = StyleClassifier(len(ck["categories"]), len(ck["styles"]))
    net.load_state_dict(ck["model"])
    return net.eval()


@torch.no_grad()
def embed_all(net: StyleClassifier, x: torch.Tensor, batch: int = 200, view: str = "stats") -> np.ndarray:
    """x: (n, 3, 64, 64) in [-1, 1] → (n, 704) float64 features ("stats"), or (n, C + S) ("logits")."""
    fn = net.embed if view == "stats" else net.logits
    return torch.cat([fn(x[i:i + batch]) for i in range(0, len(x), batch)]).numpy().astype("float64")


def kid(a: np.ndarray, b: np.ndarray, subsets: int = 50, size: int = 200, seed: int = 0) -> tuple[float, float]:
    """Kernel Inception Distance on (n, d), (m, d) features: unbiased MMD² with k(x, y) = (x·y / d + 1)³,
    averaged over `subsets` random subsets of `size` from each set → (mean, std over subsets)."""
    rng = np.random.default_rng(seed)
    d = a.shape[1]
    size = min(size, len(a), len(b))
    vals = []
    for _ in range(subsets):
        x = a[rng.choice(len(a), size, replace=False)]
        y = b[rng.choice(len(b), size, replace=False)]
        kxx, kyy, kxy = ((x @ x.T / d + 1) ** 3, (y @ y.T / d + 1) ** 3, (x @ y.T / d + 1) ** 3)
        n = size
        # unbiased: the diagonals k(x_i, x_i) are left out of the within-set means
        vals.append((kxx.sum() - np.trace(kxx)) / (n * (n - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
                    - 2 * kxy.mean())
    return float(np.mean(vals)), float(np.std(vals))


def _pairwise(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distances (n, m)."""
    sq = (a ** 2).sum(1)[:, None] + (b ** 2).sum(1)[None, :] - 2 * a @ b.T
    return np.sqrt(np.clip(sq, 0, None))


def precision_recall(real: np.ndarray, fake: np.ndarray, k: int = 3) -> tuple[float, float]:
    """Kynkäänniemi et al. 2019: precision = share of fake samples inside some real sample's k-NN ball
    (radius = distance to its k-th nearest real neighbour); recall the same with the roles swapped."""
    def inside(ref: np.ndarray, query: np.ndarray) -> float:
        radii = np.sort(_pairwise(ref, ref), 1)[:, k]  # column 0 is the point itself
        return float((_pairwise(query, ref) <= radii[None, :]).any(1).mean())
    return inside(real, fake), inside(fake, real)


def all_metrics(ref: np.ndarray, other: np.ndarray, seed: int = 0) -> dict[str, float]:
    """FID, KID (×1000, mean and std), precision and recall of `other` against the reference features."""
    k_mean, k_std = kid(ref, other, seed=seed)
    p, r = precision_recall(ref, other)
    return {"fid": round(frechet_distance(ref, other), 2), "kid_x1000": round(1000 * k_mean, 2),
            "kid_x1000_std": round(1000 * k_std, 2), "precision": round(p, 3), "recall": round(r, 3)}
