"""PyTorch eager baselines for `npm run bench`, on the *same* weights the studio ships (read back from the
ONNX initializers, so no second weight file is needed).

    OMP_NUM_THREADS=2 /usr/bin/python3 training/bench_torch.py gan models/dcgan-emoji --batches 1,16,64

Prints one JSON object: {"gan": {"b1": images_per_s, "b16": ..., "b64": ...}, "threads": n, "torch": version}.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import torch

from lstudio.onnx_weights import load_state_from_onnx


def bench_gan(model_dir: Path, batches: list[int], min_images: int) -> dict[str, float]:
    from lstudio.dcgan import Generator
    manifest = json.loads((model_dir / "model.json").read_text())
    nz = manifest["latentSize"]
    state = load_state_from_onnx(model_dir / manifest["graphs"]["generator"]["file"])
    ngf = state["net.0.weight"].shape[1] // 8  # ConvTranspose weight: (nz, ngf*8, 4, 4)
    G = Generator(nz, ngf).eval()
    G.load_state_dict(state)
    out = {}
    with torch.inference_mode():
        for b in batches:
            z = torch.randn(b, nz)
            G(z)  # warm-up
            rates = []
            for _ in range(3):
                n, t0 = 0, time.perf_counter()
                while n < min_images:
                    G(z)
                    n += b
                rates.append(n / (time.perf_counter() - t0))
            out[f"b{b}"] = statistics.median(rates)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("family", choices=["gan"])
    p.add_argument("model_dir", type=Path)
    p.add_argument("--batches", default="1,16,64")
    p.add_argument("--min-images", type=int, default=64, help="images per timed repetition")
    a = p.parse_args()
    result = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    result["gan"] = bench_gan(a.model_dir, [int(b) for b in a.batches.split(",")], a.min_images)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
