"""Reference degradations that calibrate an image metric: Gaussian blur of real images and random
coloured blobs. A metric is only trusted if real-vs-real ≪ σ = 1.0 blur < σ = 1.5 blur and blobs score
worst (issue 15). Images are (n, 3, H, W) float in [-1, 1] throughout."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def gaussian_blur(x: torch.Tensor, sigma: float) -> torch.Tensor:
    """Separable Gaussian blur, radius ceil(3σ), reflect padding (the edges stay white on white)."""
    r = max(1, math.ceil(3 * sigma))
    t = torch.arange(-r, r + 1, dtype=x.dtype)
    k = torch.exp(-t ** 2 / (2 * sigma ** 2))
    k = k / k.sum()
    c = x.shape[1]
    x = F.conv2d(F.pad(x, (r, r, 0, 0), mode="reflect"), k.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(F.pad(x, (0, 0, r, r), mode="reflect"), k.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)


def coloured_blobs(n: int, size: int = 64, seed: int = 0) -> torch.Tensor:
    """n images (n, 3, size, size) in [-1, 1]: 1–4 soft ellipses of random flat colours on white, each
    about emoji-sized (radius 15–45 % of the tile): the colour statistics of emoji with none of their
    drawing."""
    g = torch.Generator().manual_seed(seed)
    yy, xx = torch.meshgrid(torch.linspace(0, 1, size), torch.linspace(0, 1, size), indexing="ij")
    out = torch.ones(n, 3, size, size)
    for i in range(n):
        for _ in range(int(torch.randint(1, 5, (1,), generator=g))):
            cy, cx = (0.2 + 0.6 * torch.rand(2, generator=g)).tolist()
            ry, rx = (0.15 + 0.3 * torch.rand(2, generator=g)).tolist()
            d = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2
            alpha = torch.sigmoid((1 - d) * 12)  # (size, size): soft edge
            colour = torch.rand(3, 1, 1, generator=g)
            out[i] = out[i] * (1 - alpha) + colour * alpha
    return out * 2 - 1


REFERENCE_ROWS = {"real_vs_real": "real vs real (other half)", "twemoji": "Twemoji (another style)",
                  "blur_1.0": "real, blur σ = 1.0", "blur_1.5": "real, blur σ = 1.5", "blobs": "coloured blobs"}


def calibrated_facts(metric: dict, model_id: str) -> dict:
    """What a model card shows from models/<id>/metric.json (eval_image_metric.py): the table of every row
    (this model's in bold), where the model's FID falls among the reference rows, and whether the figures
    are of the weights shipped now (a retrained model keeps its old metric.json until it is measured again)."""
    from lstudio.export import files_hash
    from lstudio.loop import ROOT
    rows = metric["rows"]
    lines = ["| images (1,000 each) | FID | KID ×1000 (± std) | precision | recall |", "| --- | --- | --- | --- | --- |"]
    for key, r in rows.items():
        name = REFERENCE_ROWS.get(key, f"`{key}` samples")
        if key == model_id:
            name = f"**{name} (this model)**"
        lines.append(f"| {name} | {r['fid']:.1f} | {r['kid_x1000']:.1f} ± {r['kid_x1000_std']:.1f} "
                     f"| {r['precision']:.3f} | {r['recall']:.3f} |")
    fid = rows[model_id]["fid"]
    ranked = sorted((rows[k]["fid"], REFERENCE_ROWS[k]) for k in REFERENCE_ROWS)
    below = [name for f, name in ranked if f < fid]
    above = [name for f, name in ranked if f >= fid]
    where = (f"worse than every reference row, even {below[-1]}" if not above else
             f"better than every reference row" if not below else f"between {below[-1]} and {above[0]}")
    w = metric["weights"][model_id]
    now = files_hash([ROOT / "models" / model_id / w["file"]])
    weights = (f"the shipped `{w['file']}` (sha256 prefix `{now}`)" if now == w["sha256"] else
               f"EARLIER weights (`{w['file']}` sha256 prefix `{w['sha256']}`; shipped now: `{now}`): measure again")
    return {"table": "\n".join(lines), "where": where, "fid": fid, "low_pass": metric.get("low_pass"),
            "features": metric["features"], "weights": weights}
