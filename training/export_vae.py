"""Export an emoji VAE or VAE-GAN (encoder and decoder as separate graphs) to the studio.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/export_vae.py --family vae     # → models/vae-emoji
    OMP_NUM_THREADS=2 /usr/bin/python3 training/export_vae.py --family vaegan  # → models/vaegan-emoji

encoder.onnx: x (batch, 3, 64, 64) in [-1, 1] → mu, logvar (batch, nz); decoder.onnx: z (batch, nz) →
image (batch, 3, 64, 64) in [-1, 1]. Writes golden.json (decoder pairs; encoder pairs in golden-encoder.json),
samples.png, model.json, CARD.md; fails on a PyTorch vs ONNX Runtime difference above 1e-4.
Run `training/eval_images.py <family> --run …` first for the metrics.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

from lstudio.card import hardware, metrics_table, write_card
from lstudio.common import save_grid
from lstudio.export import PARITY_ATOL, export_onnx, files_hash, max_abs_diff, run_exported, write_golden
from lstudio.vae import load_vae

ROOT = Path(__file__).resolve().parent.parent
LIMITS = {
    "vae": "Prior samples are soft colour shapes with emoji palettes and outlines more than recognisable emoji "
           "(compare `fid_classifier` with the VAE-GAN's and the DCGAN's cards).",
    "vaegan": "Prior samples are clearly more coherent than the VAE's (round faces, skin tones, centred objects; a lower "
              "`fid_classifier`), but still blurred and textured, far from the DCGAN's.",
}
TEXT = {
    "vae": ("Emoji VAE", "A convolutional variational autoencoder on the Noto emoji: smooth, soft samples from its prior.",
            "train_vae.py --minutes 40",
            "Loss = pixel MSE + kl_weight·KL/12288 (a Gaussian decoder with σ = 0.5 on the [-1, 1] scale; σ = 0.15 gave sharper reconstructions but incoherent prior samples). "
            "The decoder is the DCGAN generator's architecture, so the families compare like for like."),
    "vaegan": ("Emoji VAE-GAN", "VAE-GAN (Larsen et al. 2016) on the Noto emoji: a VAE whose reconstruction error is "
               "measured in a discriminator's feature space, for sharper samples.",
               "train_vaegan.py --minutes 60",
               "Same encoder/decoder as the VAE. A spectral-norm discriminator judges reconstructions and prior samples "
               "(hinge loss) and its 3rd-layer features give the reconstruction error (relative MSE), so the decoder "
               "is not pushed to the blurry pixel average. The decoder shipped is an exponential moving average of its "
               "weights (decay 0.999, from step 1,500 on; the DCGAN's trick): the adversarial term makes the raw decoder "
               "jitter from step to step, and the average samples more steadily (FID 47.4 raw at step 1,500 → 37.9 EMA at 2,119)."),
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--family", choices=["vae", "vaegan"], required=True)
    p.add_argument("--run", type=Path)
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
        save_grid(dec(torch.randn(64, nz, generator=torch.Generator().manual_seed(7))), out / "samples.png")
    metrics = json.loads((run / "metrics.json").read_text()) if (run / "metrics.json").exists() else {}
    metrics.update({"train_steps": ck["step"], "train_minutes": round(ck["elapsed"] / 60, 1), "parity_max_abs_diff": float(f"{diff:.3g}")})
    title, desc, cmd, why = TEXT[a.family]
    t = lambda n, s: {"name": n, "dtype": "float32", "shape": s}  # noqa: E731
    manifest = {
        "schema": 1, "id": out.name, "family": a.family, "title": title, "description": desc, "version": str(ck["step"]),
        "graphs": {"decoder": {"file": "decoder.onnx", "inputs": [t("z", ["batch", nz])], "outputs": [t("image", ["batch", 3, 64, 64])]},
                   "encoder": {"file": "encoder.onnx", "inputs": [t("x", ["batch", 3, 64, 64])],
                               "outputs": [t("mu", ["batch", nz]), t("logvar", ["batch", nz])]}},
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
    }
    (out / "model.json").write_text(json.dumps(manifest, indent=2) + "\n")
    args = ck["args"]
    write_card(out / "CARD.md", f"{title} (`{out.name}`)", {
        "What it does": desc + f" Latent size {nz}; the studio samples z ~ N(0, I)·temperature from the seed and decodes it.",
        "Data": "3,786 64×64 PNGs from npm `emoji-datasource-google@16.0.0` (Google Noto Color Emoji, Apache-2.0 — keep the "
                "notice; package MIT), composited onto white; 10 % of base emoji held out with their skin-tone variants; "
                "per-base-emoji sampling weights; horizontal flips.",
        "Why this recipe": why,
        "Training": f"`OMP_NUM_THREADS=2 /usr/bin/python3 training/{cmd}` (resumes), then "
                    f"`/usr/bin/python3 training/eval_images.py {a.family} --run training/runs/{a.family}` and "
                    f"`/usr/bin/python3 training/export_vae.py --family {a.family}`. This export: {ck['step']} steps in "
                    f"{ck['elapsed'] / 60:.0f} min on {hardware(ck)}; batch {args['batch']}, lr {args['lr']}, kl_weight {args['kl_weight']}.",
        "Metrics": metrics_table(metrics, {
            "fid_classifier": "Fréchet distance of prior samples vs held-out emoji on our emoji classifier's features (lower is better; compare across dcgan/vae/vaegan)",
            "fid_real_vs_real": "the same distance between training and held-out real emoji: the floor",
            "heldout_recon_mse": "mean squared error per pixel (scale [-1, 1]) reconstructing held-out emoji through the posterior mean",
            "parity_max_abs_diff": "max |PyTorch − ONNX Runtime| over both graphs' golden pairs"}),
        "Files": f"`encoder.onnx`, `decoder.onnx` (sha256 prefix over decoder then encoder: `{files_hash([out / 'decoder.onnx', out / 'encoder.onnx'])}`), "
                 "`golden.json` (decoder), `golden-encoder.json`, `samples.png` (64 prior samples, seed 7).",
        "Samples": "![samples](samples.png)",
        "Limits": f"{ck['step']} steps on 2 CPU cores shared with other training. " + LIMITS[a.family] + " The training "
                  "command resumes from its checkpoint: train longer and re-export to improve it.",
    })
    print(f"exported {out}, parity {diff:.3g}")


if __name__ == "__main__":
    main()
