"""Train the emoji category classifier used for image metrics (and later Deep Dream).

    OMP_NUM_THREADS=2 /usr/bin/python3 training/train_classifier.py --out training/runs/classifier --minutes 8

Labels: emoji.json `category` (9 classes; the 5 'Component' swatches are dropped). Train split only, with
per-base-emoji weights so skin-tone variants do not dominate; reports held-out accuracy.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter

import torch
import torch.nn.functional as F

from lstudio.classifier import EmojiClassifier
from lstudio.loop import Run, add_run_args, save_checkpoint


def load(dry: bool):
    if dry:
        return torch.rand(32, 3, 64, 64) * 2 - 1, torch.randint(0, 3, (32,)), torch.ones(32), ["a", "b", "c"], None
    from lstudio.emoji_data import load_emoji, split_held_out
    rgb, meta = load_emoji(64)
    keep = [i for i, m in enumerate(meta) if m["category"] not in ("Component", "Unknown")]
    classes = sorted({meta[i]["category"] for i in keep})
    x = torch.from_numpy(rgb).permute(0, 3, 1, 2).float() / 127.5 - 1
    y = torch.tensor([classes.index(m["category"]) if m["category"] in classes else -1 for m in meta])
    tr, ho = split_held_out(meta)
    tr = [i for i in tr if y[i] >= 0]
    ho = [i for i in ho if y[i] >= 0]
    per_base = Counter(meta[i]["base"] for i in tr)
    w = torch.tensor([1.0 / per_base[meta[i]["base"]] for i in tr])
    return x[tr], y[tr], w, classes, (x[ho], y[ho])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_args(p, out="training/runs/classifier", minutes=8)
    p.add_argument("--batch", type=int, default=64, help="as the image models: BatchNorm statistics stay stable")
    p.add_argument("--lr", type=float, default=2e-3, help="AdamW peak rate (weight decay 1e-4)")
    a = p.parse_args()
    run = Run(a, max_steps=10 ** 9)
    dev = run.device
    x, y, w, classes, held = load(a.dry_run)
    model = EmojiClassifier(len(classes)).to(dev)
    opt = torch.optim.AdamW(model.parameters(), a.lr, weight_decay=1e-4)
    while run.running():
        idx = torch.multinomial(w, a.batch, replacement=True)
        xb = x[idx]
        xb = torch.where(torch.rand(a.batch, 1, 1, 1) < 0.5, xb.flip(3), xb)  # flips: emoji read fine mirrored
        # label smoothing 0.1: only the penultimate features are used (for FID), not calibrated labels
        loss = F.cross_entropy(model(xb.to(dev)), y[idx].to(dev), label_smoothing=0.1)
        opt.zero_grad(); loss.backward(); opt.step()
        run.step += 1
        if run.every(100):
            run.log(step=run.step, loss=loss.item())
    acc = float("nan")
    if held is not None:
        model.eval()
        with torch.no_grad():
            acc = (model(held[0].to(dev)).argmax(1).cpu() == held[1]).float().mean().item()
    print(f"held-out accuracy {acc:.3f} after {run.step} steps")
    save_checkpoint(run.out / "classifier.pt", {"model": model.state_dict(), "classes": classes, "acc": acc, "steps": run.step})
    (run.out / "classifier.json").write_text(json.dumps({"classes": classes, "held_out_accuracy": acc, "steps": run.step}))
    run.finish()


if __name__ == "__main__":
    main()
