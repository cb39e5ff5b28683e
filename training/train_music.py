"""Train the event LSTM (PerformanceRNN-style tokens, lstudio/music_events.py) on permissive game MIDI.

    nohup env OMP_NUM_THREADS=1 /usr/bin/python3 training/train_music.py --minutes 90 > training/runs/music/log.txt 2>&1 &

The network is the char-LSTM (lstudio/char_lstm.py: embedding → stacked LSTM → logits) over 389 event tokens,
so the export and the studio's text machinery (state cache, branching, seeded sampling) serve it unchanged.
Each epoch shuffles the training pieces, gives each a random transposition (±`--transpose` semitones, kept
inside 0..127) and time stretch (0.95 / 1 / 1.05), starts each with START, and cuts the concatenation into
`batch` contiguous streams; truncated BPTT over `window` events carries the state from one window to the next.
Held out: every 10th piece (lstudio/midi_data.py), scored untransposed in nats/event with carried state.
The learning rate follows a cosine over the *time* budget, so running again resumes the same schedule
(`<out>/ckpt.pt`, saved every 5 min). `--dry-run` trains 3 tiny steps on random notes (no MIDI needed).
"""
from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from lstudio.card import run_facts
from lstudio.char_lstm import CharLSTM
from lstudio.common import Log, load_checkpoint, pick_device, save_checkpoint, seed_all
from lstudio.music_events import START, VOCAB, Notes, encode, pitch_range, transpose
from train_char_lstm import held_out_nats, streams

ROOT = Path(__file__).resolve().parent


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "runs" / "music")
    p.add_argument("--minutes", type=float, default=90, help="total training time budget (the lr schedule spans it)")
    p.add_argument("--hidden", type=int, default=512, help="2×512: ~2k events/s on one core, ~5 epochs in 90 min")
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--embed", type=int, default=128, help="389 tokens; 128 + 512 is a multiple of the 32-block")
    p.add_argument("--batch", type=int, default=16, help="parallel streams; small batches = more updates per hour")
    p.add_argument("--window", type=int, default=200, help="BPTT window in events (~3 s of music)")
    p.add_argument("--lr", type=float, default=2e-3, help="Adam peak; cosine to 5%% over the budget")
    p.add_argument("--dropout", type=float, default=0.1, help="0.9M events × augmentation vs 3.6M params: mild")
    p.add_argument("--transpose", type=int, default=5, help="random transposition per piece and epoch, ± semitones")
    p.add_argument("--eval-events", type=int, default=40_000, help="held-out events scored at each checkpoint")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--dry-run", action="store_true")
    return p.parse_args()


def fake_data(rng: np.random.Generator) -> dict:
    """Random notes in the shape of encoded_pieces(): what --dry-run trains on (CI has no game MIDI)."""
    def piece() -> np.ndarray:
        start = np.sort(rng.uniform(0, 20, 200))
        return encode(Notes(start, start + rng.uniform(0.05, 1, 200), rng.integers(40, 90, 200), rng.integers(20, 120, 200)))
    pieces = [piece() for _ in range(6)]
    return {"names": [f"fake/{i}" for i in range(6)], "licenses": ["none"] * 6, "notes": [200] * 6,
            "held": [i == 4 for i in range(6)], "tokens": {1.0: pieces}}


def epoch_ids(data: dict, epoch: int, seed: int, max_shift: int) -> torch.Tensor:
    """One epoch's training stream: shuffled pieces, each START + a random stretch and transposition."""
    rng = np.random.default_rng(seed * 100_003 + epoch)
    train = [i for i, h in enumerate(data["held"]) if not h]
    parts = []
    for i in rng.permutation(train):
        stretch = list(data["tokens"])[rng.integers(len(data["tokens"]))]
        toks = data["tokens"][stretch][i]
        lo, hi = pitch_range(toks)
        shift = int(rng.integers(max(-max_shift, -lo), min(max_shift, 127 - hi) + 1))
        parts += [np.array([START], np.int16), transpose(toks, shift)]
    return torch.from_numpy(np.concatenate(parts).astype(np.int64))


def held_ids(data: dict) -> torch.Tensor:
    """The held-out pieces as they are (stretch 1, no transposition), each after START."""
    toks = data["tokens"][1.0]
    parts = [np.concatenate([[START], toks[i]]) for i, h in enumerate(data["held"]) if h]
    return torch.from_numpy(np.concatenate(parts).astype(np.int64))


def main() -> None:
    a = parse()
    seed_all(a.seed)
    dev = pick_device()
    a.out.mkdir(parents=True, exist_ok=True)
    if a.dry_run:
        data = fake_data(np.random.default_rng(0))
        a.hidden, a.embed, a.batch, a.window, a.eval_events = 32, 32, 4, 20, 2000
    else:
        from lstudio.midi_data import encoded_pieces
        data = encoded_pieces()
    held = held_ids(data)
    held_eval = held[: a.eval_events]
    net = CharLSTM(VOCAB, a.hidden, a.layers, embed=a.embed, dropout=a.dropout).to(dev)
    opt = torch.optim.Adam(net.parameters(), a.lr)
    step, epoch, pos = 0, 0, 0
    ck = None if a.dry_run else load_checkpoint(a.out / "ckpt.pt")
    if ck:
        net.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, epoch, pos = ck["step"], ck["epoch"], ck["pos"]
    log = Log(a.out, ck["elapsed"] if ck else 0.0)
    budget = a.minutes * 60
    events_seen = ck.get("events_seen", 0) if ck else 0
    pieces = {k: data[k] for k in ("names", "licenses", "notes", "held")}

    def save(held_nats: float) -> None:
        save_checkpoint(a.out / "ckpt.pt", {
            "model": net.state_dict(), "opt": opt.state_dict(), "step": step, "epoch": epoch, "pos": pos,
            "elapsed": log.elapsed, "held_out_nats": held_nats, "events_seen": events_seen, "pieces": pieces,
            "train_events": int(sum(len(t) for t, h in zip(data["tokens"][1.0], data["held"]) if not h)),
            "held_events": len(held), "args": vars(a) | {"out": str(a.out)}, **run_facts()})

    data_t = streams(epoch_ids(data, epoch, a.seed, a.transpose), a.batch, 0).to(dev)  # (batch, n)
    h, c = net.zero_state(a.batch, dev)
    last_save = time.time()
    while log.elapsed < budget and step < (3 if a.dry_run else 10**9):
        if pos + a.window + 1 > data_t.shape[1]:  # epoch done: new order, keys and tempi; fresh state
            epoch, pos = epoch + 1, 0
            data_t = streams(epoch_ids(data, epoch, a.seed, a.transpose), a.batch, 0).to(dev)
            h, c = net.zero_state(a.batch, dev)
        x, y = data_t[:, pos:pos + a.window], data_t[:, pos + 1:pos + 1 + a.window]  # (b, window) each
        lr = a.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, log.elapsed / budget))))
        for g in opt.param_groups:
            g["lr"] = lr
        logits, h, c = net(x, h.detach(), c.detach())
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)  # LSTM gradients spike at piece boundaries
        opt.step()
        step, pos, events_seen = step + 1, pos + a.window, events_seen + x.numel()
        if step % 25 == 0:
            log(step=step, epoch=epoch, lr=lr, train_nats=loss.item())
        if time.time() - last_save > 300 or a.dry_run:
            held_nats = held_out_nats(net, held_eval, dev)
            log(step=step, held_out_nats=held_nats)
            save(held_nats)
            last_save = time.time()
    held_nats = held_out_nats(net, held, dev)  # the whole held-out set at the end
    log(step=step, held_out_nats_full=held_nats)
    save(held_nats)


if __name__ == "__main__":
    main()
