"""The per-op overhead benchmark times what it says: the chain graph adds c exactly k times per trip in
ONNX Runtime (so (t61 − t1) / 60 is one node), and the PyTorch side returns a positive cost."""
import numpy as np

from bench_overhead import chain_graph, torch_us_per_op
from lstudio.export import run_exported


def test_chain_graph_adds_k_times_per_trip(tmp_path):
    path = tmp_path / "chain5.onnx"
    path.write_bytes(chain_graph(5).SerializeToString())
    assert sum(n.op_type == "Add" for n in chain_graph(5).graph.node[0].attribute[0].g.node) == 5
    out = run_exported(path, {"trips": np.array(3, np.int64), "x0": np.zeros((1, 32), np.float32)})
    assert np.allclose(out["y"], 15 * 1e-3)


def test_torch_cost_is_measured():
    assert torch_us_per_op(iters=50) > 0
