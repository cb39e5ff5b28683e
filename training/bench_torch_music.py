"""PyTorch eager sampling loop for `npm run bench` (music.events_per_s.*), on the *same* weights the studio
ships: read back from step.onnx (8-bit codes × scales → fp32), the graph's arithmetic checked against
golden.json before timing.

    OMP_NUM_THREADS=1 /usr/bin/python3 training/bench_torch_music.py models/music-lstm-game --batches 1

The music model is the char-LSTM network over event tokens, so the loop is bench_torch_text's: one nn.LSTM
call per event for the whole batch (b, 1), softmax(logits / T) and torch.multinomial per step, the drawn ids
fed back; once with the fp32 nn.LSTM and once with torch's int8 dynamic quantization. Prints one JSON line:
{"music": {"b1": events_per_s, ...}, "music_int8": {...}, "threads": n, "torch": version, "parity_max_abs_diff": x}.
"""
from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

import torch

from bench_torch_text import chars_per_s as events_per_s
from bench_torch_text import int8_dynamic, lstm_from_onnx


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model_dir", type=Path)
    p.add_argument("--batches", default="1")
    p.add_argument("--events", type=int, default=1000, help="events per sequence per timed repetition")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--temperature", type=float, default=1.0, help="the model's default")
    a = p.parse_args()
    net, diff = lstm_from_onnx(a.model_dir)  # exits if the graph read back does not reproduce golden.json
    result = {}
    for key, model in (("music", net), ("music_int8", int8_dynamic(net))):
        out = result[key] = {}
        for b in (int(x) for x in a.batches.split(",")):
            events_per_s(model, b, 50, a.temperature, 0)  # warm-up: first-call allocations
            out[f"b{b}"] = statistics.median(events_per_s(model, b, a.events, a.temperature, r) for r in range(a.runs))
    print(json.dumps({**result, "threads": torch.get_num_threads(), "torch": torch.__version__, "parity_max_abs_diff": diff}))


if __name__ == "__main__":
    main()
