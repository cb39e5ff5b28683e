"""Training windows for the note WaveNet: the train / held-out notes as tensors, random windows with their
loss mask, and the level augmentation. Shared by train_wavenet.py and the evaluation (lstudio.wavenet_eval)."""
from __future__ import annotations

import math

import numpy as np
import torch

from lstudio import nsynth_data as nd
from lstudio.wavenet import SILENCE


def load_data(dry: bool) -> tuple[dict, dict, dict]:
    """Train and held-out notes: codes (n, T) uint8 mu-law, instrument (n,), pitch index (n,); plus meta.
    dry: 6 random 3000-sample notes of 3 instruments × 4 pitches (no rendering)."""
    if dry:
        g = np.random.default_rng(0)
        d = {"codes": g.integers(0, 256, (6, 3000), dtype=np.uint8), "instrument": np.arange(6) % 3,
             "pitch": 48 + np.arange(6) % 4, "velocity": np.array([50, 90] * 3)}
        names, pmin, pmax = ["a", "b", "c"], 48, 51
    else:
        d, names, pmin, pmax = nd.load_notes(), [n for n, _ in nd.INSTRUMENTS], nd.PITCH_MIN, nd.PITCH_MAX
    held = nd.held_out_mask(d["velocity"])
    env = envelope_samples(envelope_frames(nd.mulaw_decode(d["codes"])), d["codes"].shape[1])  # (n, T) float32
    split = lambda m: {"codes": torch.from_numpy(d["codes"][m]), "instrument": torch.from_numpy(d["instrument"][m]).long(),  # noqa: E731
                       "pitch": torch.from_numpy(d["pitch"][m] - pmin).long(), "env": torch.from_numpy(env[m]),
                       "velocity": torch.from_numpy(d["velocity"][m]).long()}
    meta = {"instruments": names, "pitch_min": pmin, "pitch_max": pmax, "n_train": int((~held).sum()),
            "n_held": int(held.sum()), "note_samples": int(d["codes"].shape[1])}
    return split(~held), split(held), meta


def windows(data: dict, n: int, W: int, onset_share: float, rf: int, g: torch.Generator, end: int | None = None):
    """n random windows. Returns inputs (n, W) (previous codes), targets (n, W), loss mask (n, W),
    instrument (n,), pitch index (n,), start (n,) (the first target's sample index since the onset), the targets'
    envelope (n, W) float32 and the notes' velocity (n,). Onset
    windows start from silence (input 128, zero-padded layers: the exact condition of generation), so every
    position counts; later windows skip their first rf - 1 positions, whose receptive field would reach into
    the zero padding. end: every window lies before this sample index (the release is never a target)."""
    codes = data["codes"]
    N, T = codes.shape
    T = T if end is None else min(T, end)
    idx = torch.randint(N, (n,), generator=g)
    onset = torch.rand(n, generator=g) < onset_share
    start = torch.where(onset, torch.zeros(n, dtype=torch.long), torch.randint(1, T - W + 1, (n,), generator=g))
    pos = start[:, None] + torch.arange(W)  # (n, W) target positions
    seq = codes[idx].long()  # (n, T)
    tgt = seq.gather(1, pos)
    inp = torch.where(pos > 0, seq.gather(1, (pos - 1).clamp(min=0)), torch.full_like(pos, SILENCE))
    mask = onset[:, None] | (torch.arange(W) >= rf - 1)[None]
    env = data["env"][idx].gather(1, pos).float()
    return inp, tgt, mask.float(), data["instrument"][idx], data["pitch"][idx], start, env, data["velocity"][idx]


def level_augment(inp: torch.Tensor, share: float, g: torch.Generator, lo: float = 0.5, hi: float = 2.0) -> torch.Tensor:
    """(n, W) input codes → the same, with a `share` of the rows decoded, scaled by a gain log-uniform in
    [lo, hi] and encoded again (the other rows are unchanged: the mu-law round trip is exact on codes)."""
    n = inp.shape[0]
    pick = torch.rand(n, generator=g) < share
    gain = torch.exp(math.log(lo) + torch.rand(n, generator=g) * (math.log(hi) - math.log(lo)))
    x = nd.mulaw_decode(inp.numpy()) * torch.where(pick, gain, torch.ones(n)).numpy()[:, None]
    return torch.from_numpy(nd.mulaw_encode(x))


def held_end() -> int:
    """Sample index where the notes' release starts (the held part is [0, this))."""
    return int(nd.HOLD_S * nd.SAMPLE_RATE)


def eval_windows(held: dict, rf: int, end: int | None, n: int = 8) -> list:
    """The fixed held-out windows every evaluation uses (seed 1234), so scores are comparable across steps and runs."""
    g = torch.Generator().manual_seed(1234)
    return [windows(held, 8, min(4096, held["codes"].shape[1] // 2), 0.5, rf, g, end) for _ in range(n)]


HOP = 160  # envelope frame hop (10 ms); frame k is centred on sample k·HOP
FLOOR_DB = 60.0  # envelope 0 = −60 dB RMS or below, 1 = 0 dB


def envelope_frames(audio: np.ndarray) -> np.ndarray:
    """(n, T) float audio → (n, T // HOP + 1) uint8 envelope frames: RMS over the 20 ms around k·HOP, in dB,
    mapped to [0, 1] (1 + dB / 60, clipped) and quantised to 1/255. The studio ships these frames per
    (instrument, pitch, velocity), so training conditions on exactly the quantised values the studio feeds."""
    n, T = audio.shape
    sq = np.pad(np.square(audio.astype(np.float64)), ((0, 0), (HOP, HOP)))
    cs = np.concatenate([np.zeros((n, 1)), np.cumsum(sq, 1)], 1)
    k = np.arange(T // HOP + 1) * HOP  # frame centres; the padded window [k - HOP, k + HOP) starts at index k
    rms = np.sqrt((cs[:, k + 2 * HOP] - cs[:, k]) / (2 * HOP))
    e = np.clip(1 + 20 * np.log10(np.maximum(rms, 1e-9)) / FLOOR_DB, 0, 1)
    return np.round(e * 255).astype(np.uint8)


def envelope_samples(frames: np.ndarray, T: int) -> np.ndarray:
    """(n, F) uint8 frames → (n, T) float32 per-sample envelope, linear between frame centres (the studio's
    src/engine/families/wavenet-envelope.ts does the same in float32)."""
    s = np.arange(T)
    k0 = np.minimum(s // HOP, frames.shape[1] - 1)
    k1 = np.minimum(k0 + 1, frames.shape[1] - 1)
    w = (s - k0 * HOP) / HOP
    f = frames.astype(np.float32) / 255
    return (f[:, k0] * (1 - w) + f[:, k1] * w).astype(np.float32)
