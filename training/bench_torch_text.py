"""PyTorch eager sampling loop for `npm run bench` (text.chars_per_s.*), on the *same* weights the studio
ships: read back from step.onnx (8-bit codes × scales → fp32), the graph's arithmetic checked against
golden.json before timing.

    OMP_NUM_THREADS=1 /usr/bin/python3 training/bench_torch_text.py models/lstm-austen --batches 1,8

The loop is what a PyTorch user would write: one nn.LSTM call per character for the whole batch (b, 1),
softmax(logits / T) and torch.multinomial per step, the drawn ids fed back. It runs twice: with the fp32
nn.LSTM, and with torch's own int8 option (torch.ao.quantization.quantize_dynamic of the LSTM and Linear),
so the engine's 8-bit weights are compared with PyTorch's best. Prints one JSON line:
{"text": {"b1": chars_per_s, ...}, "text_int8": {...}, "threads": n, "torch": version, "parity_max_abs_diff": x}.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np
import torch

from lstudio.char_lstm import CharLSTM
from lstudio.char_lstm_graph import QuantStep, net_from_graph
from lstudio.export import tensor_from_json

PRIME_IDS = 8  # characters read before timing starts (the engine bench reads a similar prime)


def lstm_from_onnx(model_dir: Path) -> tuple[CharLSTM, float]:
    """CharLSTM with the shipped weights (dequantized) → (net, max |PyTorch twin of the graph − golden| over
    the golden step cases: the file read back is the file golden.json was made from)."""
    manifest = json.loads((model_dir / "model.json").read_text())
    path = model_dir / manifest["graphs"]["step"]["file"]
    twin, golden = QuantStep(path), json.loads((model_dir / "golden.json").read_text())
    diff = 0.0
    with torch.inference_mode():
        for case in golden["cases"]:
            x = {k: torch.from_numpy(tensor_from_json(v)) for k, v in case["inputs"].items()}
            for name, got in zip(("logits", "h_out", "c_out"), twin.step(x["token"], x["h"], x["c"])):
                want = tensor_from_json(case["outputs"][name])
                diff = max(diff, float(np.abs(got.numpy() - want).max()))
    if diff > golden["atol"]:
        raise SystemExit(f"the graph read back differs from golden.json by {diff:.3g} (> {golden['atol']})")
    return net_from_graph(path), diff


def int8_dynamic(net: CharLSTM) -> torch.nn.Module:
    """PyTorch's int8 for an LSTM: dynamic quantization (weights int8, activations quantized per call)."""
    return torch.ao.quantization.quantize_dynamic(net, {torch.nn.LSTM, torch.nn.Linear}, dtype=torch.qint8)


@torch.inference_mode()
def chars_per_s(net: torch.nn.Module, b: int, chars: int, temperature: float, seed: int) -> float:
    g = torch.Generator().manual_seed(seed)
    h, c = CharLSTM.zero_state(net, b)
    tok = torch.randint(0, net.vocab, (b, PRIME_IDS), generator=g)
    logits, h, c = net(tok, h, c)  # (b, t, vocab): the prime, one call
    logits = logits[:, -1]
    t0 = time.perf_counter()
    for _ in range(chars):
        nxt = torch.multinomial(torch.softmax(logits / temperature, -1), 1, generator=g)  # (b, 1)
        logits, h, c = net(nxt, h, c)
        logits = logits[:, -1]
    return b * chars / (time.perf_counter() - t0)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model_dir", type=Path)
    p.add_argument("--batches", default="1,8")
    p.add_argument("--chars", type=int, default=1000, help="characters per draft per timed repetition")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--temperature", type=float, default=0.8)
    a = p.parse_args()
    net, diff = lstm_from_onnx(a.model_dir)
    result = {}
    for key, model in (("text", net), ("text_int8", int8_dynamic(net))):
        out = result[key] = {}
        for b in (int(x) for x in a.batches.split(",")):
            chars_per_s(model, b, 50, a.temperature, 0)  # warm-up: first-call allocations
            out[f"b{b}"] = statistics.median(chars_per_s(model, b, a.chars, a.temperature, r) for r in range(a.runs))
    print(json.dumps({**result, "threads": torch.get_num_threads(), "torch": torch.__version__, "parity_max_abs_diff": diff}))


if __name__ == "__main__":
    main()
