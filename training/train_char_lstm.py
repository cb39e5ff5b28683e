"""Train a character-level LSTM on a prose corpus (Jane Austen's six novels, or Moby Dick).

    OMP_NUM_THREADS=2 /usr/bin/python3 training/train_char_lstm.py --corpus austen --out training/runs/lstm-austen --minutes 90

Truncated back-propagation through time over `batch` contiguous streams of the training text (state carried
from one window to the next, as in char-rnn), so the model sees context far longer than one window.
Held out: every 10th chapter (lstudio.text_data), scored in nats/char with carried state. The learning rate
follows a cosine over the *time* budget, so a resumed run continues the same schedule. Checkpoints every
few minutes (`<out>/ckpt.pt`, resumable); `--dry-run` trains 3 tiny steps. Export: training/export_char_lstm.py.
"""
from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from lstudio.card import run_facts
from lstudio.char_lstm import CharLSTM
from lstudio.common import Log, load_checkpoint, pick_device, save_checkpoint, seed_all
from lstudio.text_data import CORPORA, shared_vocabulary, split_chapters


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", choices=sorted(CORPORA), default="austen")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--minutes", type=float, default=90, help="total training time budget (the lr schedule spans it)")
    p.add_argument("--hidden", type=int, default=512, help="2×512: best held-out loss per CPU-hour in our trials")
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--batch", type=int, default=32, help="parallel streams; small batches = more updates per hour")
    p.add_argument("--window", type=int, default=100, help="BPTT window in characters")
    p.add_argument("--lr", type=float, default=3e-3, help="Adam peak; cosine to 5% over the budget")
    p.add_argument("--dropout", type=float, default=0.1, help="4M chars vs 3.3M params: mild regularisation")
    p.add_argument("--eval-chars", type=int, default=60_000, help="held-out chars scored at each checkpoint")
    p.add_argument("--init", type=Path, help="start from another run's ckpt.pt (transfer: English first, then a voice)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--dry-run", action="store_true")
    return p.parse_args()


def encode(text: str, vocab: list[str]) -> torch.Tensor:
    index = {ch: i for i, ch in enumerate(vocab)}
    return torch.tensor([index[ch] for ch in text], dtype=torch.long)


def streams(ids: torch.Tensor, batch: int, offset: int) -> torch.Tensor:
    """(n,) → (batch, n // batch): row r is a contiguous slice; `offset` rotates the cut points each epoch."""
    ids = torch.roll(ids, -offset)
    n = len(ids) // batch
    return ids[: n * batch].view(batch, n)


@torch.no_grad()
def held_out_nats(net: CharLSTM, ids: torch.Tensor, dev, batch: int = 16, window: int = 200) -> float:
    """Mean nats/char over `ids`, scored with state carried across windows (the model as it is sampled)."""
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
    net.train()
    return total / count


def main() -> None:
    a = parse()
    seed_all(a.seed)
    dev = pick_device()
    a.out.mkdir(parents=True, exist_ok=True)
    train_text, held_text = split_chapters(CORPORA[a.corpus]())
    if a.dry_run:
        train_text, held_text, a.hidden, a.batch, a.window = train_text[:20_000], held_text[:2_000], 32, 4, 20
    vocab = shared_vocabulary()  # one alphabet for every voice: a model can start from another's weights
    train_ids, held_ids = encode(train_text, vocab), encode(held_text, vocab)
    held_eval = held_ids[: a.eval_chars]
    net = CharLSTM(len(vocab), a.hidden, a.layers, dropout=a.dropout).to(dev)
    opt = torch.optim.Adam(net.parameters(), a.lr)
    step, epoch, pos = 0, 0, 0
    ck = None if a.dry_run else load_checkpoint(a.out / "ckpt.pt")
    if ck:
        net.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, epoch, pos = ck["step"], ck["epoch"], ck["pos"]
    init_from = ck.get("init_from") if ck else None
    if not ck and a.init and not a.dry_run:
        src = torch.load(a.init, map_location="cpu")
        net.load_state_dict(src["model"])
        init_from = {"run": src["args"]["out"], "corpus": src["args"]["corpus"], "step": src["step"],
                     "minutes": round(src["elapsed"] / 60, 1)}
    log = Log(a.out, ck["elapsed"] if ck else 0.0)
    budget = a.minutes * 60

    def save(held: float) -> None:
        save_checkpoint(a.out / "ckpt.pt", {
            "model": net.state_dict(), "opt": opt.state_dict(), "step": step, "epoch": epoch, "pos": pos,
            "elapsed": log.elapsed, "vocab": vocab, "held_out_nats": held, "init_from": init_from,
            "args": vars(a) | {"out": str(a.out)}, **run_facts()})

    data = streams(train_ids, a.batch, epoch * 9973).to(dev)
    h, c = net.zero_state(a.batch, dev)
    last_save = time.time()
    while log.elapsed < budget and step < (3 if a.dry_run else 10**9):
        if pos + a.window + 1 > data.shape[1]:  # epoch done: new cut points, fresh state
            epoch, pos = epoch + 1, 0
            data = streams(train_ids, a.batch, epoch * 9973).to(dev)
            h, c = net.zero_state(a.batch, dev)
        x, y = data[:, pos:pos + a.window], data[:, pos + 1:pos + 1 + a.window]  # (b, window) each
        lr = a.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, log.elapsed / budget))))
        for g in opt.param_groups:
            g["lr"] = lr
        logits, h, c = net(x, h.detach(), c.detach())
        loss = F.cross_entropy(logits.reshape(-1, net.vocab), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)  # LSTM gradients spike at chapter breaks
        opt.step()
        step, pos = step + 1, pos + a.window
        if step % 50 == 0:
            log(step=step, epoch=epoch, lr=lr, train_nats=loss.item())
        if time.time() - last_save > 300 or a.dry_run:
            held = held_out_nats(net, held_eval, dev)
            log(step=step, held_out_nats=held)
            save(held)
            last_save = time.time()
    held = held_out_nats(net, held_ids, dev)  # the whole held-out set at the end
    log(step=step, held_out_nats_full=held)
    save(held)


if __name__ == "__main__":
    main()
