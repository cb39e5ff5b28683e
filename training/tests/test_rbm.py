"""The shipped MNIST RBM: its chains settle into digit-like strokes."""
import torch

from lstudio.onnx_weights import load_state_from_onnx
from lstudio.rbm import GibbsStep, Rbm
from tests.helpers import MODELS

MODEL = "rbm-mnist"


def _step(zero_weights: bool = False) -> GibbsStep:
    state = load_state_from_onnx(MODELS / MODEL / "gibbs.onnx")
    rbm = Rbm(784, state["rbm.W"].shape[1])
    rbm.load_state_dict({k.removeprefix("rbm."): v for k, v in state.items()})
    if zero_weights:  # the same pixel biases with no learned structure: independent noise
        rbm.W.data.zero_()
    return GibbsStep(rbm).eval()


def _chains(step: GibbsStep, n: int = 32, steps: int = 300) -> tuple[torch.Tensor, torch.Tensor]:
    """Run n chains from uniform noise; returns the final p(v|h) and sample v, each (n, 784)."""
    g, H = torch.Generator().manual_seed(0), step.rbm.b_h.shape[0]
    v, zeros = torch.bernoulli(torch.full((n, 784), 0.5), generator=g), torch.zeros(n, 784)
    with torch.no_grad():
        for _ in range(steps):
            _, prob, v = step(v, torch.rand(n, H, generator=g), torch.rand(n, 784, generator=g), zeros, zeros)
    return prob, v


def _stroke_continuity(v: torch.Tensor) -> float:
    """P(right neighbour is ink | pixel is ink) in binary samples: strokes are continuous (real digits
    ≈ 0.77), independent pixel noise is not."""
    x = v.view(-1, 28, 28)
    left, right = x[:, :, :-1], x[:, :, 1:]
    return float((left * right).sum() / left.sum())


def test_chains_from_noise_settle_into_strokes():
    prob, v = _chains(_step())
    _, v_flat = _chains(_step(zero_weights=True))
    assert 0.08 < prob.mean().item() < 0.3  # about as much ink as real digits
    trained, unstructured = _stroke_continuity(v), _stroke_continuity(v_flat)
    assert trained > 0.55 and trained > unstructured + 0.1, (trained, unstructured)
    # chains settle into different digits, not one average blob: mean pairwise distance in pixels
    x = (prob > 0.5).float()
    assert torch.cdist(x, x, p=1).mean().item() > 40


def test_clamped_pixels_stay_fixed():
    step, g = _step(), torch.Generator().manual_seed(1)
    H = step.rbm.b_h.shape[0]
    mask = torch.zeros(2, 784)
    mask[:, :392] = 1
    clamp = torch.bernoulli(torch.full((2, 784), 0.5), generator=g)
    v = torch.bernoulli(torch.full((2, 784), 0.5), generator=g)
    with torch.no_grad():
        _, prob, v_next = step(v, torch.rand(2, H, generator=g), torch.rand(2, 784, generator=g), mask, clamp)
    assert torch.equal(prob[:, :392], clamp[:, :392]) and torch.equal(v_next[:, :392], clamp[:, :392])
