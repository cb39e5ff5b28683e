"""Read a PyTorch state dict back out of an exported ONNX file (initializers keep the parameter names
when exported with `do_constant_folding=False`), so baselines and tests run the exact shipped weights."""
from pathlib import Path

import torch


def load_state_from_onnx(path: Path) -> dict[str, torch.Tensor]:
    import onnx
    from onnx import numpy_helper
    model = onnx.load(str(path))
    return {init.name: torch.from_numpy(numpy_helper.to_array(init).copy()) for init in model.graph.initializer}
