"""Export the instrument-note WaveNet to the studio: one ONNX `Loop` graph that generates a chunk of samples.

    OMP_NUM_THREADS=1 /usr/bin/python3 training/export_wavenet.py --run training/runs/wavenet --out models/wavenet-notes

Writes generate.onnx (opset 17), golden.json, examples/*.wav (1 s, 16-bit), model.json and CARD.md. Fails
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

from lstudio.card import hardware, metrics_table, write_card
from lstudio.export import PARITY_ATOL, files_hash, run_exported, write_golden
from lstudio.wavenet import U_MAX, FastGenerator, WaveNet, sample
from lstudio.wavenet_loop import build_generate
from lstudio.wavenet_eval import pitch_accuracy, time_features_gain
from lstudio.audio import write_wav

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 2000  # samples per graph run (125 ms): the studio streams a chunk at a time
LOGIT_RTOL = 1e-6  # relative part of the logit tolerance: float32 carries ~6e-8 relative, and a logit passes ~10 ops


def feeds(fg: FastGenerator, ins: list[int], pitch: list[int], temp: list[float], n: int, seed: int) -> dict:
    b = len(ins)
    return {"instrument": np.array(ins, np.int64), "pitch": np.array(pitch, np.int64),
            "temperature": np.array(temp, np.float32),
            "noise": np.random.default_rng(seed).random((b, n), dtype=np.float32),
            "prev": np.full(b, 128, np.int64), "state": np.zeros((b, fg.state_size()), np.float32)}


def torch_run(fg: FastGenerator, f: dict) -> dict:
    t = {k: torch.from_numpy(v) for k, v in f.items()}
    audio, prev, state = fg.generate(t["instrument"], t["pitch"], t["temperature"], t["noise"], t["prev"], t["state"])
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
    prev, start = torch.from_numpy(f["prev"]), fg.start(torch.from_numpy(f["instrument"]), torch.from_numpy(f["pitch"]))
    inv_t, diff, agree = 1 / torch.from_numpy(f["temperature"]).view(b, 1), 0.0, 0
    rel, pdiff = 0.0, 0.0
    for i in range(n):
        u = torch.from_numpy(f["noise"][:, i:i + 1]).clamp(max=U_MAX)
        code, buf, hist, logits = fg.step(prev, buf, hist, start, inv_t, u, torch.full((b,), float(i)))
        d = np.abs(logits.numpy() - ort["logits_seq"][i])
        diff, rel = max(diff, float(d.max())), max(rel, float((d / (PARITY_ATOL + LOGIT_RTOL * np.abs(logits.numpy()))).max()))
        pdiff = max(pdiff, float((torch.softmax(logits * inv_t, -1) - torch.softmax(torch.from_numpy(ort["logits_seq"][i]) * inv_t, -1)).abs().max()))
        ort_code = torch.from_numpy(codes[:, i].copy())
        for r in np.nonzero((code != ort_code).numpy())[0]:  # a differing sample must be a CDF tie
            cdf = torch.cumsum(torch.softmax(logits[r] * inv_t[r], -1), -1)
            gap = float((cdf - u[r]).abs().min())
            assert gap < 1e-5, f"sampled code differs at step {i} (row {r}) without a tie (gap {gap:.3g})"
        agree += int((code == ort_code).sum())
        prev = ort_code  # follow ORT's trajectory so the logits stay comparable
        assert torch.equal(sample(logits, inv_t, u), code)
    return rel, diff, pdiff, agree / (b * n)


def check_split(path: Path, f: dict, n: int) -> None:
    """Two runs (n, then the rest, feeding prev_out/state_out back) == one run, to the byte."""
    whole = run_exported(path, f)
    first = run_exported(path, {**f, "noise": f["noise"][:, :n]})
    second = run_exported(path, {**f, "noise": f["noise"][:, n:], "prev": first["prev_out"], "state": first["state_out"]})
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


def manifest(a, net: WaveNet, meta: dict, metrics: dict, S: int, version: str) -> dict:
    spec = lambda n, t, s: {"name": n, "dtype": t, "shape": s}  # noqa: E731
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
        "graphs": {"generate": {"file": "generate.onnx",
                                "inputs": [spec("instrument", "int64", ["batch"]), spec("pitch", "int64", ["batch"]),
                                           spec("temperature", "float32", ["batch"]),
                                           spec("noise", "float32", ["batch", "chunk"]), spec("prev", "int64", ["batch"]),
                                           spec("state", "float32", ["batch", S])],
                                "outputs": [spec("audio", "float32", ["batch", "chunk"]), spec("prev_out", "int64", ["batch"]),
                                            spec("state_out", "float32", ["batch", S])]}},
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
             "help": "Notes generated together; voice i uses seed + i"}],
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
    a = p.parse_args()
    net, meta, ck = load(a)
    fg = FastGenerator(net, meta["pitch_min"])
    S = fg.state_size()
    a.out.mkdir(parents=True, exist_ok=True)
    path = a.out / "generate.onnx"
    onnx.save(build_generate(net, meta["pitch_min"]), str(path))
    n_inst, pmin, pmax = len(meta["instruments"]), meta["pitch_min"], meta["pitch_max"]
    with tempfile.TemporaryDirectory() as tmp:
        debug = Path(tmp) / "debug.onnx"
        onnx.save(build_generate(net, pmin, with_logits=True), str(debug))
        f = feeds(fg, [0, n_inst // 2, n_inst - 1], [pmin, (pmin + pmax) // 2, pmax], [1.0, 0.7, 1.3], 400, 1)
        rel, diff, pdiff, agree = check_parity(fg, debug, f)
    assert rel <= 1, f"ONNX Runtime logits differ from PyTorch by {diff:.3g} ({rel:.2f}× the tolerance)"
    check_split(path, feeds(fg, [1, 2], [pmin + 3, pmax - 2], [1.0, 0.9], 300, 2), 120)
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
        acc = pitch_accuracy(path, meta, a.eval_notes, seed=7, temperature=a.eval_temperature)
        metrics.update({k: v for k, v in acc.items() if not isinstance(v, (list, dict))})
        by_instrument = acc["by_instrument"]
        if net.time_taus:
            metrics["time_features_gain_bits"] = time_features_gain(net)
        if a.eval_temperature != 1.0:  # what the default temperature buys: the silent share at temperature 1
            metrics["silent_share_at_t1"] = pitch_accuracy(path, meta, a.eval_notes, seed=7, temperature=1.0)["silent_share"]
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
    fe = feeds(fg, [i for i, _ in picks], [q for _, q in picks], [a.eval_temperature] * 4, 16000, 11)
    audio = run_exported(path, fe)["audio"]
    names = []
    for (i, q), wav in zip(picks, audio):
        names.append(f"{meta['instruments'][i].replace(' ', '-')}-{q}.wav")
        write_wav(ex / names[-1], wav)
    version = "placeholder" if ck is None else str(ck["step"])
    (a.out / "model.json").write_text(json.dumps(manifest(a, net, meta, metrics, S, version), indent=2) + "\n")
    write_card(a.out / "CARD.md", "Instrument notes WaveNet (`wavenet-notes`)", card_sections(a, net, meta, ck, metrics, speed, names, path, by_instrument))
    print(json.dumps(metrics))


def _noisy_text(by_instrument: dict) -> str:
    noisy = [k for k, v in by_instrument.items() if (v["aperiodicity"] or 0) > 0.6]
    return (f"Where the aperiodicity is above ~0.6 (here: {', '.join(noisy)}) a note is mostly noise with a faint "
            "pitch. " if noisy else "The noisiest are the struck instruments (see By instrument). ")


def _envelope_text(net: WaveNet, m: dict, by_instrument: dict) -> str:
    """What the card says about note envelopes, from the measured decay (eval_wavenet.decay)."""
    struck = [k for k, v in by_instrument.items() if v["data_decay"] < 0.5]
    pairs = ", ".join(f"{k} {by_instrument[k]['decay']} against {by_instrument[k]['data_decay']}" for k in struck
                      if by_instrument[k]["decay"] is not None)
    decaying = [k for k in struck if by_instrument[k]["decay"] is not None and by_instrument[k]["decay"] < 0.7]
    if len(decaying) == len(struck):
        return f"Struck notes decay (decay, generated against rendered: {pairs})."
    why = ("The time-since-onset features (see Model) are used by the network (zeroing them costs "
           f"{m.get('time_features_gain_bits', 'n/a')} bits/sample of held-out NLL) but did not teach it the envelope: "
           "in training the context already shows the level, so the clock adds little, and in generation the "
           "network's own noise keeps the level up." if net.time_taus else
           "The 17-ms receptive field cannot tell how far into the note it is.")
    return (f"Struck notes do not decay as they should ({', '.join(k for k in struck if k not in decaying)}; decay, "
            f"generated against rendered: {pairs}): they hold a constant level. {why}")


def card_sections(a, net: WaveNet, meta: dict, ck: dict | None, metrics: dict, speed: dict, names: list[str], path: Path,
                  by_instrument: dict) -> dict:
    from lstudio import nsynth_data as nd
    c = net.config
    inst = ", ".join(f"{n} (GM {p + 1})" for n, p in nd.INSTRUMENTS)
    status = ("**UNTRAINED PLACEHOLDER.** Random weights, exported only so the studio can integrate the graph; it "
              "plays noise. The trained export replaces this file.\n\n" if ck is None else
              f"**Not yet a dependable instrument: {metrics['pitch_within_50_cents']:.0%} of its notes sound at the "
              "requested pitch** (goal 90 %; see Limitations).\n\n" if metrics.get("pitch_within_50_cents", 1) < 0.9 else "")
    sec = {"What it does": status +
           f"A WaveNet (μ-law, 256 classes) conditioned on instrument and pitch generates a note sample by sample at "
           f"16 kHz. The studio runs `generate.onnx`: one ONNX `Loop` that produces {CHUNK} samples per run (the noise "
           "input's length), carrying the dilation queues (`state`) and the last code (`prev`) between runs, so audio "
           "streams chunk by chunk and several voices run as one batch. Sampling is in-graph (inverse CDF on one "
           "uniform per sample that TypeScript draws from the seed), so the same seed gives the same bytes.",
           "Model": f"Residual channels {c['residual']}, skip {c['skip']}, {len(c['dilations'])} gated layers "
                    f"(tanh·sigmoid) with dilations {c['dilations']} and kernel {c['kernel']} (receptive field "
                    f"{net.receptive_field} samples = {net.receptive_field / 16:.1f} ms, more than two periods of the "
                    f"lowest note, C3 = 122 samples), residual and skip paths, a 2-layer ReLU head. Global conditioning: "
                    f"instrument + pitch embeddings ({c['embed']}) → per-layer gate biases, computed once per run outside "
                    f"the Loop. Period tap (the pitch-dependent dilation of Quasi-Periodic WaveNet, Wu et al. 2019): the "
                    f"first layer's input adds an embedding of the code one period of the requested pitch ago, "
                    f"T = 16 kHz / f = k + a samples, interpolated between c[t−k] and c[t−k−1], so continuing the last "
                    f"period is one linear path away; the last {net.history} codes ride in the state. Why: two earlier "
                    f"runs of the same network without it (one plain, 1.9k steps; one with a sin/cos oscillator at the "
                    f"pitch as local conditioning, 5.5k steps, held-out 3.29 bits/sample) generated unpitched noise: 0 % of notes "
                    f"within 50 cents at temperature 1 (below 1 they fell silent). Warm-started from the oscillator run with the "
                    f"tap added at zero, 500 steps later 40 % of notes had a clean pitch. Training on noisy inputs "
                    f"(`--input-noise` σ = 2 and 4 codes, continuing from this run for 65 and 50 min; measured on another seed at temperature 1) made pitched notes "
                    f"cleaner (46–48 % clean against 28 %) but let more notes fall silent (20–22 % against 12 %) and "
                    f"scored lower overall (78 % and 68 % against 88 % for this run at its step 1,878), so these weights come from "
                    f"the run without it. Kernel 4 instead of WaveNet's 2: a "
                    f"batch-1 step is bound by per-node overhead, so fewer layers with more taps reach the same receptive "
                    f"field faster. {metrics['parameters']:,} parameters, {metrics['onnx_mb']} MB; state "
                    f"{net.receptive_field - 1} × {c['residual']} queue floats + {net.history} codes per voice" +
                    (" + its position since the onset." if net.time_taus else "."),
           "Data": f"Notes rendered by `training/lstudio/nsynth_data.py` (one fluidsynth 2.3 run over one MIDI file, "
                   f"reverb and chorus off, 16 kHz mono) from the MuseScore General soundfont (Debian "
                   f"`musescore-general-soundfont`, MIT; fluidsynth is LGPL-2.1 and only renders, it is not shipped). "
                   f"Instruments: {inst} — one per GM family with pitched, sustained or struck notes. Pitches MIDI "
                   f"{meta['pitch_min']}–{meta['pitch_max']} (C3–C5): two octaves every instrument plays and a 2-core "
                   f"machine can learn. Velocities {nd.VELOCITIES}; 1 s held + 0.25 s release; notes with peak below "
                   f"−60 dBFS dropped (none were), each note peak-normalised to {nd.PEAK}. Held out: every note at "
                   f"velocity {nd.HELD_VELOCITY} — every (instrument, pitch) pair stays in training so the studio can "
                   f"ask for any of them, and the held-out NLL measures unseen notes (another dynamic layer and envelope).",
           }
    if net.time_taus:
        sec["Model"] += (
            f" Time since the onset: each layer's gate bias also gets a linear map of exp(−p / (τ · 16 kHz)) for τ = "
            f"{', '.join(f'{t:g}' for t in net.time_taus)} s, p = the sample's index since the onset (carried as the "
            "state's last float). Why: the receptive field is 17 ms, so without it the network cannot know how far "
            "into a note it is, and struck notes (piano, vibraphone, guitar) came out at a constant level instead of "
            "decaying. Added at zero to the trained weights and fine-tuned on the held first second of each note "
            "(not the release, or every note would end at 1 s; a note lasts as long as the studio asks). Tried and "
            "dropped: continuing with `--level-aug 0.5` (half the windows' input codes re-encoded at a gain of 1/2–2, "
            "targets untouched, to make the network take the level from the clock): after 386 steps (6 min) the "
            "held-out NLL was 3.79 bits/sample against 2.62, notes were far noisier (median aperiodicity 0.56 against "
            "0.17, 6 % clean against 52 %; seed 99, temperature 1) and piano notes still did not decay (0.98); a milder "
            "one from the final weights (20 % of windows, gains 1–1.3, lr 3e-4), after 289 steps: held-out 2.69 against "
            "2.55, aperiodicity 0.18 against 0.11 (seed 99, temperature 0.9), piano still 1.03, and trumpet notes "
            "now died away (0.13 against 0.98 rendered).")
    if ck is None:
        sec["Training"] = ("Not trained: random weights (seed 0). The trained model comes from "
                           "`OMP_NUM_THREADS=1 /usr/bin/python3 training/train_wavenet.py --minutes 85` then "
                           "`OMP_NUM_THREADS=1 /usr/bin/python3 training/export_wavenet.py`.")
    else:
        args, mins = ck["args"], ck["elapsed"] / 60
        init, warm = args.get("init"), ""
        if init:
            chain, link, total = [], ck.get("init_from"), mins
            while link:  # the warm-start chain, newest first, as each run recorded the checkpoint it started from
                noise = f", input noise σ = {link['input_noise']:g}" if link.get("input_noise") else ""
                chain.append(f"`{link['run']}` at step {link['step']:,} ({link['minutes']:.0f} min{noise})")
                total += link["minutes"]
                link = link.get("init_from")
            warm = (" Warm starts (`--init`), each from the checkpoint before: " + " ← ".join(chain) + ". The oldest of "
                    "them is the run before the period tap existed (commit 18cc4a9's `train_wavenet.py`, whose "
                    "oscillator input this model drops; every other weight carried over). In all, "
                    f"{total:.0f} min of training on this machine.")
        noise = args.get("input_noise")
        sec["Training"] = (f"`OMP_NUM_THREADS=2 /usr/bin/python3 training/train_wavenet.py --minutes {round(mins)} "
                           f"--schedule-minutes {args['schedule_minutes']:g}" +
                           (f" --out {args['out']} --init {init}" if init else "") +
                           (f" --input-noise {noise:g}" if noise else "") +
                           (f" --time-taus {args['time_taus']} --held-only" if args.get("time_taus") else "") +
                           (f" --level-aug {args['level_aug']:g} --level-range {args.get('level_range', '0.5,2')}" if args.get("level_aug") else "") +
                           (f" --lr {args['lr']:g}" if args.get("lr") != 2e-3 else "") +
                           "` then `OMP_NUM_THREADS=1 /usr/bin/python3 training/export_wavenet.py" +
                           (f" --run {args['out']}" if init else "") + "`. Teacher forcing, cross-entropy on μ-law "
                           f"codes, {args['batch']} windows of {args['window']} samples per step "
                           f"({args['onset_share']:.0%} start at the onset from silence, exactly as generation starts)" +
                           (f", input codes perturbed by Gaussian noise of σ = {noise:g} codes (targets clean), so the "
                            "model learns to pull its own noisy output back to a clean waveform" if noise else "") +
                           (f", {args['level_aug']:.0%} of windows with their input codes re-encoded at a gain "
                            f"log-uniform in [{args.get('level_range', '0.5,2').replace(',', ', ')}] (targets untouched), so the level comes from instrument, pitch and "
                            "time since onset and not only from the network's own past" if args.get("level_aug") else "") +
                           f", Adam lr {args['lr']} with cosine decay, gradient clip 1, weight EMA {args['ema']} "
                           f"(exported). {ck['step']:,} steps in {mins:.0f} min on {hardware(ck)}, sharing the 2-core "
                           f"machine with other work.{warm}" +
                           (f" With `--held-only` the held-out NLL covers the held first second of the held-out notes "
                            f"only; on the same windows the warm start scored {ck['init_from']['held_out_bits_here']:.3f} "
                            "bits/sample." if args.get("held_only") and (ck.get("init_from") or {}).get("held_out_bits_here") else ""))
    if ck is not None and metrics.get("pitch_within_50_cents", 0) < 0.9:
        m = metrics
        worst = sorted(by_instrument, key=lambda k: by_instrument[k]["on_pitch"])[:4]
        sec["Limitations"] = (
            f"**The pitch goal is not met: {m['pitch_within_50_cents']:.0%} of generated notes are within 50 cents "
            f"of the requested pitch (goal ≥ 90 %)**; those that are, are close (median error "
            f"{m['pitch_median_cents_error']} cents). Two ways a note fails: {m['silent_share']:.0%} of notes fall "
            "silent (the note never starts, or dies, and the period tap then copies silence), and the rest of the "
            f"misses are noise. Pitched notes are noisy too: the median aperiodicity is {m['aperiodicity_median']} "
            f"(YIN's CMND at the period; {m['data_aperiodicity_median']} for the rendered notes), and only "
            f"{m['pitch_within_50_cents_clean']:.0%} of notes are clean enough that YIN's threshold alone finds "
            f"their pitch. By instrument: see the table below; the weakest ({', '.join(worst)}) "
            "mostly come out as loud noise at a constant level, where the real notes have a broadband attack and "
            "then decay. What should help: more training (the NLL was still falling), a GPU for a larger network, "
            "and training on the model's own output (scheduled sampling) so it learns to recover from its noise; "
            "the graph interface stays valid for a better checkpoint.")
    elif ck is not None:
        m = metrics
        sec["Limitations"] = (
            f"**Pitched, but noisy.** {m['pitch_within_50_cents']:.0%} of generated notes are within 50 cents of the "
            f"requested pitch at temperature {m['pitch_eval_temperature']:g} (median error "
            f"{m['pitch_median_cents_error']} cents), but they carry much more noise "
            f"than the real notes: the median aperiodicity is {m['aperiodicity_median']} (YIN's CMND at the period) "
            f"against {m['data_aperiodicity_median']} for the rendered notes, and only "
            f"{m['pitch_within_50_cents_clean']:.0%} of notes are clean enough that YIN's threshold alone finds their "
            f"pitch. {m['silent_share']:.0%} of notes fell silent. " + _noisy_text(by_instrument) +
            _envelope_text(net, m, by_instrument) + " The studio's default temperature is "
            f"{m['pitch_eval_temperature']:g}" + (" because lower temperatures let more notes fall silent" +
            (f" ({m['silent_share_at_t1']:.0%} at 1.0)" if "silent_share_at_t1" in m else "") if m['pitch_eval_temperature'] > 1 else
            " (chosen on another seed, 99, among 0.8–1.2: the lowest median aperiodicity with no silent note; at 1.0, "
            f"{m.get('silent_share_at_t1', 0):.0%} of these notes fell silent)" if m['pitch_eval_temperature'] < 1 else "") +
            ". What should help: more training, a GPU for a larger network, and training on the "
            "model's own output (scheduled sampling). The pitch range is MIDI "
            f"{meta['pitch_min']}–{meta['pitch_max']}; " + ("the network was fine-tuned on the first (held) second of each note, "
            "so longer notes are extrapolation." if ck["args"].get("held_only") else
            "training notes are 1.25 s, so longer notes are extrapolation."))
    if by_instrument:
        sec["By instrument"] = (
            "Generated notes (5 per instrument, seed 7, as in Metrics) beside the rendered held-out notes. Decay = RMS over "
            "0.7–0.9 s ÷ RMS over 0.1–0.3 s (a struck note decays: well below 1; a held one stays near 1).\n\n"
            "| instrument | on pitch | aperiodicity | decay, generated | decay, rendered |\n| --- | --- | --- | --- | --- |\n" +
            "\n".join(f"| {k} | {v['on_pitch']:.0%} | {v['aperiodicity']} | {v['decay'] if v['decay'] is not None else 'silent'} "
                      f"| {v['data_decay']} |" for k, v in by_instrument.items()))
    held_only = ck is not None and ck["args"].get("held_only")
    notes = {"held_out_nll_bits_per_sample": "cross-entropy on held-out notes" + (" (their held first second)" if held_only else "") +
                                             ", bits per sample (8 = uniform over 256 codes)",
             "pitch_within_50_cents": f"share of generated notes ({a.eval_notes} per instrument, 1 s, through generate.onnx in onnxruntime-node) within 50 cents of the requested pitch; f0 by YIN as published (first CMND dip below 0.15, else its global minimum) on 8 frames of 0.2–0.8 s; a silent note counts as a miss",
             "pitch_eval_temperature": "temperature of the pitch evaluation",
             "pitch_median_cents_error": "median |cents| between estimated f0 and requested pitch",
             "pitch_within_50_cents_clean": "the same, counting only frames whose CMND dips below YIN's 0.15 threshold (a note buried in noise misses)",
             "aperiodicity_median": "median over notes of YIN's CMND at the chosen period: 0 = perfectly periodic, about 1 = noise",
             "silent_share": "share of generated notes with RMS below 0.01 over 0.2–0.8 s",
             "silent_share_at_t1": "the same at temperature 1 (the same notes and noise)",
             "decay_log2_error_median": "median over instruments of |log2(generated decay ÷ rendered decay)|, decay = RMS 0.7–0.9 s ÷ RMS 0.1–0.3 s (0 = the same envelope shape)",
             "time_features_gain_bits": "held-out NLL with the time-since-onset weights zeroed minus with them (how much the network uses the clock)",
             "data_aperiodicity_median": "the same aperiodicity for the rendered held-out notes",
             "data_pitch_within_50_cents": "the same estimator on the rendered training notes (its own ceiling)",
             "ort_rtf_b1": "seconds of audio per second, one voice, onnxruntime-node, 1 thread (busy 2-core machine)",
             "ort_rtf_b8": "the same for 8 voices together (aggregate)",
             "parity_max_abs_diff": "max |PyTorch − ONNX Runtime| of the per-step logits along a 400-sample run; each must be "
                                    "within 1e-4 + 1e-6·|logit| (float32 rounding grows with the logit: the largest differences sit "
                                    "at logits of codes that cannot occur, near −400)",
             "parity_max_prob_diff": "max |PyTorch − ONNX Runtime| of the per-step sampling probabilities (at each voice's temperature)",
             "parity_sample_agreement": "share of sampled codes equal in PyTorch and ONNX Runtime for the same noise",
             "onnx_mb": "size of generate.onnx", "parameters": "trainable parameters"}
    sec["Metrics"] = metrics_table(metrics, notes) + (
        f"\n\nSpeed measured by `training/wavenet_speed.mjs` at export time (chunk {CHUNK}); on this process's CPU time "
        f"alone (what an idle core gives) it was {speed['cpu_b1']:.2f}× (1 voice) and {speed['cpu_b8']:.2f}× (8 voices). "
        "`npm run bench` measures it again beside PyTorch.")
    sec["Files"] = (f"`generate.onnx` (sha256 prefix `{files_hash([path])}`), `golden.json` (a fresh 64-sample run at "
                    f"b = 2, then a 32-sample continuation from its state), and 1-s examples (seed 11, temperature {a.eval_temperature:g}): " +
                    ", ".join(f"[{n}](examples/{n})" for n in names) + ".")
    return sec


if __name__ == "__main__":
    main()
