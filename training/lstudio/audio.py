"""Audio measurements and files: pitch by YIN (de Cheveigné & Kawahara 2002) as published and its
"clean" variant, the envelope decay of a note, and 16-bit WAV output. Audio is float in [-1, 1] at 16 kHz.

- `note_pitch`: over 8 frames of 0.2–0.8 s, per frame the first dip of the cumulative mean normalised
  difference (CMND) below 0.15, else its global minimum; the note's f0 is the median over frames. A silent
  note (RMS < SILENT_RMS over 0.2–0.8 s) has no f0. `f0_clean` counts only frames that really dip below
  0.15, and needs half of them: a pitched note buried in noise has none.
- `decay`: RMS over 0.7–0.9 s ÷ RMS over 0.1–0.3 s (a piano note decays: well below 1; an organ holds: ~1).
"""
from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

SR = 16000


def write_wav(path: Path, audio: np.ndarray, sr: int = SR) -> None:
    """float in [-1, 1] → 16-bit PCM mono WAV (16 kHz unless told)."""
    pcm = (np.clip(audio, -1, 1) * 32767).round().astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(sr)
        w.writeframes(pcm.tobytes())


def yin_frame(x: np.ndarray, tau_min: int, tau_max: int, thresh: float = 0.15) -> tuple[float, float, bool]:
    """One frame (len(x) >= 2 * tau_max) → (f0 in Hz, CMND at the chosen period, whether it dipped below thresh)."""
    W = len(x) - tau_max
    d = np.array([np.sum((x[:W] - x[t:t + W]) ** 2) for t in range(tau_max + 1)])
    cmnd = np.ones_like(d)
    cs = np.cumsum(d[1:])
    cmnd[1:] = d[1:] * np.arange(1, tau_max + 1) / np.maximum(cs, 1e-12)
    below = np.nonzero(cmnd[tau_min:tau_max] < thresh)[0]
    periodic = len(below) > 0
    t = tau_min + (below[0] if periodic else int(np.argmin(cmnd[tau_min:tau_max])))  # else the global minimum
    while t + 1 < tau_max and cmnd[t + 1] < cmnd[t]:  # walk down to the local minimum
        t += 1
    a, b, c = cmnd[t - 1], cmnd[t], cmnd[t + 1]  # parabolic interpolation of the dip
    shift = 0.5 * (a - c) / (a - 2 * b + c) if a - 2 * b + c > 0 else 0.0
    return SR / (t + shift), float(b), periodic


SILENT_RMS = 0.01


def note_pitch(audio: np.ndarray, fmin: float = 60, fmax: float = 1100) -> dict:
    """Over 8 frames of 0.2–0.8 s → {f0: YIN's median f0 (None if silent), f0_clean: the median over frames that
    dip below the threshold (None unless half do), aperiodicity: median CMND at the chosen periods, silent}."""
    tau_min, tau_max = int(SR / fmax), int(SR / fmin)
    n = 2 * tau_max + 256
    seg = audio[int(0.2 * SR):int(0.8 * SR)]
    if float(np.sqrt(np.mean(seg.astype(np.float64) ** 2))) < SILENT_RMS:
        return {"f0": None, "f0_clean": None, "aperiodicity": 1.0, "silent": True}
    starts = np.linspace(int(0.2 * SR), int(0.8 * SR) - n, 8).astype(int)
    frames = [yin_frame(audio[s:s + n].astype(np.float64), tau_min, tau_max) for s in starts]
    clean = [f for f, _, periodic in frames if periodic]
    return {"f0": float(np.median([f for f, _, _ in frames])),
            "f0_clean": float(np.median(clean)) if len(clean) >= len(starts) / 2 else None,
            "aperiodicity": float(np.median([c for _, c, _ in frames])), "silent": False}


def note_f0(audio: np.ndarray) -> float | None:
    return note_pitch(audio)["f0"]


def decay(audio: np.ndarray) -> float | None:
    """RMS over 0.7–0.9 s / RMS over 0.1–0.3 s; None for a note that is silent early on."""
    rms = lambda a, b: float(np.sqrt(np.mean(np.square(audio[int(a * SR):int(b * SR)], dtype=np.float64))))  # noqa: E731
    early = rms(0.1, 0.3)
    return None if early < SILENT_RMS else rms(0.7, 0.9) / early
