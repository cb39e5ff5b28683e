"""NSynth-like instrument notes rendered with fluidsynth and the MuseScore General soundfont (MIT).

    /usr/bin/python3 -c "from lstudio.nsynth_data import load_notes; load_notes()"   # from training/

One fluidsynth run renders every note from one MIDI file (~6 ms of CPU per note), then we slice it.
Each note: 1.0 s held + 0.25 s release = 1.25 s at 16 kHz, mono, reverb and chorus off (a dry note is
what the model is asked to play; reverb tails would bleed into the next note). Silent notes (pitch outside
the instrument's samples) are dropped by peak level; the rest are peak-normalised to PEAK, so the level
does not depend on the soundfont's per-instrument gain. Stored as mu-law codes (uint8) in
training/.cache/nsynth_notes.npz.

Held-out split: every note at velocity HELD_VELOCITY (one of 5 velocities). Every (instrument, pitch) pair
stays in training, so the studio can ask for any of them, and the held-out NLL measures how well the model
predicts notes it never saw (a different dynamic: velocity changes the soundfont layer and envelope).
"""
from __future__ import annotations

import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np

CACHE = Path(__file__).resolve().parent.parent / ".cache"
SOUNDFONT = Path("/usr/share/sounds/sf3/MuseScore_General_Full.sf3")
SAMPLE_RATE = 16000
# (name shown in the studio, GM program 0-based): one per GM family that plays sustained pitched notes
INSTRUMENTS = [("piano", 0), ("electric piano", 4), ("vibraphone", 11), ("reed organ", 20), ("nylon guitar", 24),
               ("bass", 33), ("violin", 40), ("trumpet", 56), ("flute", 73), ("square lead", 80)]
# C3..C5: two octaves a 2-core machine can learn; the lowest period (C3, 122 samples) fits the receptive field
PITCH_MIN, PITCH_MAX = 48, 72
VELOCITIES = [50, 70, 90, 110, 127]
HELD_VELOCITY = 90
HOLD_S, RELEASE_S, SLOT_S = 1.0, 0.25, 2.0  # slot: note + silence so the previous note has died away
PEAK = 0.9
SILENT_PEAK = 1e-3  # raw peak below this (−60 dBFS): fluidsynth had no sample for that pitch
MU = 255


def mulaw_encode(x: np.ndarray) -> np.ndarray:
    """float in [-1, 1] → int64 codes 0..255 (128 = silence)."""
    y = np.sign(x) * np.log1p(MU * np.abs(np.clip(x, -1, 1))) / np.log1p(MU)
    return np.floor((y + 1) / 2 * MU + 0.5).astype(np.int64)


def mulaw_decode(code: np.ndarray) -> np.ndarray:
    """codes 0..255 → float32 in [-1, 1]; decode(encode(x)) is within one quantisation step of x."""
    y = 2 * np.asarray(code, np.float64) / MU - 1
    return (np.sign(y) * ((1 + MU) ** np.abs(y) - 1) / MU).astype(np.float32)


def note_table() -> list[tuple[int, int, int]]:
    """Every (instrument index, pitch, velocity) rendered, in MIDI order."""
    return [(i, p, v) for i in range(len(INSTRUMENTS)) for p in range(PITCH_MIN, PITCH_MAX + 1) for v in VELOCITIES]


def _write_midi(path: Path, table: list[tuple[int, int, int]]) -> None:
    import mido
    mid = mido.MidiFile(ticks_per_beat=480)  # default tempo 120 bpm → 960 ticks per second
    tr = mido.MidiTrack()
    mid.tracks.append(tr)
    tps = 960
    hold, rest = round(HOLD_S * tps), round((SLOT_S - HOLD_S) * tps)
    prog = -1
    for inst, pitch, vel in table:
        program = INSTRUMENTS[inst][1]
        if program != prog:
            tr.append(mido.Message("program_change", program=program, time=0))
            prog = program
        tr.append(mido.Message("control_change", control=120, value=0, time=0))  # all sound off: no bleed
        tr.append(mido.Message("note_on", note=pitch, velocity=vel, time=0))
        tr.append(mido.Message("note_off", note=pitch, velocity=0, time=hold))
        tr.append(mido.Message("control_change", control=123, value=0, time=rest))
    mid.save(str(path))


def _render(table: list[tuple[int, int, int]], gain: float = 0.6) -> np.ndarray:
    """One fluidsynth run → mono float32 at 16 kHz."""
    with tempfile.TemporaryDirectory() as tmp:
        midi, wav = Path(tmp) / "notes.mid", Path(tmp) / "notes.wav"
        _write_midi(midi, table)
        subprocess.run(["fluidsynth", "-ni", "-q", "-R", "0", "-C", "0", "-g", str(gain), "-r", str(SAMPLE_RATE),
                        "-F", str(wav), str(SOUNDFONT), str(midi)], check=True, capture_output=True)
        with wave.open(str(wav)) as w:
            assert w.getframerate() == SAMPLE_RATE and w.getsampwidth() == 2, "fluidsynth wrote an unexpected format"
            pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2").reshape(-1, w.getnchannels())
    return pcm.astype(np.float32).mean(axis=1) / 32768


def render_notes() -> dict[str, np.ndarray]:
    """Render, slice, drop silent, normalise. Returns codes (n, T) uint8 and labels (n,) each."""
    table = note_table()
    audio = _render(table)
    slot, length = round(SLOT_S * SAMPLE_RATE), round((HOLD_S + RELEASE_S) * SAMPLE_RATE)
    codes, inst, pitch, vel = [], [], [], []
    for k, (i, p, v) in enumerate(table):
        seg = audio[k * slot:k * slot + slot]
        if len(seg) < slot or np.abs(seg).max() < SILENT_PEAK:
            continue
        # start just before the onset: fluidsynth starts notes on 64-sample block boundaries
        onset = max(0, int(np.argmax(np.abs(seg) > SILENT_PEAK)) - 8)
        note = seg[onset:onset + length]
        note = np.pad(note, (0, length - len(note)))
        note = note * (PEAK / np.abs(note).max())
        codes.append(mulaw_encode(note).astype(np.uint8))
        inst.append(i), pitch.append(p), vel.append(v)
    return {"codes": np.stack(codes), "instrument": np.array(inst), "pitch": np.array(pitch),
            "velocity": np.array(vel)}


def load_notes() -> dict[str, np.ndarray]:
    """Cached render: codes (n, 20000) uint8 mu-law, instrument/pitch/velocity (n,) int64."""
    cache = CACHE / "nsynth_notes.npz"
    if not cache.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        d = render_notes()
        np.savez_compressed(cache, **d)
    z = np.load(cache)
    return {k: z[k] for k in z.files}


def held_out_mask(velocity: np.ndarray) -> np.ndarray:
    return velocity == HELD_VELOCITY


def summary() -> dict:
    """The data facts a model card states: instruments (name, GM program), velocities, held-out velocity, note
    timing, level, the silence threshold, and how many rendered notes were dropped as silent (measured)."""
    return {"instruments": [list(x) for x in INSTRUMENTS], "velocities": VELOCITIES, "held_velocity": HELD_VELOCITY,
            "hold_s": HOLD_S, "release_s": RELEASE_S, "peak": PEAK, "silent_peak": SILENT_PEAK,
            "dropped": len(note_table()) - len(load_notes()["codes"])}
