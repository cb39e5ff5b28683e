"""The PyTorch baseline of `text.chars_per_s.*` samples with the very weights the studio ships: the graph
read back from step.onnx reproduces golden.json, the rebuilt fp32 nn.LSTM and its int8 twin write like it,
and both sampling loops run at batch 1 and 8."""
import pytest
import torch

from bench_torch_text import chars_per_s, int8_dynamic, lstm_from_onnx
from lstudio.char_lstm_graph import QuantStep
from tests.helpers import MODELS

TEXT_MODELS = sorted(p.parent for p in MODELS.glob("*/model.json") if '"char-lstm"' in p.read_text())


@pytest.mark.parametrize("model_dir", TEXT_MODELS, ids=lambda p: p.name)
def test_baseline_runs_the_shipped_weights(model_dir):
    net, diff = lstm_from_onnx(model_dir)  # exits if the graph read back is not within golden atol
    assert diff <= 1e-4
    twin = QuantStep(model_dir / "step.onnx")
    x = torch.randint(0, net.vocab, (2, 40), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        want = torch.log_softmax(twin(x, *twin.zero_state(2))[0], -1)
        for model in (net, int8_dynamic(net)):  # the baselines run the same model (up to 8-bit rounding)
            got = torch.log_softmax(model(x, *net.zero_state(2))[0], -1)
            assert (got.exp() - want.exp()).abs().max() < 0.05
            for b in (1, 8):
                assert chars_per_s(model, b, 5, 0.8, 0) > 0
