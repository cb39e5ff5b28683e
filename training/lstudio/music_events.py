"""PerformanceRNN events (Oore et al. 2018): notes with absolute times ↔ one token stream.

Vocabulary (389 tokens; the token id is what the step graph reads):
    0..127    NOTE_ON  pitch p                (starts p at the current velocity)
    128..255  NOTE_OFF pitch p - 128
    256..355  TIME_SHIFT (id - 255) steps of 10 ms  (1..100 steps: 10 ms..1 s; longer gaps repeat it)
    356..387  VELOCITY bin (id - 356): MIDI velocity 4·bin + 3  (32 bins of 4 over 1..127)
    388       START: a piece begins (the model is primed with it to write from nothing)

Times are rounded to the 10 ms grid, so MIDI → events → MIDI moves every onset and release by ≤ 5 ms.
At one instant note-offs come before velocity and note-ons (a repeated pitch re-strikes cleanly); a velocity
event is written only when the bin changes. Decoding is forgiving, as the sampler may write anything:
NOTE_ON of a sounding pitch ends it and strikes it again, NOTE_OFF of a silent pitch is ignored, notes
still sounding at the end are released there, and no note lasts longer than MAX_NOTE_S (as in the data).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NOTE_ON, NOTE_OFF, TIME_SHIFT, VELOCITY, START = 0, 128, 256, 356, 388
VOCAB = 389
STEP_S = 0.01      # one time-shift step: 10 ms (PerformanceRNN's grid; finer than a 32nd note at 240 bpm)
MAX_SHIFT = 100    # steps per TIME_SHIFT token: up to 1 s
VEL_BINS = 32
MAX_NOTE_S = 8.0   # the training data cuts notes there (lstudio/midi_data.py); decoding does the same


@dataclass
class Notes:
    """Parallel arrays, one row per note: start/end in seconds, MIDI pitch 0..127, velocity 1..127."""
    start: np.ndarray
    end: np.ndarray
    pitch: np.ndarray
    velocity: np.ndarray

    def __len__(self) -> int:
        return len(self.pitch)

    @staticmethod
    def of(rows: list[tuple[float, float, int, int]]) -> "Notes":
        a = np.array(rows, np.float64).reshape(-1, 4)
        return Notes(a[:, 0], a[:, 1], a[:, 2].astype(np.int64), a[:, 3].astype(np.int64))

    def sorted(self) -> "Notes":
        o = np.lexsort((self.pitch, self.start))
        return Notes(self.start[o], self.end[o], self.pitch[o], self.velocity[o])


def velocity_bin(v: np.ndarray | int) -> np.ndarray:
    return np.clip((np.asarray(v) - 1) // 4, 0, VEL_BINS - 1)


def bin_velocity(b):
    """Bin (int or array) → the MIDI velocity it decodes to: the middle of its 4 values."""
    return 4 * b + 3


def kind(token: int) -> str:
    return ("on" if token < NOTE_OFF else "off" if token < TIME_SHIFT else "shift" if token < VELOCITY
            else "velocity" if token < START else "start")


def encode(notes: Notes, stretch: float = 1.0) -> np.ndarray:
    """Notes → (n,) int16 tokens (no START). `stretch` scales every time (augmentation: 1.05 = 5 % slower)."""
    on = np.round(notes.start * stretch / STEP_S).astype(np.int64)
    off = np.maximum(np.round(notes.end * stretch / STEP_S).astype(np.int64), on + 1)  # ≥ 1 step long
    # one row per edge: (time, order, pitch, velocity bin); order 0 = off before 1 = on at the same step
    t = np.concatenate([off, on])
    order = np.concatenate([np.zeros(len(off), np.int64), np.ones(len(on), np.int64)])
    pitch = np.concatenate([notes.pitch, notes.pitch])
    vbin = np.concatenate([np.zeros(len(off), np.int64), velocity_bin(notes.velocity)])
    idx = np.lexsort((pitch, order, t))
    out: list[int] = []
    now, cur_bin = 0, -1
    for i in idx:
        gap = int(t[i]) - now
        while gap > 0:
            s = min(gap, MAX_SHIFT)
            out.append(TIME_SHIFT + s - 1)
            gap -= s
        now = int(t[i])
        if order[i] == 0:
            out.append(NOTE_OFF + int(pitch[i]))
        else:
            if vbin[i] != cur_bin:
                cur_bin = int(vbin[i])
                out.append(VELOCITY + cur_bin)
            out.append(NOTE_ON + int(pitch[i]))
    return np.array(out, np.int16)


def decode(tokens, stretch: float = 1.0) -> Notes:
    """Tokens → Notes (forgiving, see the module doc). `stretch` scales time: tempo t bpm → 120 / t."""
    now, vel = 0, bin_velocity(VEL_BINS // 2)
    sounding: dict[int, tuple[int, int]] = {}  # pitch → (start step, velocity)
    rows: list[tuple[float, float, int, int]] = []

    def release(p: int) -> None:
        s, v = sounding.pop(p)
        end = min(max(now, s + 1), s + round(MAX_NOTE_S / STEP_S))
        rows.append((s * STEP_S * stretch, end * STEP_S * stretch, p, v))

    for tok in (int(x) for x in tokens):
        if tok < NOTE_OFF:
            if tok in sounding:
                release(tok)
            sounding[tok] = (now, vel)
        elif tok < TIME_SHIFT:
            if tok - NOTE_OFF in sounding:
                release(tok - NOTE_OFF)
        elif tok < VELOCITY:
            now += tok - TIME_SHIFT + 1
        elif tok < START:
            vel = bin_velocity(tok - VELOCITY)
    for p in list(sounding):
        release(p)
    return Notes.of(rows).sorted()


def transpose(tokens: np.ndarray, semitones: int) -> np.ndarray:
    """Shift every NOTE_ON/NOTE_OFF; the caller checks the piece's range stays inside 0..127."""
    t = tokens.astype(np.int64)
    is_note = t < TIME_SHIFT
    out = t.copy()
    out[is_note] += semitones
    return out.astype(tokens.dtype)


def pitch_range(tokens: np.ndarray) -> tuple[int, int]:
    p = tokens[tokens < NOTE_OFF].astype(np.int64)
    return (int(p.min()), int(p.max())) if len(p) else (60, 60)


def seconds(tokens: np.ndarray) -> float:
    t = tokens.astype(np.int64)
    shifts = t[(t >= TIME_SHIFT) & (t < VELOCITY)]
    return float((shifts - TIME_SHIFT + 1).sum() * STEP_S)
