"""PyTorch eager baseline for `npm run bench`: FAST generation (cached dilation queues, one step per sample)
of the same WaveNet weights the studio ships, read back from generate.onnx (a fresh clone has no runs/).

    OMP_NUM_THREADS=1 /usr/bin/python3 training/bench_torch_wavenet.py models/wavenet-notes --batches 1,8

Prints one JSON object: {"rtf_b1": x, "rtf_b8": y, "threads": n, "torch": version}; rtf = seconds of audio
(all voices together) per second of compute, median of 3 repetitions. In-loop sampling uses the same
inverse-CDF code as the ONNX graph, so both runtimes do the same work.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import torch

from lstudio.wavenet import SILENCE, FastGenerator
from lstudio.wavenet_loop import load_from_onnx

SR = 16000


def bench(model_dir: Path, batches: list[int], seconds: float) -> dict[str, float]:
    manifest = json.loads((model_dir / "model.json").read_text())
    net, pitch_min = load_from_onnx(model_dir / manifest["graphs"]["generate"]["file"])
    fg = FastGenerator(net, pitch_min)
    out = {}
    with torch.inference_mode():
        for b in batches:
            vel = torch.full((b,), 90.0) if net.has_envelope else None  # with the envelope input: a held level
            env = torch.full((b,), 0.8) if net.has_envelope else None
            start = fg.start(torch.zeros(b, dtype=torch.long), torch.full((b,), pitch_min, dtype=torch.long), vel)
            inv_t, n, pos = torch.ones(b, 1), int(seconds * SR), torch.zeros(b)  # pos: samples since the onset
            noise = torch.rand(b, n)
            rates = []
            for rep in range(4):  # the first repetition warms up
                prev, (buf, hist) = torch.full((b,), SILENCE, dtype=torch.long), fg.zero_state(b)
                t0 = time.perf_counter()
                for i in range(n):
                    prev, buf, hist, _ = fg.step(prev, buf, hist, start, inv_t, noise[:, i:i + 1], pos + i, env)
                if rep:
                    rates.append(n * b / SR / (time.perf_counter() - t0))
            out[f"rtf_b{b}"] = statistics.median(rates)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model_dir", type=Path)
    p.add_argument("--batches", default="1,4,8")
    p.add_argument("--seconds", type=float, default=0.1, help="audio per timed repetition (per voice)")
    a = p.parse_args()
    result = bench(a.model_dir, [int(b) for b in a.batches.split(",")], a.seconds)
    print(json.dumps({**result, "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
