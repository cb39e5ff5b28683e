"""deepdream-inception: the InceptionV3 port agrees with tfjs, the hand-written reverse pass with autograd,
ONNX Runtime with PyTorch (golden), only the ImageNet trunk ships, and the reference loop is seeded and dreams."""
import numpy as np
import onnx
import pytest
import torch

from dream import MIN_OCTAVE_SIDE, autograd_grad, dream, octave_shapes, parse_layers, tiles
from lstudio.export import run_exported, tensor_from_json
from lstudio.inception import CONVS, LAYERS, MIN_SIDE, Trunk, dream_loss, trunk_from_onnx
from lstudio.inception_grad import DreamGrad
from lstudio.tfjs_reference import compare
from tests.helpers import MODELS, TRAINING, golden, manifest

MODEL = "deepdream-inception"
ONNX = MODELS / MODEL / "model.onnx"
FIXTURE = TRAINING / "tests/fixtures/deepdream"


@pytest.fixture(scope="module")
def trunk() -> Trunk:
    return trunk_from_onnx(ONNX)  # strict: exactly the trunk's buffers, nothing more


def rel(a, b) -> float:
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.abs(a - b).max() / np.abs(b).max())


def test_port_matches_tfjs(trunk):
    """Shipped weights vs tfjs running the package's Keras JSON on 3 photos (fixture from port_inception.py)."""
    err = compare(trunk, FIXTURE, tfjs_avg_grad=True)  # tfjs's AvgPool gradient quirk reproduced
    assert err["act"] < 1e-5 and err["mean_sq"] < 1e-5 and err["loss"] < 1e-5, err
    assert err["grad"] < 1e-5, err
    exact = compare(trunk, FIXTURE)["grad"]  # what we ship differs from tfjs only at the pool borders
    assert 1e-3 < exact < 0.2


def test_package_port_reproduces_shipped_weights(trunk):
    from port_inception import TARBALL, port
    if not TARBALL.exists():
        pytest.skip(f"{TARBALL.name} not fetched (run training/port_inception.py); the shipped graph is tested above")
    state = port(TARBALL)[0]
    shipped = trunk.state_dict()
    assert state.keys() == shipped.keys()
    assert all(torch.equal(state[k], shipped[k]) for k in state)


def test_only_the_imagenet_trunk_ships():
    """50 convs (stem … mixed5) as uint8 codes; nothing from mixed6 on (nsfwjs fine-tuned those)."""
    inits = {i.name: i for i in onnx.load(str(ONNX)).graph.initializer}
    codes = sorted(int(n.removeprefix("trunk.c")[:-2]) for n in inits if n.endswith("_q"))
    assert codes == sorted(c.k for c in CONVS) == list(range(1, 51))
    assert all(inits[f"trunk.c{k}_q"].data_type == onnx.TensorProto.UINT8 for k in codes)
    assert len(inits) == 5 * 50  # codes, table, beta, mean, variance per conv: nothing else
    assert ONNX.stat().st_size < 6e6


@pytest.mark.parametrize("hw", [(MIN_SIDE, 53), (64, 64), (80, 97)])
def test_handwritten_backward_matches_autograd(trunk, hw):
    g = torch.Generator().manual_seed(hw[0] * hw[1])
    x = torch.rand(1, 3, *hw, generator=g) * 2 - 1
    w = torch.rand(6, generator=g) * (torch.rand(6, generator=g) > 0.3)  # some layers off
    loss_ref, g_ref = autograd_grad(trunk)(x, w)
    with torch.no_grad():
        loss, grad = DreamGrad(trunk)(x, w)
    assert rel(loss, loss_ref) < 1e-5
    assert rel(grad, g_ref) < 1e-5


def test_handwritten_backward_matches_finite_differences(trunk):
    """In float64, the directional derivative along random directions (central differences, ε = 1e-6)."""
    t64 = Trunk().double().eval()
    t64.load_state_dict(trunk.state_dict())
    t64.double()  # the tables and BN statistics; the uint8 codes stay codes
    g = torch.Generator().manual_seed(3)
    x, w = torch.rand(1, 3, 50, 61, generator=g, dtype=torch.float64) * 2 - 1, torch.rand(6, generator=g, dtype=torch.float64)
    with torch.no_grad():
        grad = DreamGrad(t64)(x, w)[1]
        for _ in range(2):
            v = torch.randn(x.shape, generator=g, dtype=torch.float64)
            fd = (dream_loss(t64(x + 1e-6 * v), w) - dream_loss(t64(x - 1e-6 * v), w)) / 2e-6
            assert abs(float(fd / (grad * v).sum()) - 1) < 1e-6


def test_golden_holds_in_onnx_runtime_and_pytorch(trunk):
    gold = golden(MODEL)
    fn = autograd_grad(trunk)
    for case in gold["cases"]:
        inputs = {k: tensor_from_json(v) for k, v in case["inputs"].items()}
        expected = {k: tensor_from_json(v) for k, v in case["outputs"].items()}
        loss, grad = fn(torch.from_numpy(inputs["image"]), torch.from_numpy(inputs["weights"]))
        assert rel(loss, expected["loss"]) < 1e-5 and rel(grad, expected["grad"]) < 1e-5  # golden = autograd
        got = run_exported(ONNX, inputs)
        assert rel(got["loss"], expected["loss"]) < 1e-5 and rel(got["grad"], expected["grad"]) < 1e-5
        assert all(np.abs(got[k] - expected[k]).max() <= gold["tolerance"][k] for k in expected)  # as Vitest reads it


def test_onnx_matches_autograd_at_another_size(trunk):
    """Symbolic H, W: an odd, non-square size the export never saw (stride-2 backward pads differ)."""
    g = torch.Generator().manual_seed(7)
    x, w = torch.rand(1, 3, 91, 70, generator=g) * 2 - 1, torch.tensor([0.0, 0.0, 0.0, 1.0, 0.5, 0.0])
    loss, grad = autograd_grad(trunk)(x, w)
    got = run_exported(ONNX, {"image": x.numpy(), "weights": w.numpy()})
    assert got["grad"].shape == (1, 3, 91, 70)
    assert rel(got["loss"], loss) < 1e-5 and rel(got["grad"], grad) < 1e-5


def test_dream_loop_is_seeded_and_raises_the_loss(trunk):
    photo = (np.asarray(torch.rand(3, 100, 128, generator=torch.Generator().manual_seed(1)) * 60 + 100)
             .transpose(1, 2, 0).astype(np.uint8))  # (100, 128, 3) noisy grey
    w = parse_layers("mixed3:1,mixed4:0.5")
    fn = autograd_grad(trunk)
    kw = dict(octaves=2, octave_scale=1.3, steps=2, step_size=0.02, jitter=8, tile=96)  # last octave: 2 × 2 tiles per step
    a, b, c = dream(photo, fn, w, seed=1, **kw), dream(photo, fn, w, seed=1, **kw), dream(photo, fn, w, seed=2, **kw)
    assert a.shape == photo.shape and np.array_equal(a, b) and not np.array_equal(a, c)
    assert np.abs(a.astype(float) - photo).mean() > 1.0

    def loss(img):
        return float(fn(torch.from_numpy(img).permute(2, 0, 1)[None].float() / 127.5 - 1, w)[0])
    assert loss(a) > loss(photo) * 1.1


def test_loop_helpers():
    assert parse_layers("mixed3:1, mixed5").tolist() == [0, 0, 0, 1, 0, 1]
    for bad in ("mixed9:1", "mixed3:0", ""):
        with pytest.raises(ValueError):
            parse_layers(bad)
    assert octave_shapes(512, 341, 4, 1.4)[-1] == (512, 341) and len(octave_shapes(512, 341, 4, 1.4)) == 4
    assert all(min(s) >= MIN_OCTAVE_SIDE for s in octave_shapes(200, 120, 8, 1.6))
    assert tiles(1024, 512) == [(0, 512), (512, 1024)] and tiles(600, 512) == [(0, 300), (300, 600)]


def test_manifest_and_card():
    m = manifest(MODEL)
    assert m["family"] == "deepdream" and m["layers"] == list(LAYERS) and m["input"]["range"] == [-1, 1]
    keys = {p["key"]: p for p in m["params"]}
    assert set(keys) == {"layers", "octaves", "octaveScale", "steps", "stepSize", "jitter", "maxSide"}
    parse_layers(keys["layers"]["default"])
    assert all((MODELS / MODEL / p["file"]).exists() for p in m["photos"])
    card = (MODELS / MODEL / "CARD.md").read_text()
    for needed in ("nsfwjs@4.4.0", "MIT", "mixed6", "tfjs", "autograd", "examples.jpg", "CC0", "public domain"):
        assert needed in card, needed
