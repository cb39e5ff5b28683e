"""The PyTorch baseline of `text.chars_per_s.*` samples with the very weights the studio ships: the LSTM
rebuilt from step.onnx reproduces golden.json, and its sampling loop runs at batch 1 and 8."""
import pytest

from bench_torch_text import chars_per_s, lstm_from_onnx
from tests.helpers import MODELS

TEXT_MODELS = sorted(p.parent for p in MODELS.glob("*/model.json") if '"char-lstm"' in p.read_text())


@pytest.mark.parametrize("model_dir", TEXT_MODELS, ids=lambda p: p.name)
def test_baseline_runs_the_shipped_weights(model_dir):
    net, diff = lstm_from_onnx(model_dir)  # exits if the rebuilt net is not within golden atol
    assert diff <= 1e-4
    for b in (1, 8):
        assert chars_per_s(net, b, 5, 0.8, 0) > 0
