"""Pitch accuracy of the exported WaveNet: does a generated note sound at the pitch it was asked for?

    OMP_NUM_THREADS=1 /usr/bin/python3 training/eval_wavenet.py models/wavenet-notes --notes 3

Generates `--notes` notes per instrument (pitches drawn from the low, middle and high third of the range),
1 s each at --temperature (default 1), through the EXPORTED graph in onnxruntime-node (training/ort_run.mjs; all notes
as one batch), estimates f0 with YIN (de Cheveigné & Kawahara 2002) on 8 frames of 0.2–0.8 s of each note, and
reports the share within 50 cents of the requested pitch and the median |cents| error, two ways:
  - `pitch_within_50_cents`: YIN as published — per frame the first dip of the cumulative mean normalised
    difference (CMND) below 0.15, else its global minimum; the note's f0 is the median over frames. A silent note
    (RMS < 0.01 over 0.2–0.8 s) has no f0 and counts as a miss.
  - `pitch_within_50_cents_clean`: only frames that really dip below 0.15 count, and a note needs half of them:
    a note that is pitched but buried in noise counts as a miss here.
`aperiodicity_median` is the median CMND at the chosen period (0: perfectly periodic, ~1: noise), so a reader
sees how noisy the pitched notes are; `silent_share` the notes that fell silent. The same estimator on the
rendered training notes gives its own ceiling. `decay` is each note's envelope shape, the RMS over 0.7–0.9 s
divided by the RMS over 0.1–0.3 s (a piano note decays: well below 1; an organ holds: about 1), reported per
instrument beside the rendered held-out notes', and `decay_log2_error_median` is the median over instruments of
|log2(generated / rendered)| (0: the same shape; 1: off by a factor of 2). Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import wave
from pathlib import Path

import numpy as np

SR = 16000


def write_wav(path: Path, audio: np.ndarray) -> None:
    """float in [-1, 1] → 16-bit PCM mono WAV at 16 kHz."""
    pcm = (np.clip(audio, -1, 1) * 32767).round().astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(SR)
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


def score(audios: np.ndarray, pitches: np.ndarray) -> dict:
    notes = [note_pitch(a) for a in audios]
    cents = lambda f0, p: None if f0 is None else 1200 * np.log2(f0 / (440 * 2 ** ((p - 69) / 12)))  # noqa: E731
    yin = [cents(n["f0"], p) for n, p in zip(notes, pitches)]
    clean = [cents(n["f0_clean"], p) for n, p in zip(notes, pitches)]
    hit = [c is not None and abs(c) < 50 for c in yin]
    on = [abs(c) for c, h in zip(yin, hit) if h]
    return {"pitch_within_50_cents": round(sum(hit) / len(notes), 4),
            "pitch_within_50_cents_clean": round(sum(c is not None and abs(c) < 50 for c in clean) / len(notes), 4),
            "pitch_median_cents_error": round(float(np.median(on)), 1) if on else "n/a",
            "aperiodicity_median": round(float(np.median([n["aperiodicity"] for n in notes])), 3),
            "silent_share": round(sum(n["silent"] for n in notes) / len(notes), 4),
            "cents": [None if c is None else round(float(c), 1) for c in yin],
            "aperiodicity": [round(n["aperiodicity"], 3) for n in notes],
            "decay": [decay(a) for a in audios]}


def pitch_accuracy(path: Path, meta: dict, per_instrument: int, seed: int, temperature: float = 1.0) -> dict:
    from lstudio.export import run_exported
    from lstudio.wavenet_loop import load_from_onnx
    from lstudio.wavenet import FastGenerator
    rng = np.random.default_rng(seed)
    pmin, pmax, n_inst = meta["pitch_min"], meta["pitch_max"], len(meta["instruments"])
    edges = np.linspace(pmin, pmax + 1, per_instrument + 1).astype(int)
    ins = np.repeat(np.arange(n_inst), per_instrument)
    pitch = np.array([rng.integers(edges[k], edges[k + 1]) for _ in range(n_inst) for k in range(per_instrument)])
    b = len(ins)
    S = FastGenerator(load_from_onnx(path)[0], pmin).state_size()
    out = run_exported(path, {"instrument": ins.astype(np.int64), "pitch": pitch.astype(np.int64),
                              "temperature": np.full(b, temperature, np.float32),
                              "noise": rng.random((b, SR), dtype=np.float32),
                              "prev": np.full(b, 128, np.int64), "state": np.zeros((b, S), np.float32)})
    result = {**score(out["audio"], pitch), "pitch_eval_temperature": temperature}
    on = [c is not None and abs(c) < 50 for c in result["cents"]]
    span = lambda k: slice(k * per_instrument, (k + 1) * per_instrument)  # noqa: E731 (notes are grouped by instrument)
    data_pitch, data_ap, data_decay = data_ceiling()
    med = lambda xs: round(float(np.median(xs)), 2) if xs else None  # noqa: E731
    result["by_instrument"] = {name: {"on_pitch": round(float(np.mean(on[span(k)])), 2),
                                      "aperiodicity": med(result["aperiodicity"][span(k)]),
                                      "decay": med([x for x in result["decay"][span(k)] if x is not None]),
                                      "data_decay": data_decay[k]}
                               for k, name in enumerate(meta["instruments"])}
    errs = [abs(np.log2(v["decay"] / v["data_decay"])) for v in result["by_instrument"].values() if v["decay"]]
    result["decay_log2_error_median"] = round(float(np.median(errs)), 2) if errs else "n/a"
    result["data_pitch_within_50_cents"], result["data_aperiodicity_median"] = data_pitch, data_ap
    result["notes"] = [f"{meta['instruments'][i]} {p}" for i, p in zip(ins, pitch)]
    return result


def data_ceiling() -> tuple[float, float, list[float]]:
    """The estimator on the rendered held-out notes (velocity 90): how often it finds the true pitch, how
    periodic real notes are, and each instrument's median decay."""
    from lstudio.nsynth_data import held_out_mask, load_notes, mulaw_decode
    d = load_notes()
    m = held_out_mask(d["velocity"])
    r = score(mulaw_decode(d["codes"][m]), d["pitch"][m])
    ins = d["instrument"][m]
    decays = [round(float(np.median([x for x, i in zip(r["decay"], ins) if i == k and x is not None])), 2)
              for k in range(int(d["instrument"].max()) + 1)]
    return r["pitch_within_50_cents"], r["aperiodicity_median"], decays


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model_dir", type=Path)
    p.add_argument("--notes", type=int, default=3, help="notes per instrument")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--temperature", type=float, default=1.0)
    a = p.parse_args()
    manifest = json.loads((a.model_dir / "model.json").read_text())
    au = manifest["audio"]
    meta = {"pitch_min": au["pitchMin"], "pitch_max": au["pitchMax"], "instruments": au["instruments"]}
    print(json.dumps(pitch_accuracy(a.model_dir / manifest["graphs"]["generate"]["file"], meta, a.notes, a.seed, a.temperature)))


if __name__ == "__main__":
    main()
