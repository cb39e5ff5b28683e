"""Export the Deep Dream gradient graph (ImageNet InceptionV3 trunk, stem … mixed5) to the studio.

    OMP_NUM_THREADS=1 /usr/bin/python3 training/port_inception.py          # once: npm pack nsfwjs, port the trunk
    OMP_NUM_THREADS=1 /usr/bin/python3 training/export_deepdream.py --out models/deepdream-inception

Writes model.onnx (opset 17; image (1, 3, H, W) in [-1, 1] + weights (6,) → loss (), grad (1, 3, H, W)),
golden.json, photos/ (3 public-domain/CC0 photos from Debian python3-skimage, ≤ 512 px), examples/ (before and
after at two layer mixes, dreamed by training/dream.py), model.json and CARD.md. Fails unless the hand-written
reverse pass and ONNX Runtime both agree with PyTorch autograd within 1e-5 (relative to max |grad|).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import time
from pathlib import Path

import numpy as np
import onnx
import torch
from PIL import Image

from bench_torch_dream import bench
from dream import autograd_grad, dream, handwritten_grad, load_photo, parse_layers
from lstudio.deepdream_card import PHOTOS, manifest, write_deepdream_card
from lstudio.export import OPSET, files_hash, run_exported, tensor_to_json
from lstudio.inception import Trunk, trunk_from_onnx
from lstudio.inception_grad import DreamGrad
from lstudio.manifest import write_manifest
from lstudio.tfjs_reference import compare
from port_inception import FIXTURE, PORTED, fetch_tarball, port, skimage_photo

ROOT = Path(__file__).resolve().parent.parent
PARITY_RTOL = 1e-5  # |Δgrad| / max |grad| and |Δloss| / |loss|: float32 reordering measures ~1e-6
MIXES = ("mixed3:1", "mixed4:1,mixed5:0.5")  # the card's two examples: mid-level (patterns) and deeper (parts)
PARITY_SIZES = [(64, 64), (75, 122), (131, 101), (256, 256)]  # odd sizes reach every stride-2 padding case


def load_trunk() -> tuple[Trunk, dict]:
    if not PORTED.exists():
        state, facts, _ = port(fetch_tarball())
        torch.save({"state": state, "facts": facts}, PORTED)
    ck = torch.load(PORTED)
    trunk = Trunk().eval()
    trunk.load_state_dict(ck["state"])
    return trunk, ck["facts"]


def export(grad: DreamGrad, path: Path) -> None:
    """No constant folding: the uint8 codes stay uint8 in the file (5 MB); ONNX Runtime folds the dequantisation
    and BatchNorm arithmetic once at load."""
    axes = {"image": {2: "height", 3: "width"}, "grad": {2: "height", 3: "width"}}
    torch.onnx.export(grad, (torch.zeros(1, 3, 64, 64), torch.ones(6)), str(path), opset_version=OPSET,
                      input_names=["image", "weights"], output_names=["loss", "grad"], dynamic_axes=axes,
                      do_constant_folding=False)
    model = onnx.load(str(path))
    for d, v in zip(model.graph.output[1].type.tensor_type.shape.dim, (1, 3, "height", "width")):
        d.Clear()  # the exporter names grad's batch/channel dims after a Pad; they are the image's 1 and 3
        if isinstance(v, int):
            d.dim_value = v
        else:
            d.dim_param = v
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def rel_err(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.float64) - b).max() / max(np.abs(b).max(), 1e-30))


def parity(trunk: Trunk, grad: DreamGrad, path: Path) -> dict[str, float]:
    """Worst relative error against autograd, over PARITY_SIZES with random images and layer weights."""
    g = torch.Generator().manual_seed(0)
    ref_fn = autograd_grad(trunk)
    worst = {"parity_handwritten_grad": 0.0, "parity_onnx_grad": 0.0, "parity_onnx_loss": 0.0}
    for h, w in PARITY_SIZES:
        x, wt = torch.rand(1, 3, h, w, generator=g) * 2 - 1, torch.rand(6, generator=g)
        loss_ref, g_ref = (t.double().numpy() for t in ref_fn(x, wt))
        with torch.no_grad():
            g_hand = grad(x, wt)[1].numpy()
        out = run_exported(path, {"image": x.numpy(), "weights": wt.numpy()})
        for key, err in (("parity_handwritten_grad", rel_err(g_hand, g_ref)), ("parity_onnx_grad", rel_err(out["grad"], g_ref)),
                         ("parity_onnx_loss", rel_err(out["loss"], loss_ref))):
            worst[key] = max(worst[key], err)
        print(f"parity {h}×{w}: {worst}")
    bad = {k: v for k, v in worst.items() if v > PARITY_RTOL}
    if bad:
        raise SystemExit(f"parity worse than {PARITY_RTOL}: {bad}")
    return worst


def bundle_photos(out: Path) -> None:
    (out / "photos").mkdir(parents=True, exist_ok=True)
    for name, p in PHOTOS.items():
        img = Image.open(skimage_photo(p["source"])).convert("RGB")
        s = 512 / max(img.size)
        if s < 1:
            img = img.resize((round(img.width * s), round(img.height * s)), Image.LANCZOS)
        img.save(out / "photos" / name, quality=92)


def write_golden(trunk: Trunk, out: Path) -> dict:
    """Two cases from PyTorch autograd (not the hand-written pass): chelsea.jpg squashed to 64×64 with the
    default mix, and a 47×53 crop (near the 43 px minimum, odd sizes) with every layer weighted."""
    fn = autograd_grad(trunk)
    photo = Image.open(out / "photos/chelsea.jpg")
    cases = []
    for img, layers in ((photo.resize((64, 64), Image.LANCZOS), "mixed3:1,mixed4:0.5"),
                        (photo.crop((200, 80, 253, 127)), "mixed0:0.3,mixed1:0.5,mixed2:0.7,mixed3:1,mixed4:0.8,mixed5:0.6")):
        x = torch.from_numpy(np.asarray(img, np.float32) / np.float32(127.5) - np.float32(1)).permute(2, 0, 1)[None].contiguous()
        w = parse_layers(layers)
        loss, g = fn(x, w)
        cases.append(({"image": x.numpy(), "weights": w.numpy()}, {"loss": loss.numpy(), "grad": g.numpy()}))
    tol = {k: PARITY_RTOL * max(float(np.abs(o[k]).max()) for _, o in cases) for k in ("loss", "grad")}
    doc = {"graph": "grad", "atol": max(tol.values()), "tolerance": tol,
           "note": "image (1, 3, H, W) float32 = rgb / 127.5 - 1; weights (6,) for mixed0..5; outputs from PyTorch "
                   "autograd. tolerance[name]: max |got - expected| allowed per output (1e-5 of its largest |value| over "
                   "the cases); atol: the larger of the two, for checks that take one number",
           "cases": [{"inputs": {k: tensor_to_json(v) for k, v in i.items()}, "outputs": {k: tensor_to_json(v) for k, v in o.items()}}
                     for i, o in cases]}
    (out / "golden.json").write_text(json.dumps(doc) + "\n")
    for i, o in cases:  # the graph itself must reproduce them
        got = run_exported(out / "model.onnx", i)
        assert all(np.abs(got[k] - o[k]).max() <= tol[k] for k in o), "golden pair fails in ONNX Runtime"
    return {"golden_tol_grad": tol["grad"], "golden_tol_loss": tol["loss"]}


def examples(grad: DreamGrad, out: Path) -> list[str]:
    """Before/after for two photos at both MIXES, default settings, seed 1; plus one grid (examples.jpg)."""
    fn = handwritten_grad(grad.trunk)
    (out / "examples").mkdir(exist_ok=True)
    rows, names = [], []
    for photo in ("chelsea.jpg", "coffee.jpg"):
        before = load_photo(out / "photos" / photo, 512)
        row = [before]
        for mix in MIXES:
            after = dream(before, fn, parse_layers(mix), seed=1)
            name = f"{photo.split('.')[0]}-{mix.replace(':', '').replace(',', '-').replace('.', '')}.jpg"
            Image.fromarray(after).save(out / "examples" / name, quality=90)
            names.append(name)
            row.append(after)
            print(f"example {name}")
        rows.append(np.concatenate([np.pad(r, ((0, 0), (0, 8), (0, 0)), constant_values=255) for r in row], 1)[:, :-8])
    width = max(r.shape[1] for r in rows)
    grid = np.concatenate([np.pad(r, ((0, 8), (0, width - r.shape[1]), (0, 0)), constant_values=255) for r in rows])
    Image.fromarray(grid[:-8]).save(out / "examples.jpg", quality=88)
    return names


def speed(path: Path, model_dir: Path) -> dict[str, float]:
    out = subprocess.run(["node", str(ROOT / "training/deepdream_speed.mjs"), str(path), "256,512", "5"],
                         check=True, capture_output=True, text=True).stdout
    ort = json.loads(out)
    fn, w = autograd_grad(trunk_from_onnx(path)), parse_layers("mixed3:1,mixed4:0.5")
    torch_ms = {}
    for side in (256, 512):
        x = torch.rand(1, 3, side, side) * 2 - 1
        fn(x, w)
        times = []
        for _ in range(5):
            t0 = time.process_time()
            fn(x, w)
            times.append(time.process_time() - t0)
        torch_ms[side] = round(1000 * sorted(times)[2], 1)
    b = bench(path, model_dir / "photos/astronaut.jpg")
    return {"ort_grad_ms_256": round(ort["ms_256"], 1), "ort_grad_cpu_ms_256": round(ort["cpu_ms_256"], 1),
            "ort_grad_ms_512": round(ort["ms_512"], 1), "ort_grad_cpu_ms_512": round(ort["cpu_ms_512"], 1), "ort_session_create_ms": round(ort["create_ms"]),
            "torch_autograd_cpu_ms_256": torch_ms[256], "torch_autograd_cpu_ms_512": torch_ms[512],
            "torch_dream_seconds_512": round(b["seconds_512"], 2), "torch_dream_cpu_seconds_512": round(b["cpu_seconds_512"], 2)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "models/deepdream-inception")
    p.add_argument("--skip-examples", action="store_true", help="keep the examples already in --out")
    a = p.parse_args()
    torch.set_num_threads(1)
    trunk, facts = load_trunk()
    grad = DreamGrad(trunk).eval()
    a.out.mkdir(parents=True, exist_ok=True)
    path = a.out / "model.onnx"
    export(grad, path)
    metrics = parity(trunk, grad, path)
    tf = compare(trunk, FIXTURE)
    tf_emulated = compare(trunk, FIXTURE, tfjs_avg_grad=True)
    metrics.update(port_act_rel_err=tf["act"], port_mean_sq_rel_err=tf["mean_sq"], port_loss_rel_err=tf["loss"],
                   port_grad_rel_err_tfjs_pool_grad=tf_emulated["grad"], port_grad_rel_err_exact=tf["grad"])
    bundle_photos(a.out)
    metrics.update(write_golden(trunk, a.out))
    names = sorted(p.name for p in (a.out / "examples").glob("*.jpg")) if a.skip_examples else examples(grad, a.out)
    metrics.update(speed(path, a.out))
    metrics = {k: (float(f"{v:.3g}") if isinstance(v, float) else v) for k, v in metrics.items()}
    m = write_manifest(a.out, manifest(metrics, files_hash([path]), path.stat().st_size), {"grad": path.name})
    write_deepdream_card(a.out / "CARD.md", m, facts, names, MIXES)
    print(json.dumps(metrics))


if __name__ == "__main__":
    main()
