"""Values a card template shows that are computed from the recorded facts (shares as percentages, lists,
sentences that depend on measured figures): one function per template. Each takes the facts (model.json +
card.json + sha256) and returns the extra ones; no figure is invented here, only derived."""
from __future__ import annotations

import json
import math
import re



def _emoji(f: dict) -> dict:
    d = f["dataset"]
    return {"held_percent": round(100 * d["held_fraction"]), "train_thousands": round(d["train"] / 1000, 1)}


def _gan(f: dict) -> dict:
    # a conv layer's MACs grow with the square of its width: DCGAN's 64 against ours
    return {**_emoji(f), "width_saving": round((64 / f["training"]["args"]["ngf"]) ** 2)}


def _names(tensors: list[dict]) -> str:
    return ", ".join(t["name"] for t in tensors)


def _rbm(f: dict) -> dict:
    g = f["graphs"]["gibbs"]
    return {"held_percent": round(100 * f["dataset"]["held_fraction"]), "visible": g["inputs"][0]["shape"][1],
            "hidden": g["inputs"][1]["shape"][1], "inputs": _names(g["inputs"]), "outputs": _names(g["outputs"])}


def _vae(f: dict) -> dict:
    image = f["image"]
    # loss = MSE + kl_weight·KL/npix is a Gaussian decoder's NLL with kl_weight = 2σ²
    return {**_emoji(f), "vaegan": f["family"] == "vaegan", "npix": image["channels"] * image["height"] * image["width"],
            "sigma": math.sqrt(f["training"]["args"]["kl_weight"] / 2)}


TEXT_LR_DEFAULT = 3e-3  # train_char_lstm.py's --lr default: the card's command names --lr only when it differs


def _char_lstm(f: dict) -> dict:
    g = f["graphs"]["step"]
    h = next(t for t in g["inputs"] if t["name"] == "h")["shape"]  # (layers, batch, hidden)
    golden = json.loads((f["model_dir"] / "golden.json").read_text())
    # samples.md: the export's samples joined by a rule; the card quotes each
    samples = (f["model_dir"] / "samples.md").read_text().removesuffix("\n").split("\n\n---\n\n")
    return {"layers": h[0], "hidden": h[2], "vocab_size": g["outputs"][0]["shape"][1], "greedy": golden["greedy"],
            "lr_flag": f["training"]["args"]["lr"] != TEXT_LR_DEFAULT, "last_seed": f["export"]["sample_seeds"][-1],
            "samples_quoted": "\n\n".join("> " + s.replace("\n", "\n> ") for s in samples)}


WAVENET_LR_DEFAULT = 2e-3  # train_wavenet.py's --lr default: named in the card's command only when it differs
PITCH_GOAL = 0.9  # share of notes within 50 cents the WaveNet was asked to reach
NOISY_APERIODICITY = 0.6  # the card calls a note above this aperiodicity mostly noise
STRUCK_DECAY, DECAYS = 0.5, 0.7  # rendered decay below 0.5: a struck instrument; generated below 0.7: it decays
NOTE_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]


def _sci(x: float) -> str:
    """1e-4, not Python's 0.0001 or 1e-04: how the card writes a tolerance."""
    mantissa, exponent = f"{x:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _note(midi: int) -> str:
    return f"{NOTE_NAMES[midi % 12]}{midi // 12 - 1}"


def _wavenet(f: dict) -> dict:
    m, net, audio, tr = f["metrics"], f["network"], f["audio"], f.get("training", {})
    args = tr.get("args", {})
    sr, rf = audio["sampleRate"], net["receptive_field"]
    golden = json.loads((f["model_dir"] / "golden.json").read_text())
    by = f.get("by_instrument", {})
    struck = [k for k, v in by.items() if v["data_decay"] < STRUCK_DECAY]
    decaying = [k for k in struck if by[k]["decay"] is not None and by[k]["decay"] < DECAYS]
    chain, link = [], tr.get("init_from")
    while link:  # the warm-start chain, newest first, as each run recorded the checkpoint it started from
        noise = f", input noise σ = {link['input_noise']:g}" if link.get("input_noise") else ""
        chain.append(f"`{link['run']}` at step {link['step']:,} ({link['minutes']:.0f} min{noise})")
        link = link.get("init_from")
    temperature = m.get("pitch_eval_temperature", 1)
    return {
        "khz": sr // 1000, "layers": len(net["dilations"]), "rf_ms": rf / (sr / 1000), "state_queue": rf - 1,
        "low_note": _note(audio["pitchMin"]), "high_note": _note(audio["pitchMax"]),
        "low_period": round(sr / (440 * 2 ** ((audio["pitchMin"] - 69) / 12))),
        "taus": ", ".join(f"{t:g}" for t in net.get("time_taus", [])),
        "instruments": ", ".join(f"{n} (GM {p + 1})" for n, p in f["dataset"]["instruments"]),
        "silent_dbfs": round(-20 * math.log10(f["dataset"]["silent_peak"])),
        "note_s": f["dataset"]["hold_s"] + f["dataset"]["release_s"],
        "goal_missed": not f.get("placeholder") and m.get("pitch_within_50_cents", 1) < PITCH_GOAL,
        "goal_percent": round(100 * PITCH_GOAL), "lr_flag": args.get("lr") != WAVENET_LR_DEFAULT,
        "level_range": args.get("level_range", "0.5,2").replace(",", ", "), "warm_chain": " ← ".join(chain),
        "warm_score": (tr.get("init_from") or {}).get("held_out_bits_here") if args.get("held_only") else None,
        "held_only": bool(args.get("held_only")),
        "worst": ", ".join(sorted(by, key=lambda k: by[k]["on_pitch"])[:4]),
        "noisy": ", ".join(k for k, v in by.items() if (v["aperiodicity"] or 0) > NOISY_APERIODICITY),
        "noisy_threshold": NOISY_APERIODICITY, "struck_all_decay": len(decaying) == len(struck),
        "not_decaying": ", ".join(k for k in struck if k not in decaying),
        "decay_pairs": ", ".join(f"{k} {by[k]['decay']} against {by[k]['data_decay']}" for k in struck
                                 if by[k]["decay"] is not None),
        "time_gain": m.get("time_features_gain_bits", "n/a"),
        "hot": temperature > 1, "cool": temperature < 1, "has_t1": "silent_share_at_t1" in m,
        "silent_t1": m.get("silent_share_at_t1", 0),
        "instrument_rows": "\n".join(
            f"| {k} | {v['on_pitch']:.0%} | {v['aperiodicity']} | {v['decay'] if v['decay'] is not None else 'silent'} "
            f"| {v['data_decay']} |" for k, v in by.items()),
        "golden_b": golden["cases"][0]["inputs"]["noise"]["shape"][0],
        "golden_n": [c["inputs"]["noise"]["shape"][1] for c in golden["cases"]],
        "example_links": ", ".join(f"[{n}](examples/{n})" for n in f["export"]["examples"]),
        "parity_tolerance": f"{_sci(f['export']['parity_atol'])} + {_sci(f['export']['parity_rtol'])}·|logit|",
        "warm_started": bool(args.get("init") or args.get("init_onnx")),
        "init_flag": f"--init {args['init']}" if args.get("init") else f"--init-onnx {args.get('init_onnx')}",
        "ss_share": args.get("ss_share", 0),
        "omp_threads": (re.search(r"(\d+) thread", tr.get("hardware", "")) or [None, 2])[1],
        "graph_files": " and ".join(f"`{g['file']}`" for g in f["graphs"].values()),
        "posthoc": "posthoc_envelope" in f,
        "posthoc_rows": "\n".join(
            f"| {k} | {v['clean']:.0%} | {v['decay']} | {v['posthoc_decay']} | {v['data_decay']} |"
            for k, v in f.get("posthoc_envelope", {}).get("by_instrument", {}).items()),
    }


DERIVE = {"gan": _gan, "vae": _vae, "rbm": _rbm, "char-lstm": _char_lstm, "wavenet": _wavenet}


def derive(facts: dict) -> dict:
    fn = DERIVE.get(facts["template"])
    return fn(facts) if fn else {}
