"""The calibrated image metric's machinery on tiny fake data (no trained network, no data download):
a blur of the real images scores worse than fresh real images, coloured blobs worst, and KID is unbiased."""
import numpy as np
import torch
from PIL import Image, ImageDraw

from lstudio.calibration import coloured_blobs, gaussian_blur
from lstudio.style_features import StyleClassifier, all_metrics, embed_all, kid


PALETTE = [(255, 204, 77), (244, 144, 12), (221, 46, 68), (120, 177, 89), (85, 172, 238), (255, 255, 255)]  # emoji-ish


def fake_emoji(n: int, seed: int) -> torch.Tensor:
    """(n, 3, 64, 64) in [-1, 1]: outlined shapes in a few emoji colours with small dark details on white,
    drawn sharp (what blur takes away and random-coloured blobs never had)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        img = Image.new("RGB", (64, 64), "white")
        d = ImageDraw.Draw(img)
        for _ in range(rng.integers(1, 4)):
            x0, y0 = rng.integers(4, 30, 2)
            x1, y1 = x0 + rng.integers(18, 30), y0 + rng.integers(18, 30)
            fill = PALETTE[rng.integers(len(PALETTE))]
            (d.ellipse if rng.random() < 0.5 else d.rectangle)((x0, y0, x1, y1), fill=fill, outline="black", width=2)
            for _ in range(3):  # eyes, seeds, sparkles: one-to-two-pixel detail
                px, py = rng.integers(x0 + 3, x1 - 3), rng.integers(y0 + 3, y1 - 3)
                d.ellipse((px, py, px + 2, py + 2), fill="black")
        out.append(np.asarray(img))
    return torch.from_numpy(np.stack(out)).permute(0, 3, 1, 2).float() / 127.5 - 1


def test_blur_scores_worse_than_identity_and_blobs_worst():
    torch.manual_seed(0)
    net = StyleClassifier(4, 3, width=16).eval()  # random features: the metric, not the training, is tested
    ref_x = fake_emoji(120, seed=1)
    net.set_scale(ref_x)
    ref = embed_all(net, ref_x)
    real = fake_emoji(120, seed=2)
    rows = {"identity": real, "blur_1.0": gaussian_blur(real, 1.0), "blur_1.5": gaussian_blur(real, 1.5),
            "blobs": coloured_blobs(120, seed=3)}
    m = {k: all_metrics(ref, embed_all(net, x)) for k, x in rows.items()}
    for key in ("fid", "kid_x1000"):
        order = [m[k][key] for k in rows]
        assert order == sorted(order), (key, m)
        assert m["identity"][key] < 0.5 * m["blur_1.0"][key], (key, m)
    assert m["identity"]["precision"] > m["blobs"]["precision"]
    assert m["identity"]["recall"] > m["blobs"]["recall"]


def test_blur_keeps_mean_and_softens():
    x = fake_emoji(4, seed=5)
    b = gaussian_blur(x, 1.5)
    assert b.shape == x.shape
    assert torch.allclose(b.mean((2, 3)), x.mean((2, 3)), atol=0.02)  # reflect padding keeps the white border
    assert (b[..., 1:] - b[..., :-1]).abs().mean() < 0.6 * (x[..., 1:] - x[..., :-1]).abs().mean()


def test_kid_is_unbiased_on_samples_of_one_distribution():
    """Two independent sets from the same distribution: the unbiased MMD² averages ≈ 0 (the biased
    V-statistic, which keeps k(x, x), stays clearly positive), and a shifted set is far above it."""
    rng = np.random.default_rng(0)
    same = [kid(rng.normal(size=(300, 16)), rng.normal(size=(300, 16)), subsets=20, size=100, seed=i)[0]
            for i in range(10)]
    x, y = rng.normal(size=(100, 16)), rng.normal(size=(100, 16))
    kxx, kyy, kxy = ((u @ v.T / 16 + 1) ** 3 for u, v in ((x, x), (y, y), (x, y)))
    biased = kxx.mean() + kyy.mean() - 2 * kxy.mean()
    shifted = kid(rng.normal(size=(300, 16)), rng.normal(size=(300, 16)) + 0.5, subsets=20, size=100)[0]
    assert abs(np.mean(same)) < 0.1 * biased
    assert abs(np.mean(same)) < 0.05 * shifted


def test_inception_view_orders_blurs_with_and_without_the_low_pass():
    """The shipped ImageNet trunk's mixed5 means (lstudio.metric_features), on fake emoji: fresh images score
    best, then σ = 1.0, then σ = 1.5 blurs, also when every set is low-passed alike first."""
    from lstudio.loop import ROOT
    from lstudio.metric_features import load_trunk, mixed5_means
    trunk = load_trunk(ROOT / "models/deepdream-inception/model.onnx")
    ref_x, real = fake_emoji(60, seed=1), fake_emoji(60, seed=2)
    for low_pass in (0.0, 1.0):
        ref = mixed5_means(trunk, ref_x, low_pass=low_pass)
        assert ref.shape == (60, 768)
        fid = [all_metrics(ref, mixed5_means(trunk, x, low_pass=low_pass))["fid"]
               for x in (real, gaussian_blur(real, 1.0), gaussian_blur(real, 1.5))]
        assert fid == sorted(fid), (low_pass, fid)
    assert not np.allclose(mixed5_means(trunk, real[:2]), mixed5_means(trunk, real[:2], low_pass=1.0))


def test_checks_name_a_metric_that_ranks_a_model_ahead_of_a_blur_the_eye_prefers():
    from eval_image_metric import checks
    r = lambda f, k: {"fid": f, "kid_x1000": k}
    sane = {"real_vs_real": r(5, 10), "twemoji": r(20, 60), "blur_1.0": r(30, 100), "blur_1.5": r(50, 200),
            "blobs": r(90, 900), "dcgan-emoji": r(70, 400), "vae-emoji": r(120, 1200), "vaegan-emoji": r(110, 1100)}
    assert all(checks(sane).values()), checks(sane)
    fooled = {**sane, "dcgan-emoji": r(40, 150)}
    failed = [k for k, ok in checks(fooled).items() if not ok]
    assert failed == ["fid: blur_1.5 better than dcgan-emoji (as the grids look)",
                      "kid_x1000: blur_1.5 better than dcgan-emoji (as the grids look)"]


def test_card_facts_bold_the_model_place_it_among_the_references_and_flag_stale_weights():
    from lstudio.calibration import calibrated_facts
    from lstudio.export import files_hash
    from lstudio.loop import ROOT
    row = lambda f: {"fid": f, "kid_x1000": f, "kid_x1000_std": 1.0, "precision": 0.5, "recall": 0.5}
    rows = {"real_vs_real": row(5), "twemoji": row(20), "blur_1.0": row(30), "blur_1.5": row(50), "blobs": row(90),
            "dcgan-emoji": row(70)}
    now = files_hash([ROOT / "models/dcgan-emoji/generator.onnx"])
    metric = {"rows": rows, "features": "f", "low_pass": 2.0, "weights": {"dcgan-emoji": {"file": "generator.onnx", "sha256": now}}}
    f = calibrated_facts(metric, "dcgan-emoji")
    assert "| **`dcgan-emoji` samples (this model)** | 70.0 |" in f["table"]
    assert f["where"] == "between real, blur σ = 1.5 and coloured blobs"
    assert f["weights"] == f"the shipped `generator.onnx` (sha256 prefix `{now}`)"
    stale = calibrated_facts({**metric, "weights": {"dcgan-emoji": {"file": "generator.onnx", "sha256": "0" * 16}}}, "dcgan-emoji")
    assert stale["weights"].startswith("EARLIER weights")
