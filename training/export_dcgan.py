"""Export the emoji DCGAN's EMA generator to the studio.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/export_dcgan.py --run training/runs/dcgan --out models/dcgan-emoji

Writes generator.onnx (opset 17, dynamic batch), golden.json (PyTorch input/output pairs), samples.png,
model.json (the manifest the engine validates; graphs read from the ONNX file), card.json (what the card
states) and CARD.md (training/cards/gan.md); fails if ONNX Runtime disagrees with PyTorch
by more than 1e-4. Metrics come from `training/eval_images.py` (written into metrics.json, merged here).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import torch

from lstudio import emoji_data
from lstudio.card import training_record, write_model_card
from lstudio.classifier import classifier_facts
from lstudio.common import save_grid
from lstudio.dcgan import load_generator
from lstudio.export import OPSET, PARITY_ATOL, export_onnx, max_abs_diff, run_exported, run_metrics, write_golden
from lstudio.loop import ROOT
from lstudio.manifest import write_manifest

SAMPLES, SAMPLES_SEED = 64, 7  # samples.png: an 8 × 8 grid from a fixed seed


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", type=Path, default=ROOT / "training/runs/dcgan")
    p.add_argument("--classifier", type=Path, default=ROOT / "training/runs/classifier/classifier.pt",
                   help="the feature classifier eval_images.py used (the card names its classes)")
    p.add_argument("--out", type=Path, default=ROOT / "models/dcgan-emoji")
    a = p.parse_args()
    G, ck = load_generator(a.run)
    args = ck["args"]
    a.out.mkdir(parents=True, exist_ok=True)
    onnx_path = a.out / "generator.onnx"
    export_onnx(G, (torch.zeros(1, args["nz"]),), onnx_path, ["z"], ["image"])

    # golden pairs: batch 1 and batch 3, fixed z; (b, nz) → (b, 3, 64, 64) in [-1, 1]
    g = torch.Generator().manual_seed(2024)
    cases = []
    for b in (1, 3):
        z = torch.randn(b, args["nz"], generator=g)
        with torch.no_grad():
            out = G(z).numpy()
        cases.append(({"z": z.numpy()}, {"image": out}))
    diff = max(max_abs_diff(o, run_exported(onnx_path, i)) for i, o in cases)
    assert diff <= PARITY_ATOL, f"ONNX Runtime differs from PyTorch by {diff:.3g} > {PARITY_ATOL}"
    write_golden(a.out / "golden.json", "generator", cases)

    with torch.no_grad():
        save_grid(G(torch.randn(SAMPLES, args["nz"], generator=torch.Generator().manual_seed(SAMPLES_SEED))),
                  a.out / "samples.png")

    metrics = run_metrics(a.run) | {"train_steps": ck["step"], "train_minutes": round(ck["elapsed"] / 60, 1),
                                    "parity_max_abs_diff": float(f"{diff:.3g}")}
    write_manifest(a.out, {
        "schema": 1, "id": a.out.name, "family": "gan", "title": "Emoji DCGAN",
        "description": "A DCGAN trained here on the 3.8k Noto emoji: grows new emoji-like faces, hearts, food and objects.",
        "version": str(ck["step"]),
        "latentSize": args["nz"],
        "image": {"channels": 3, "height": 64, "width": 64, "range": [-1, 1]},
        "params": [
            {"key": "count", "label": "Images", "type": "int", "min": 1, "max": 64, "default": 16,
             "help": "How many images; image i uses seed + i"},
            {"key": "truncation", "label": "Truncation", "type": "float", "min": 0.5, "max": 4, "step": 0.1,
             "default": 2, "help": "Resample latent values beyond ±t: lower is safer, higher is more varied"},
        ],
        "ep": "auto",
        "license": "Weights: Apache-2.0 (trained on Noto emoji, Apache-2.0; keep the notice)",
        "data": {"source": "npm emoji-datasource-google@16.0.0, img/google/64 (Google Noto Color Emoji)",
                 "license": "Apache-2.0 (images), MIT (package)"},
        "metrics": metrics,
        "card": "CARD.md",
    }, graphs={"generator": onnx_path.name})
    write_model_card(a.out, {"template": "gan", "training": training_record(ck), "dataset": emoji_data.summary(),
                             "classifier": classifier_facts(a.classifier),
                             "export": {"opset": OPSET, "samples": SAMPLES, "samples_seed": SAMPLES_SEED}})
    print(f"exported {onnx_path} ({onnx_path.stat().st_size / 1e6:.1f} MB), parity {diff:.3g}")


if __name__ == "__main__":
    main()
