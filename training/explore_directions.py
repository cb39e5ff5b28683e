"""Attribute directions for a shipped VAE / VAE-GAN: one latent vector per emoji category ("more food").

    /usr/bin/python3 training/explore_directions.py --model models/vae-emoji      # → models/vae-emoji/directions.json
    /usr/bin/python3 training/explore_directions.py --model models/vaegan-emoji

export_vae.py runs it after every export (the directions belong to that encoder); run it by hand for a model
exported before. The EXPORTED encoder
(onnxruntime-node through lstudio.export.run_exported, the runtime the studio ships) maps every training
image (the held-out base emoji are left out) to its mean mu (n, latent); a category's direction is
mean(mu | category) − mean(mu | all) (White 2016, "attribute vectors"), so adding it to a latent moves the
image toward that category by the gap between its average and the average emoji. The studio's explore panel
offers them as sliders; the recipe of what they make carries the vector itself, so a file stays exact.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from lstudio.directions import write_directions


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, required=True, help="a shipped VAE folder (model.json, encoder.onnx)")
    print(write_directions(ap.parse_args().model))


if __name__ == "__main__":
    main()
