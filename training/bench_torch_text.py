"""PyTorch eager sampling loop for `npm run bench` (text.chars_per_s.*), on the *same* weights the studio
ships: read back from step.onnx's initializers and checked against golden.json before timing.

    OMP_NUM_THREADS=1 /usr/bin/python3 training/bench_torch_text.py models/lstm-austen --batches 1,8

The loop is what a PyTorch user would write: one nn.LSTM call per character for the whole batch (b, 1),
softmax(logits / T) and torch.multinomial per step, the drawn ids fed back. Prints one JSON line:
{"text": {"b1": chars_per_s, "b8": ...}, "threads": n, "torch": version, "parity_max_abs_diff": x}.
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
from lstudio.export import tensor_from_json
from lstudio.onnx_weights import load_state_from_onnx

PRIME_IDS = 8  # characters read before timing starts (the engine bench reads a similar prime)


def lstm_from_onnx(model_dir: Path) -> tuple[CharLSTM, float]:
    """CharLSTM with the shipped weights (initializers keep their PyTorch names: export_onnx uses
    do_constant_folding=False) → (net, max |torch − golden| over the golden step cases)."""
    manifest = json.loads((model_dir / "model.json").read_text())
    step = manifest["graphs"]["step"]
    layers, _, hidden = next(t["shape"] for t in step["inputs"] if t["name"] == "h")
    state = {k.removeprefix("net."): v for k, v in load_state_from_onnx(model_dir / step["file"]).items()}
    if "lstm.weight_ih_l0" not in state:
        raise SystemExit(f"{model_dir}: step.onnx initializers are not named after CharLSTM's parameters: {sorted(state)[:6]}")
    net = CharLSTM(len(manifest["vocab"]), hidden, layers, embed=state["embed.weight"].shape[1]).eval()
    net.load_state_dict(state)
    golden = json.loads((model_dir / "golden.json").read_text())
    diff = 0.0
    with torch.inference_mode():
        for case in golden["cases"]:
            x = {k: torch.from_numpy(tensor_from_json(v)) for k, v in case["inputs"].items()}
            logits, h, c = net(x["token"][:, None], x["h"], x["c"])
            for name, got in (("logits", logits[:, 0]), ("h_out", h), ("c_out", c)):
                want = tensor_from_json(case["outputs"][name])
                diff = max(diff, float(np.abs(got.numpy() - want).max()))
    if diff > golden["atol"]:
        raise SystemExit(f"rebuilt LSTM differs from golden.json by {diff:.3g} (> {golden['atol']})")
    return net, diff


@torch.inference_mode()
def chars_per_s(net: CharLSTM, b: int, chars: int, temperature: float, seed: int) -> float:
    g = torch.Generator().manual_seed(seed)
    h, c = net.zero_state(b)
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
    out = {}
    for b in (int(x) for x in a.batches.split(",")):
        chars_per_s(net, b, 50, a.temperature, 0)  # warm-up: first-call allocations
        out[f"b{b}"] = statistics.median(chars_per_s(net, b, a.chars, a.temperature, r) for r in range(a.runs))
    print(json.dumps({"text": out, "threads": torch.get_num_threads(), "torch": torch.__version__, "parity_max_abs_diff": diff}))


if __name__ == "__main__":
    main()
