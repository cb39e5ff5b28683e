"""PyTorch eager baseline for `npm run bench`'s `dream.seconds_512`: the reference Deep Dream loop
(training/dream.py) on a 512×512 photo, 4 octaves × 10 steps, gradients by autograd through the same
InceptionV3 trunk the studio ships (weights read back from model.onnx).

    OMP_NUM_THREADS=1 /usr/bin/python3 training/bench_torch_dream.py models/deepdream-inception

Prints one JSON object: {"seconds_512": s, "first_step_s": s, "cpu_seconds_512": s, "steps": 40,
"grad": "autograd", "threads": n, "torch": version}. seconds_512 is wall time for the whole loop (resizes,
rolls, tiles, normalisation included), first_step_s the time to the first dreamed frame (smallest octave).
`--grad handwritten` times the hand-written reverse pass that is exported to ONNX, in PyTorch, instead.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from dream import GradFn, autograd_grad, dream, handwritten_grad, load_photo, parse_layers
from lstudio.inception import trunk_from_onnx


def grad_fn(onnx_path: Path, kind: str) -> GradFn:
    trunk = trunk_from_onnx(onnx_path)
    return autograd_grad(trunk) if kind == "autograd" else handwritten_grad(trunk)


def bench(onnx_path: Path, photo: Path, kind: str = "autograd", side: int = 512) -> dict:
    fn = grad_fn(onnx_path, kind)
    img = np.ascontiguousarray(load_photo(photo, side)[:side, :side])  # (512, 512, 3): astronaut.jpg is square
    w = parse_layers("mixed3:1,mixed4:0.5")
    fn(torch.zeros(1, 3, 96, 96), w)  # warm-up (allocator, kernels)
    marks: list[float] = []
    t0, c0 = time.perf_counter(), time.process_time()
    dream(img, fn, w, octaves=4, octave_scale=1.4, steps=10, step_size=0.01, jitter=32, tile=512, seed=0,
          on_step=lambda i, _x, _l: marks.append(time.perf_counter() - t0))
    return {"seconds_512": time.perf_counter() - t0, "first_step_s": marks[0], "cpu_seconds_512": time.process_time() - c0,
            "steps": len(marks), "grad": kind, "image": list(img.shape[:2])}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model_dir", type=Path)
    p.add_argument("--grad", choices=["autograd", "handwritten"], default="autograd")
    a = p.parse_args()
    manifest = json.loads((a.model_dir / "model.json").read_text())
    result = bench(a.model_dir / manifest["graphs"]["grad"]["file"], a.model_dir / "photos/astronaut.jpg", a.grad)
    print(json.dumps({**result, "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
