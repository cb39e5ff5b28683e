"""Train the style-aware feature network behind the calibrated image metric (lstudio.style_features).

    OMP_NUM_THREADS=1 /usr/bin/python3 training/train_style_classifier.py --out training/runs/style_plain --blur 0 --minutes 9.5
    OMP_NUM_THREADS=1 /usr/bin/python3 training/train_style_classifier.py --out training/runs/style_classifier \
        --init training/runs/style_plain/style_classifier.pt --minutes 6.5

(the first metric attempt used these two stages, 559 + 723 steps on one loaded CPU thread; the shipped metric.json files
use ImageNet features instead, lstudio.metric_features — see IMAGE_METRIC.md)

Data: three emoji styles pooled (lstudio.style_data: Noto PNGs, Twemoji, the Noto font rendered); two
heads: category (emoji.json, 9 classes) and style (3). Training uses the train split by base emoji
(lstudio.emoji_data.split_held_out) of every style; held-out accuracies of both heads are reported. Each
(style, base emoji) group has equal weight, so skin-tone variants do not dominate. Half of each batch (--blur)
is blurred (one σ ~ U(0, 2) px per step) with its labels kept: trained without it, the network took sharpness as
the cue that tells Noto PNG from Noto font, so even its deepest block scored a σ = 1.0 blur of real emoji worse
than the DCGAN's shapeless samples (FID 86 vs 17 on block 4 alone). With it, the deep blocks answer to what is
drawn and the early blocks' statistics still see the lost edges.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from lstudio.calibration import gaussian_blur
from lstudio.loop import Run, add_run_args, save_checkpoint
from lstudio.style_features import StyleClassifier


def load(dry: bool):
    """→ x (n, 3, 64, 64) in [-1, 1], category (n,), style (n,), train weights, held-out indices, names."""
    if dry:
        n = 48
        return (torch.rand(n, 3, 64, 64) * 2 - 1, torch.randint(0, 3, (n,)), torch.randint(0, 3, (n,)),
                torch.ones(n), np.arange(8), ["a", "b", "c"], ["s0", "s1", "s2"])
    from lstudio.emoji_data import split_held_out
    from lstudio.style_data import load_styles
    styles = load_styles()
    rgb = np.concatenate([v[0] for v in styles.values()])
    meta = [dict(m, style=s) for s, v in styles.items() for m in v[1]]
    keep = [i for i, m in enumerate(meta) if m["category"] not in ("Component", "Unknown")]
    categories = sorted({meta[i]["category"] for i in keep})
    _, held = split_held_out(styles["google"][1])
    held_bases = {styles["google"][1][i]["base"] for i in held}
    x = torch.from_numpy(rgb[keep]).permute(0, 3, 1, 2).float() / 127.5 - 1
    meta = [meta[i] for i in keep]
    cat = torch.tensor([categories.index(m["category"]) for m in meta])
    sty = torch.tensor([list(styles).index(m["style"]) for m in meta])
    is_held = np.array([m["base"] in held_bases for m in meta])
    group = Counter((m["style"], m["base"]) for m in meta)
    w = torch.tensor([0.0 if h else 1.0 / group[(m["style"], m["base"])] for m, h in zip(meta, is_held)])
    return x, cat, sty, w, np.flatnonzero(is_held), categories, list(styles)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_args(p, out="training/runs/style_classifier", minutes=9)
    p.add_argument("--batch", type=int, default=64, help="BatchNorm statistics stay stable at 64")
    p.add_argument("--lr", type=float, default=2e-3, help="AdamW peak rate (weight decay 1e-4)")
    p.add_argument("--blur", type=float, default=0.5, help="share of each batch blurred, labels kept (see above)")
    p.add_argument("--init", type=Path, help="start from this style_classifier.pt's weights (a fresh run only)")
    a = p.parse_args()
    run = Run(a, max_steps=10 ** 9)
    x, cat, sty, w, held, categories, styles = load(a.dry_run)
    model = StyleClassifier(len(categories), len(styles))
    opt = torch.optim.AdamW(model.parameters(), a.lr, weight_decay=1e-4)
    init = (run.resumed or {}).get("init_from")  # the warm start, kept across resumes
    if not run.restore(model=model, opt=opt) and a.init:  # resuming: --minutes more of training
        ck = torch.load(a.init, map_location="cpu")
        model.load_state_dict(ck["model"])
        init = {k: ck[k] for k in ("steps", "minutes", "held_out_category_accuracy", "held_out_style_accuracy") if k in ck}
    while run.running():
        idx = torch.multinomial(w, a.batch, replacement=True)
        xb = x[idx]
        xb = torch.where(torch.rand(a.batch, 1, 1, 1) < 0.5, xb.flip(3), xb)  # emoji read fine mirrored
        half = round(a.batch * a.blur)
        xb = torch.cat([gaussian_blur(xb[:half], 0.05 + 1.95 * torch.rand(1).item()), xb[half:]])
        lc, ls = model(xb)
        loss = F.cross_entropy(lc, cat[idx], label_smoothing=0.1) + F.cross_entropy(ls, sty[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        run.step += 1
        if run.every(50):
            run.log(step=run.step, loss=loss.item())
        if run.due(120):
            run.checkpoint(init_from=init)
    run.checkpoint(init_from=init)
    model.eval()
    train_idx = torch.nonzero(w > 0).flatten()
    model.set_scale(x[train_idx[torch.randperm(len(train_idx))[:2000]]])  # the training images' scale
    with torch.no_grad():
        hx = x[held]
        lc, ls = zip(*(model(hx[i:i + 256]) for i in range(0, len(hx), 256)))
        acc_cat = (torch.cat(lc).argmax(1) == cat[held]).float().mean().item()
        acc_sty = (torch.cat(ls).argmax(1) == sty[held]).float().mean().item()
    print(f"held-out accuracy: category {acc_cat:.3f}, style {acc_sty:.3f} after {run.step} steps")
    facts = {"categories": categories, "styles": styles, "held_out_category_accuracy": round(acc_cat, 3),
             "held_out_style_accuracy": round(acc_sty, 3), "steps": run.step, "images": len(x),
             "minutes": round(run.elapsed / 60, 2), "init_from": init}
    save_checkpoint(run.out / "style_classifier.pt", {"model": model.state_dict(), **facts})
    (run.out / "style_classifier.json").write_text(json.dumps(facts, indent=2))
    run.finish()


if __name__ == "__main__":
    main()
