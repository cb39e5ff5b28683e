"""Export an emoji VAE or VAE-GAN (encoder and decoder as separate graphs) to the studio.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/export_vae.py --family vae     # → models/vae-emoji
    OMP_NUM_THREADS=2 /usr/bin/python3 training/export_vae.py --family vaegan  # → models/vaegan-emoji

encoder.onnx: x (batch, 3, 64, 64) in [-1, 1] → mu, logvar (batch, nz); decoder.onnx: z (batch, nz) →
image (batch, 3, 64, 64) in [-1, 1]. Writes golden.json (decoder pairs; encoder pairs in golden-encoder.json),
samples.png, model.json (graphs read from the ONNX files), card.json and CARD.md (training/cards/vae.md);
fails on a PyTorch vs ONNX Runtime difference above 1e-4.
Run `training/eval_images.py <family> --run …` first for the metrics.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import torch

from lstudio import emoji_data
from lstudio.card import training_record, write_model_card
from lstudio.classifier import classifier_facts
from lstudio.common import save_grid
from lstudio.directions import write_directions
from lstudio.export import OPSET, PARITY_ATOL, export_onnx, max_abs_diff, run_exported, run_metrics, write_golden
from lstudio.loop import ROOT
from lstudio.manifest import write_manifest
from lstudio.vae import load_vae

SAMPLES, SAMPLES_SEED = 64, 7  # samples.png: an 8 × 8 grid of prior samples from a fixed seed
TEXT = {  # title and description (the manifest's); the card's prose is training/cards/vae.md
    "vae": ("Emoji VAE", "A convolutional variational autoencoder on the Noto emoji: smooth, soft samples from its prior."),
    "vaegan": ("Emoji VAE-GAN", "VAE-GAN (Larsen et al. 2016) on the Noto emoji: a VAE whose reconstruction error is "
               "measured in a discriminator's feature space, for sharper samples."),
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--family", choices=["vae", "vaegan"], required=True)
    p.add_argument("--run", type=Path)
    p.add_argument("--classifier", type=Path, default=ROOT / "training/runs/classifier/classifier.pt",
                   help="the feature classifier eval_images.py used (the card names its classes)")
    p.add_argument("--out", type=Path)
    a = p.parse_args()
    run = a.run or ROOT / "training/runs" / a.family
    out = a.out or ROOT / "models" / f"{a.family}-emoji"
    enc, dec, ck = load_vae(run)
    nz = ck["args"]["nz"]
    out.mkdir(parents=True, exist_ok=True)
    export_onnx(enc, (torch.zeros(1, 3, 64, 64),), out / "encoder.onnx", ["x"], ["mu", "logvar"])
    export_onnx(dec, (torch.zeros(1, nz),), out / "decoder.onnx", ["z"], ["image"])
    g = torch.Generator().manual_seed(2024)
    dec_cases, enc_cases = [], []
    with torch.no_grad():
        for b in (1, 3):
            z = torch.randn(b, nz, generator=g)
            dec_cases.append(({"z": z.numpy()}, {"image": dec(z).numpy()}))
            x = dec(torch.randn(b, nz, generator=g))  # in-range images to encode
            mu, logvar = enc(x)
            enc_cases.append(({"x": x.numpy()}, {"mu": mu.numpy(), "logvar": logvar.numpy()}))
    diff = max([max_abs_diff(o, run_exported(out / "decoder.onnx", i)) for i, o in dec_cases] +
               [max_abs_diff(o, run_exported(out / "encoder.onnx", i)) for i, o in enc_cases])
    assert diff <= PARITY_ATOL, f"ONNX Runtime differs from PyTorch by {diff:.3g}"
    write_golden(out / "golden.json", "decoder", dec_cases)
    write_golden(out / "golden-encoder.json", "encoder", enc_cases)
    with torch.no_grad():
        save_grid(dec(torch.randn(SAMPLES, nz, generator=torch.Generator().manual_seed(SAMPLES_SEED))), out / "samples.png")
    metrics = run_metrics(run) | {"train_steps": ck["step"], "train_minutes": round(ck["elapsed"] / 60, 1),
                                  "parity_max_abs_diff": float(f"{diff:.3g}")}
    title, desc = TEXT[a.family]
    write_manifest(out, {
        "schema": 1, "id": out.name, "family": a.family, "title": title, "description": desc, "version": str(ck["step"]),
        "latentSize": nz, "image": {"channels": 3, "height": 64, "width": 64, "range": [-1, 1]},
        "params": [
            {"key": "count", "label": "Images", "type": "int", "min": 1, "max": 64, "default": 16, "help": "How many images; image i uses seed + i"},
            {"key": "temperature", "label": "Temperature", "type": "float", "min": 0.1, "max": 2, "step": 0.05, "default": 1,
             "help": "Scales the prior sample z: lower is closer to the average emoji, higher is stranger"},
        ],
        "ep": "auto",
        "license": "Weights: Apache-2.0 (trained on Noto emoji, Apache-2.0; keep the notice)",
        "data": {"source": "npm emoji-datasource-google@16.0.0, img/google/64 (Google Noto Color Emoji)", "license": "Apache-2.0 (images), MIT (package)"},
        "metrics": metrics, "card": "CARD.md",
    }, graphs={"decoder": "decoder.onnx", "encoder": "encoder.onnx"})  # decoder first: the studio's graph, and the hash order
    record = {"template": "vae", "training": training_record(ck), "dataset": emoji_data.summary(),
              "classifier": classifier_facts(a.classifier), "export": {"opset": OPSET, "samples": SAMPLES, "samples_seed": SAMPLES_SEED}}
    if ck.get("ema_from_step"):  # a VAE-GAN run whose decoder EMA started after a resume
        record["ema_start"] = {"step": ck["ema_from_step"]}
    write_model_card(out, record)
    print(f"exported {out}, parity {diff:.3g}")
    print(write_directions(out))  # the studio's attribute sliders belong to this encoder


if __name__ == "__main__":
    main()
