"""Evaluate the event LSTM: held-out NLL per event, and musical statistics of its music beside real music.

    OMP_NUM_THREADS=1 /usr/bin/python3 training/eval_music.py models/music-lstm-game   # or a run's ckpt.pt

Sets, each cut into 30 s excerpts: the held-out pieces split in two halves A and B (real vs real: how far
two sets of real music differ), music sampled by the model from START, and two bad baselines, uniformly
random events and a unigram sampler (events drawn independently with their training frequencies).
Statistics per set (a distance is measured against half A):
- `pc_distance`: total-variation distance between the set's mean pitch-class histogram and A's, each
  excerpt's histogram first rotated to its Krumhansl-Kessler key (major tonic → C, minor tonic → A), since
  the model writes in every key (it was trained transposed);
- `notes_per_s`, `pitch_range` (max − min pitch of an excerpt, semitones), `duration_s` (mean note length),
  `polyphony` (mean notes sounding while any sounds);
- `in_key`: share of notes in the best-fitting of 24 scales (12 major, 12 harmonic minor) per 8 s window
  (4 bars of 4/4 at 120 bpm), notes-weighted over windows of ≥ 4 notes;
- `repetition`: share of 4-note pitch-interval n-grams (notes ordered by onset, then pitch) already seen
  earlier in the same excerpt.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from lstudio.char_lstm import CharLSTM
from lstudio.char_lstm_graph import QuantStep
from lstudio.music_events import START, TIME_SHIFT, VELOCITY, VOCAB, Notes, decode
from train_char_lstm import held_out_nats
from train_music import held_ids

EXCERPT_S, KEY_WINDOW_S = 30.0, 8.0
MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])  # Krumhansl-Kessler
MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
SCALES = np.array([[(pc - t) % 12 in steps for pc in range(12)]
                   for steps in ({0, 2, 4, 5, 7, 9, 11}, {0, 2, 3, 5, 7, 8, 11}) for t in range(12)])  # (24, 12)


def window(n: Notes, t0: float, t1: float) -> Notes:
    """Notes starting in [t0, t1), times from t0, releases cut at t1."""
    m = (n.start >= t0) & (n.start < t1)
    return Notes(n.start[m] - t0, np.minimum(n.end[m], t1) - t0, n.pitch[m], n.velocity[m])


def excerpts(n: Notes, seconds: float = EXCERPT_S) -> list[Notes]:
    """Whole `seconds` windows of a piece that hold at least 8 notes."""
    if not len(n):
        return []
    out = [window(n, t, t + seconds) for t in np.arange(0, n.end.max() - seconds + 1e-9, seconds)]
    return [e for e in out if len(e) >= 8]


def pc_hist(n: Notes) -> np.ndarray:
    return np.bincount(n.pitch % 12, minlength=12).astype(np.float64) / max(len(n), 1)


def aligned_hist(n: Notes) -> np.ndarray:
    """Pitch-class histogram rotated so its Krumhansl-Kessler key is C major or A minor."""
    h = pc_hist(n)
    scores = [(np.corrcoef(h, np.roll(p, t))[0, 1], t, minor) for minor, p in ((0, MAJOR), (1, MINOR)) for t in range(12)]
    _, tonic, minor = max(scores, key=lambda s: -np.inf if np.isnan(s[0]) else s[0])
    return np.roll(h, -tonic + (9 if minor else 0))


def in_key(n: Notes) -> tuple[float, int]:
    """(in-scale notes, notes) summed over 8 s windows of ≥ 4 notes, each at its best of 24 scales."""
    hit = total = 0
    for t in np.arange(0, max(n.end.max(), KEY_WINDOW_S), KEY_WINDOW_S):
        w = window(n, t, t + KEY_WINDOW_S)
        if len(w) >= 4:
            counts = np.bincount(w.pitch % 12, minlength=12)
            hit, total = hit + int((SCALES @ counts).max()), total + len(w)
    return hit, total


def repetition(n: Notes, k: int = 4) -> float:
    order = np.lexsort((n.pitch, n.start))
    iv = np.diff(n.pitch[order])
    grams = [tuple(iv[i:i + k - 1]) for i in range(len(iv) - k + 2)]
    seen, rep = set(), 0
    for g in grams:
        rep += g in seen
        seen.add(g)
    return rep / max(len(grams), 1)


def polyphony(n: Notes) -> float:
    """Mean number of notes sounding, over the time at least one sounds (10 ms grid)."""
    grid = np.zeros(int(np.ceil(n.end.max() / 0.01)) + 1)
    for s, e in zip(np.round(n.start / 0.01).astype(int), np.round(n.end / 0.01).astype(int)):
        grid[s:max(e, s + 1)] += 1
    return float(grid[grid > 0].mean())


def statistics(ex: list[Notes], ref: list[Notes] | None) -> dict:
    hits = np.array([in_key(e) for e in ex])
    mean_h = np.mean([aligned_hist(e) for e in ex], 0)
    out = {"excerpts": len(ex),
           "notes_per_s": float(np.mean([len(e) / EXCERPT_S for e in ex])),
           "pitch_range": float(np.mean([e.pitch.max() - e.pitch.min() for e in ex])),
           "duration_s": float(np.mean(np.concatenate([e.end - e.start for e in ex]))),
           "polyphony": float(np.mean([polyphony(e) for e in ex])),
           "in_key": float(hits[:, 0].sum() / max(hits[:, 1].sum(), 1)),
           "repetition": float(np.mean([repetition(e) for e in ex]))}
    if ref is not None:
        out["pc_distance"] = float(0.5 * np.abs(mean_h - np.mean([aligned_hist(e) for e in ref], 0)).sum())
    return out


def load_model(path: Path) -> torch.nn.Module:
    """A shipped model folder or step graph (the exact 8-bit arithmetic, QuantStep), or a training checkpoint (fp32)."""
    if path.suffix == ".onnx":
        return QuantStep(path)
    if path.is_dir():
        m = json.loads((path / "model.json").read_text())
        return QuantStep(path / m["graphs"]["step"]["file"])
    ck = torch.load(path, map_location="cpu")
    a = ck["args"]
    net = CharLSTM(VOCAB, a["hidden"], a["layers"], embed=a["embed"])
    net.load_state_dict(ck["model"])
    return net.eval()


@torch.no_grad()
def generate(net: torch.nn.Module, n: int, seconds: float, temperature: float, seed: int) -> list[np.ndarray]:
    """n event sequences sampled together from START until each holds `seconds` of time shifts."""
    g = torch.Generator().manual_seed(seed)
    h, c = net.zero_state(n)
    tok = torch.full((n, 1), START, dtype=torch.long)
    steps = np.zeros(n)
    out: list[list[int]] = [[] for _ in range(n)]
    while (steps < seconds * 100).any() and len(out[0]) < seconds * 400:
        logits, h, c = net(tok, h, c)  # (n, 1, vocab)
        tok = torch.multinomial(torch.softmax(logits[:, -1] / temperature, -1), 1, generator=g)  # (n, 1)
        for i, t in enumerate(tok[:, 0].tolist()):
            if steps[i] < seconds * 100:
                out[i].append(t)
                steps[i] += t - TIME_SHIFT + 1 if TIME_SHIFT <= t < VELOCITY else 0
    return [np.array(o) for o in out]


def independent(p: np.ndarray, n: int, seconds: float, seed: int) -> list[np.ndarray]:
    """n sequences of events drawn independently from p (vocab,) until each holds `seconds`."""
    rng, out = np.random.default_rng(seed), []
    shift = np.where((np.arange(VOCAB) >= TIME_SHIFT) & (np.arange(VOCAB) < VELOCITY), np.arange(VOCAB) - TIME_SHIFT + 1, 0)
    for _ in range(n):
        toks = rng.choice(VOCAB, size=int(seconds * 400), p=p)
        end = np.searchsorted(np.cumsum(shift[toks]), seconds * 100) + 1
        out.append(toks[:end])
    return out


def first_excerpt(tokens: np.ndarray, seconds: float = EXCERPT_S) -> Notes:
    return window(decode(tokens), 0, seconds)


def evaluate(path: Path, data: dict, samples: int = 16, temperatures=(1.0,), seed: int = 0) -> dict:
    """→ {"held_out_nats_per_event", "baseline_nats": {...}, "sets": {name: statistics}}."""
    net = load_model(path)
    held = held_ids(data)
    nats = held_out_nats(net, held, "cpu")
    train = np.concatenate([t for t, h in zip(data["tokens"][1.0], data["held"]) if not h]).astype(np.int64)
    unigram = (np.bincount(train, minlength=VOCAB) + 1) / (len(train) + VOCAB)  # add-one: START and rare pitches
    held_real = [p.notes for p, h in zip(data["pieces"], data["held"]) if h]
    half_a = [e for n in held_real[0::2] for e in excerpts(n)]
    half_b = [e for n in held_real[1::2] for e in excerpts(n)]
    sets = {"held-out A (reference)": statistics(half_a, half_a), "held-out B (real vs real)": statistics(half_b, half_a)}
    for t in temperatures:
        gen = [first_excerpt(s) for s in generate(net, samples, EXCERPT_S, t, seed)]
        sets[f"model, temperature {t:g}"] = statistics([e for e in gen if len(e) >= 8], half_a)
    for name, p in (("unigram events", unigram), ("uniform random events", np.full(VOCAB, 1 / VOCAB))):
        ex = [first_excerpt(s) for s in independent(p, samples, EXCERPT_S, seed)]
        sets[name] = statistics([e for e in ex if len(e) >= 8], half_a)
    return {"held_out_nats_per_event": nats,
            "baseline_nats": {"uniform": float(np.log(VOCAB)), "unigram": float(-np.log(unigram[held.numpy()]).mean())},
            "held_events": len(held), "sets": sets}


def table(result: dict) -> str:
    cols = ["pc_distance", "notes_per_s", "pitch_range", "duration_s", "polyphony", "in_key", "repetition", "excerpts"]
    rows = ["| set | " + " | ".join(cols) + " |", "| --- |" + " --- |" * len(cols)]
    for name, s in result["sets"].items():
        rows.append(f"| {name} | " + " | ".join(f"{s[c]:.3g}" if c in s else "–" for c in cols) + " |")
    return "\n".join(rows)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", type=Path, help="models/<id> (shipped graph) or a training ckpt.pt")
    p.add_argument("--samples", type=int, default=16)
    p.add_argument("--temperatures", default="1.0")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    from lstudio.midi_data import encoded_pieces
    r = evaluate(a.model, encoded_pieces(), a.samples, [float(t) for t in a.temperatures.split(",")], a.seed)
    print(json.dumps(r, indent=1))
    print(table(r))


if __name__ == "__main__":
    main()
