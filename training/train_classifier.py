"""Train the emoji category classifier used for image metrics (and later Deep Dream).

    OMP_NUM_THREADS=2 /usr/bin/python3 training/train_classifier.py --out training/runs/classifier --minutes 8

Labels: emoji.json `category` (9 classes; the 5 'Component' swatches are dropped). Train split only, with
per-base-emoji weights so skin-tone variants do not dominate; reports held-out accuracy.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import torch
import torch.nn.functional as F

from lstudio.classifier import EmojiClassifier
from lstudio.common import pick_device, save_checkpoint, seed_all

ROOT = Path(__file__).resolve().parent.parent


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
    p.add_argument("--out", type=Path, default=ROOT / "training/runs/classifier")
    p.add_argument("--minutes", type=float, default=8)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dry-run", action="store_true")
    a = p.parse_args()
    seed_all(a.seed)
    dev = pick_device()
    x, y, w, classes, held = load(a.dry_run)
    model = EmojiClassifier(len(classes)).to(dev)
    opt = torch.optim.AdamW(model.parameters(), 2e-3, weight_decay=1e-4)
    t0, step = time.time(), 0
    while time.time() - t0 < a.minutes * 60 and not (a.dry_run and step >= 2):
        idx = torch.multinomial(w, a.batch, replacement=True)
        xb = x[idx]
        xb = torch.where(torch.rand(a.batch, 1, 1, 1) < 0.5, xb.flip(3), xb)  # flips: emoji read fine mirrored
        loss = F.cross_entropy(model(xb.to(dev)), y[idx].to(dev), label_smoothing=0.1)
        opt.zero_grad(); loss.backward(); opt.step()
        step += 1
        if step % 100 == 0:
            print(f"step {step} loss {loss.item():.3f} t={time.time() - t0:.0f}s", flush=True)
    acc = float("nan")
    if held is not None:
        model.eval()
        with torch.no_grad():
            acc = (model(held[0].to(dev)).argmax(1).cpu() == held[1]).float().mean().item()
    print(f"held-out accuracy {acc:.3f} after {step} steps")
    if not a.dry_run:
        save_checkpoint(a.out / "classifier.pt", {"model": model.state_dict(), "classes": classes, "acc": acc, "steps": step})
        (a.out / "classifier.json").write_text(json.dumps({"classes": classes, "held_out_accuracy": acc, "steps": step}))


if __name__ == "__main__":
    main()
