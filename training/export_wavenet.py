"""Export the instrument-note WaveNet to the studio: one ONNX `Loop` graph that generates a chunk of samples.

    OMP_NUM_THREADS=1 /usr/bin/python3 training/export_wavenet.py --run training/runs/wavenet --out models/wavenet-notes

Writes generate.onnx (opset 17), golden.json, examples/*.wav (1 s, 16-bit), model.json (graphs read from the
ONNX file), card.json and CARD.md (training/cards/wavenet.md, earlier runs in wavenet.notes.md). Fails
unless (1) the Loop's per-step logits in ONNX Runtime (onnxruntime-node) match PyTorch's fast generator along
the same trajectory within 1e-4, (2) the sampled audio equals PyTorch's for the same noise (a differing
sample is allowed only at a CDF tie), (3) generating n then m samples (state carried) equals n + m at once.
Then measures the real-time factor in onnxruntime-node and the pitch accuracy (eval_wavenet.py).
`--placeholder` exports random weights (integration only; the card says so).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch

from lstudio import nsynth_data
from lstudio.audio import SR, write_wav
from lstudio.card import training_record, write_model_card
from lstudio.export import PARITY_ATOL, run_exported, write_golden
from lstudio.loop import ROOT
from lstudio.manifest import write_manifest
from lstudio.wavenet import U_MAX, FastGenerator, WaveNet, sample
from lstudio.wavenet_envelope import build_envelope_graph, envelope_table
from lstudio.wavenet_eval import pitch_accuracy, studio_envelope, time_features_gain
from lstudio.wavenet_loop import build_generate

EVAL_SEED = 7  # the pitch evaluation's notes and noise
EXAMPLE_S, EXAMPLE_SEED = 1, 11  # examples/*.wav: four 1-s notes
CHUNK = 2000  # samples per graph run (125 ms): the studio streams a chunk at a time
PARITY_SAMPLES = 400  # per-step logits compared along this many samples (> 3 periods of the lowest note)
LOGIT_RTOL = 1e-6  # relative part of the logit tolerance: float32 carries ~6e-8 relative, and a logit passes ~10 ops


def feeds(fg: FastGenerator, ins: list[int], pitch: list[int], temp: list[float], n: int, seed: int,
          envelope: np.ndarray | None = None) -> dict:
    """Graph inputs; with the envelope input, velocities 50…127 across the batch and `envelope` (b, n) (default:
    decaying ramps of different slopes, so parity covers a moving level)."""
    b, g = len(ins), np.random.default_rng(seed)
    f = {"instrument": np.array(ins, np.int64), "pitch": np.array(pitch, np.int64),
         "temperature": np.array(temp, np.float32), "noise": g.random((b, n), dtype=np.float32),
         "prev": np.full(b, 128, np.int64), "state": np.zeros((b, fg.state_size()), np.float32)}
    if fg.net.has_envelope:
        ramp = np.linspace(0, 1, n, dtype=np.float32)[None] * g.uniform(0.2, 0.8, (b, 1)).astype(np.float32)
        f["velocity"] = np.linspace(50, 127, b).round().astype(np.float32)
        f["envelope"] = (0.9 - ramp).astype(np.float32) if envelope is None else envelope.astype(np.float32)
    return f


def torch_run(fg: FastGenerator, f: dict) -> dict:
    t = {k: torch.from_numpy(v) for k, v in f.items()}
    audio, prev, state = fg.generate(t["instrument"], t["pitch"], t["temperature"], t["noise"], t["prev"], t["state"],
                                     t.get("velocity"), t.get("envelope"))
    return {"audio": audio.numpy(), "prev_out": prev.numpy(), "state_out": state.numpy()}


@torch.no_grad()
def check_parity(fg: FastGenerator, debug_path: Path, f: dict) -> tuple[float, float, float, float]:
    """Step-level logits along ORT's own trajectory, and sampled-code agreement. Returns (the largest logit
    difference as a share of its tolerance PARITY_ATOL + LOGIT_RTOL·|logit| (≤ 1 passes), the largest absolute
    logit difference, the largest probability difference, sampled-code agreement)."""
    ort = run_exported(debug_path, f)
    codes = ort["codes"].T  # (b, n)
    b, n = f["noise"].shape
    buf, hist = fg.zero_state(b)
    vel = torch.from_numpy(f["velocity"]) if "velocity" in f else None
    prev, start = torch.from_numpy(f["prev"]), fg.start(torch.from_numpy(f["instrument"]), torch.from_numpy(f["pitch"]), vel)
    inv_t, diff, agree = 1 / torch.from_numpy(f["temperature"]).view(b, 1), 0.0, 0
    rel, pdiff = 0.0, 0.0
    for i in range(n):
        u = torch.from_numpy(f["noise"][:, i:i + 1]).clamp(max=U_MAX)
        env = torch.from_numpy(f["envelope"][:, i]) if "envelope" in f else None
        code, buf, hist, logits = fg.step(prev, buf, hist, start, inv_t, u, torch.full((b,), float(i)), env)
        d = np.abs(logits.numpy() - ort["logits_seq"][i])
        diff, rel = max(diff, float(d.max())), max(rel, float((d / (PARITY_ATOL + LOGIT_RTOL * np.abs(logits.numpy()))).max()))
        pdiff = max(pdiff, float((torch.softmax(logits * inv_t, -1) - torch.softmax(torch.from_numpy(ort["logits_seq"][i]) * inv_t, -1)).abs().max()))
        ort_code = torch.from_numpy(codes[:, i].copy())
        for r in np.nonzero((code != ort_code).numpy())[0]:  # a differing sample must be a CDF tie
            cdf = torch.cumsum(torch.softmax(logits[r] * inv_t[r], -1), -1)
            gap = float((cdf - u[r]).abs().min())
            assert gap < 1e-5, f"sampled code differs at step {i} (row {r}) without a tie (gap {gap:.3g})"
        agree += int((code == ort_code).sum())
        prev = ort_code  # follow ORT's trajectory so the logits stay comparable: the previous code AND the history
        hist = torch.cat([hist[:, :-1], ort_code[:, None]], 1)  # (after a tie, the period tap reads ORT's code)
        assert torch.equal(sample(logits, inv_t, u), code)
    return rel, diff, pdiff, agree / (b * n)


def check_split(path: Path, f: dict, n: int) -> None:
    """Two runs (n, then the rest, feeding prev_out/state_out back) == one run, to the byte."""
    whole = run_exported(path, f)
    cut = lambda sl: {k: f[k][:, sl] for k in ("noise", "envelope") if k in f}  # noqa: E731 (per-sample inputs)
    first = run_exported(path, {**f, **cut(slice(None, n))})
    second = run_exported(path, {**f, **cut(slice(n, None)), "prev": first["prev_out"], "state": first["state_out"]})
    assert np.array_equal(np.concatenate([first["audio"], second["audio"]], 1), whole["audio"]), "chunk split changes audio"
    assert np.array_equal(second["state_out"], whole["state_out"]), "chunk split changes the state"


def load(a: argparse.Namespace) -> tuple[WaveNet, dict, dict | None]:
    if a.placeholder:
        from lstudio import nsynth_data as nd
        torch.manual_seed(0)
        meta = {"instruments": [n for n, _ in nd.INSTRUMENTS], "pitch_min": nd.PITCH_MIN, "pitch_max": nd.PITCH_MAX}
        return WaveNet(len(meta["instruments"]), nd.PITCH_MAX - nd.PITCH_MIN + 1, pitch_min=nd.PITCH_MIN).eval(), meta, None
    ck = torch.load(a.run / "ckpt.pt", map_location="cpu")
    net = WaveNet(**ck["config"])
    net.load_state_dict(ck["ema"])
    return net.eval(), ck["meta"], ck


def ort_speed(path: Path) -> dict:
    out = subprocess.run(["node", str(ROOT / "training/wavenet_speed.mjs"), str(path), "1,8", "2", str(CHUNK)],
                         check=True, capture_output=True, text=True).stdout
    return {k: round(v, 3) for k, v in json.loads(out).items()}


def add_posthoc_envelope(out: Path) -> None:
    """envelope.onnx beside an exported generate.onnx without the envelope input, and model.json's graphs and params
    for the studio's interim post-hoc envelope (the rest of model.json untouched)."""
    table = envelope_table(nsynth_data.load_notes())
    onnx.save(build_envelope_graph(table, nsynth_data.PITCH_MIN, nsynth_data.VELOCITIES), str(out / "envelope.onnx"))
    check_envelope_graph(out / "envelope.onnx", table, nsynth_data.PITCH_MIN)
    m = json.loads((out / "model.json").read_text())
    graphs = {role: g["file"] for role, g in m.pop("graphs").items()}
    keys = {q["key"] for q in envelope_params(True)}
    m["params"] = [q for q in m["params"] if q["key"] not in keys] + envelope_params(True)
    write_manifest(out, m, graphs={**graphs, "envelope": "envelope.onnx"})
    record = json.loads((out / "card.json").read_text())
    record["posthoc_envelope"] = posthoc_record(out, m, record)
    write_model_card(out, record)
    print(json.dumps(record["posthoc_envelope"]))


def posthoc_record(out: Path, m: dict, record: dict) -> dict:
    """The card's figures both ways, in one run on the card's notes (seed, temperature): the model's notes as they
    come, and the same notes scaled by the natural envelope at velocity 90 afterwards."""
    au, ex = m["audio"], record["export"]
    meta = {"pitch_min": au["pitchMin"], "pitch_max": au["pitchMax"], "instruments": au["instruments"]}
    runs = {way: pitch_accuracy(out / "generate.onnx", meta, ex["eval_notes"], seed=ex["eval_seed"],
                                temperature=ex["eval_temperature"], posthoc=way == "posthoc") for way in ("plain", "posthoc")}
    keys = ("pitch_within_50_cents_clean", "aperiodicity_median", "silent_share", "decay_log2_error_median")
    return {"velocity": nsynth_data.HELD_VELOCITY, **{way: {k: r[k] for k in keys} for way, r in runs.items()},
            "by_instrument": {k: {"clean": v["clean"], "decay": v["decay"], "posthoc_decay": runs["posthoc"]["by_instrument"][k]["decay"],
                                  "data_decay": v["data_decay"]} for k, v in runs["plain"]["by_instrument"].items()}}


def check_envelope_graph(path: Path, table: np.ndarray, pmin: int) -> None:
    """The envelope graph gives the rendered layers' frames at their velocities and blends between them."""
    v = nsynth_data.VELOCITIES
    got = run_exported(path, {"instrument": np.array([0, 3, 9], np.int64), "pitch": np.array([pmin, pmin + 7, pmin + 24], np.int64),
                              "velocity": np.array([v[0], 80, 127], np.int64)})["frames"]
    want = np.stack([table[0, 0, 0], (table[3, 7, 1].astype(np.float32) + table[3, 7, 2]) / 2, table[9, 24, 4]]) / 255
    assert np.abs(got - want).max() < 1e-6, "envelope graph: frames differ from the table"


def chord_params() -> list[dict]:
    """Polyphony (src/common/chord.ts): the notes of a chord, one voice each in one batch."""
    return [{"key": "chord", "label": "Chord", "type": "text", "maxLength": 120, "default": "",
             "help": "Notes played together, e.g. C4 E4 G4 or 60 64 67 (one voice each, mixed in the pane); empty: the one pitch above"}]


def envelope_params(posthoc: bool = False) -> list[dict]:
    """The loudness envelope the model is conditioned on (src/engine/families/wavenet-envelope.ts); posthoc: a model
    without that input, whose output the studio scales by the envelope afterwards (interim, labelled as such)."""
    after = " (applied to the output after generation: this model does not follow an envelope itself)"
    return [
        {"key": "velocity", "label": "Velocity", "type": "int", "min": 30, "max": 127, "default": nsynth_data.HELD_VELOCITY,
         "help": "Picks the natural envelope of the soundfont's note at this velocity (MIDI; rendered at 50, 70, 90, 110, 127)"
         if posthoc else "How hard the note is played (MIDI 1–127; trained on 50, 70, 110 and 127): timbre and the natural envelope"},
        {"key": "envelope", "label": "Envelope (post-hoc)" if posthoc else "Envelope", "type": "enum",
         "options": ["none", "natural", "adsr"] if posthoc else ["natural", "adsr"], "default": "none" if posthoc else "natural",
         "help": ("none: the note as the model makes it; " if posthoc else "") +
                 "natural: the loudness envelope of the soundfont's own note at this instrument, pitch and velocity; "
                 "adsr: attack, decay, sustain and release below" + (after if posthoc else "")},
        {"key": "attack", "label": "Attack (s)", "type": "float", "min": 0.005, "max": 1, "step": 0.005, "default": 0.01,
         "help": "ADSR: time from silence to the peak"},
        {"key": "decay", "label": "Decay (s)", "type": "float", "min": 0.01, "max": 2, "step": 0.01, "default": 0.3,
         "help": "ADSR: time from the peak down to the sustain level"},
        {"key": "sustain", "label": "Sustain (dB)", "type": "float", "min": -40, "max": 0, "step": 1, "default": -12,
         "help": "ADSR: level held until the release, below the peak"},
        {"key": "release", "label": "Release (s)", "type": "float", "min": 0.01, "max": 2, "step": 0.01, "default": 0.25,
         "help": "ADSR: time from the sustain level to silence at the end of the note"}]


def manifest(a, meta: dict, metrics: dict, version: str, envelope: bool = False, posthoc: bool = False) -> dict:
    """model.json without its graphs (lstudio.manifest reads those from generate.onnx)."""
    return {
        "schema": 1, "id": a.out.name, "family": "wavenet", "title": "Instrument notes WaveNet",
        "description": "A small WaveNet that plays single notes of 10 instruments (fluidsynth renders of the MuseScore "
                       "General soundfont), sample by sample, streamed in chunks." +
                       (" UNTRAINED PLACEHOLDER: random weights, noise only." if a.placeholder else "") +
                       (f" Not yet a dependable instrument: {metrics['pitch_within_50_cents']:.0%} of its notes sound at "
                        "the requested pitch (goal 90 %); the others are noisy, unpitched textures (see the card)."
                        if metrics.get("pitch_within_50_cents", 1) < 0.9 else
                        " Its notes are pitched but noisy (see the card)." if not a.placeholder else ""),
        "version": version,
        "audio": {"sampleRate": 16000, "instruments": meta["instruments"], "pitchMin": meta["pitch_min"],
                  "pitchMax": meta["pitch_max"], "chunk": CHUNK},
        "params": [
            {"key": "instrument", "label": "Instrument", "type": "enum", "options": meta["instruments"],
             "default": meta["instruments"][0], "help": "The instrument the note is conditioned on"},
            {"key": "pitch", "label": "Pitch (MIDI)", "type": "int", "min": meta["pitch_min"], "max": meta["pitch_max"],
             "default": 60, "help": "MIDI note number; 60 is middle C"},
            {"key": "seconds", "label": "Seconds", "type": "float", "min": 0.25, "max": 4, "step": 0.25, "default": 1,
             "help": "Length of the note; the training notes were 1.25 s (1 s held, then released)"},
            {"key": "temperature", "label": "Temperature", "type": "float", "min": 0.5, "max": 1.5, "step": 0.05,
             "default": a.eval_temperature, "help": "Below 1: cleaner and more regular; above 1: noisier"},
            {"key": "voices", "label": "Voices", "type": "int", "min": 1, "max": 8, "default": 1,
             "help": "Notes generated together; voice i uses seed + i"}] + chord_params() + (envelope_params(posthoc) if envelope or posthoc else []),
        "ep": "cpu",
        "license": "MIT (weights trained on renders of the MIT-licensed MuseScore General soundfont)",
        "data": {"source": "Debian musescore-general-soundfont (MuseScore_General_Full.sf3) rendered with fluidsynth 2.3",
                 "license": "MIT (soundfont); fluidsynth (LGPL-2.1) is only the renderer and is not shipped"},
        "metrics": metrics, "card": "CARD.md"}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", type=Path, default=ROOT / "training/runs/wavenet")
    p.add_argument("--out", type=Path, default=ROOT / "models/wavenet-notes")
    p.add_argument("--placeholder", action="store_true", help="random weights, for integration only")
    p.add_argument("--eval-notes", type=int, default=5, help="generated notes per instrument for pitch accuracy")
    p.add_argument("--eval-temperature", type=float, default=1.0,
                   help="temperature of the pitch evaluation, and the studio's default")
    p.add_argument("--envelope-table-only", action="store_true",
                   help="add envelope.onnx and the post-hoc envelope params to the model in --out, leaving generate.onnx, "
                        "its card and metrics as they are (a model without the envelope input)")
    a = p.parse_args()
    if a.envelope_table_only:
        return add_posthoc_envelope(a.out)
    net, meta, ck = load(a)
    fg = FastGenerator(net, meta["pitch_min"])
    a.out.mkdir(parents=True, exist_ok=True)
    path = a.out / "generate.onnx"
    onnx.save(build_generate(net, meta["pitch_min"]), str(path))
    n_inst, pmin, pmax = len(meta["instruments"]), meta["pitch_min"], meta["pitch_max"]
    with tempfile.TemporaryDirectory() as tmp:
        debug = Path(tmp) / "debug.onnx"
        onnx.save(build_generate(net, pmin, with_logits=True), str(debug))
        f = feeds(fg, [0, n_inst // 2, n_inst - 1], [pmin, (pmin + pmax) // 2, pmax], [1.0, 0.7, 1.3], PARITY_SAMPLES, 1)
        rel, diff, pdiff, agree = check_parity(fg, debug, f)
    assert rel <= 1, f"ONNX Runtime logits differ from PyTorch by {diff:.3g} ({rel:.2f}× the tolerance)"
    check_split(path, feeds(fg, [1, 2], [pmin + 3, pmax - 2], [1.0, 0.9], 300, 2), 120)
    graphs = {"generate": path.name}
    posthoc = not net.has_envelope and not a.placeholder  # the studio's interim post-hoc envelope for it
    if net.has_envelope or posthoc:  # the studio's default envelopes: the rendered notes' own (lstudio.wavenet_envelope)
        table = envelope_table(nsynth_data.load_notes())
        onnx.save(build_envelope_graph(table, pmin, nsynth_data.VELOCITIES), str(a.out / "envelope.onnx"))
        check_envelope_graph(a.out / "envelope.onnx", table, pmin)
        graphs["envelope"] = "envelope.onnx"
    elif (a.out / "envelope.onnx").exists():
        (a.out / "envelope.onnx").unlink()
    # golden: a fresh start (b=2, 64 samples), then a continuation from its prev/state (32 samples)
    f1 = feeds(fg, [0, n_inst - 1], [60, pmin], [1.0, 0.8], 64, 3)
    o1 = torch_run(fg, f1)
    f2 = {**feeds(fg, [0, n_inst - 1], [60, pmin], [1.2, 0.6], 32, 4), "prev": o1["prev_out"], "state": o1["state_out"]}
    cases = [(f1, o1), (f2, torch_run(fg, f2))]
    for fi, oi in cases:
        got = run_exported(path, fi)
        assert np.array_equal(got["prev_out"], oi["prev_out"]), "golden: sampled codes differ"
        assert max(float(np.abs(got[k] - oi[k]).max()) for k in ("audio", "state_out")) <= PARITY_ATOL
    write_golden(a.out / "golden.json", "generate", cases)
    metrics: dict = {}
    by_instrument: dict = {}
    if ck is not None:
        metrics["held_out_nll_bits_per_sample"] = round(float(ck["held_out_bits"]), 4)
        acc = pitch_accuracy(path, meta, a.eval_notes, seed=EVAL_SEED, temperature=a.eval_temperature)
        metrics.update({k: v for k, v in acc.items() if not isinstance(v, (list, dict))})
        by_instrument = acc["by_instrument"]
        if net.time_taus:
            metrics["time_features_gain_bits"] = time_features_gain(net)
        if a.eval_temperature != 1.0:  # what the default temperature buys: the silent share at temperature 1
            metrics["silent_share_at_t1"] = pitch_accuracy(path, meta, a.eval_notes, seed=EVAL_SEED, temperature=1.0)["silent_share"]
    speed = ort_speed(path)
    metrics.update({"ort_rtf_b1": speed["b1"], "ort_rtf_b8": speed["b8"], "parity_max_abs_diff": float(f"{diff:.3g}"),
                    "parity_max_prob_diff": float(f"{pdiff:.3g}"),
                    "parity_sample_agreement": round(agree, 4), "onnx_mb": round(path.stat().st_size / 2 ** 20, 3),
                    "parameters": int(sum(p.numel() for p in net.parameters()))})
    ex = a.out / "examples"
    ex.mkdir(exist_ok=True)
    for old in ex.glob("*.wav"):
        old.unlink()
    picks = [(0, 60), (n_inst // 2, 67), (n_inst - 2, 55), (n_inst - 1, 48)]
    fe = feeds(fg, [i for i, _ in picks], [q for _, q in picks], [a.eval_temperature] * 4, EXAMPLE_S * SR, EXAMPLE_SEED)
    if net.has_envelope:  # the studio's default: the natural envelope of a 1.25-s note at velocity 90, first second
        fe.update(studio_envelope(a.out / "envelope.onnx", fe["instrument"], fe["pitch"], nsynth_data.HELD_VELOCITY,
                                  int(SR * (nsynth_data.HOLD_S + nsynth_data.RELEASE_S)), EXAMPLE_S * SR))
    audio = run_exported(path, fe)["audio"]
    names = []
    for (i, q), wav in zip(picks, audio):
        names.append(f"{meta['instruments'][i].replace(' ', '-')}-{q}.wav")
        write_wav(ex / names[-1], wav)
    version = "placeholder" if ck is None else str(ck["step"])
    m = write_manifest(a.out, manifest(a, meta, metrics, version, net.has_envelope, posthoc), graphs=graphs)
    record = card_record(a, net, ck, by_instrument, speed, names)
    if posthoc:
        record["posthoc_envelope"] = posthoc_record(a.out, m, record)
    write_model_card(a.out, record)
    print(json.dumps(metrics))


def card_record(a, net: WaveNet, ck: dict | None, by_instrument: dict, speed: dict, names: list[str]) -> dict:
    """What the card states beyond model.json (training/cards/wavenet.md): the network, the training run and
    its warm-start chain, the data set, the per-instrument evaluation, the CPU-time speed, the examples."""
    record = {"template": "wavenet", "placeholder": ck is None,
              "network": {**net.config, "time_taus": list(net.time_taus), "receptive_field": net.receptive_field,
                          "history": net.history, "classes": net.out.out_features},
              "dataset": nsynth_data.summary(), "by_instrument": by_instrument,
              "speed": {"cpu_b1": speed["cpu_b1"], "cpu_b8": speed["cpu_b8"]},
              "export": {"eval_notes": a.eval_notes, "eval_seed": EVAL_SEED, "eval_temperature": a.eval_temperature,
                         "example_seconds": EXAMPLE_S, "example_seed": EXAMPLE_SEED, "examples": names,
                         "parity_samples": PARITY_SAMPLES, "parity_atol": PARITY_ATOL, "parity_rtol": LOGIT_RTOL}}
    if ck is not None:
        training, link = training_record(ck), ck.get("init_from")
        training["total_minutes"] = round(ck["elapsed"] / 60, 1)
        while link:  # every warm start's own minutes: the card gives the whole chain's training time
            training["total_minutes"] += link["minutes"]
            link = link.get("init_from")
        record["training"] = training
    return record


if __name__ == "__main__":
    main()
