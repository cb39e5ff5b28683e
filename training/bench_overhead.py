"""Per-op dispatch cost, ONNX Runtime Loop body vs PyTorch eager, for `npm run bench` (`overhead.us_per_op`).

    OMP_NUM_THREADS=1 /usr/bin/python3 training/bench_overhead.py --out DIR

Why: a batch-1 WaveNet step is a chain of ~50 tiny ops (a (1, 32) row through Gemms and gates), so each
runtime's speed there is its fixed cost per op, and the ratio of the two is the most an equal op count can
buy. Writes DIR/chain{1,61}.onnx: a Loop whose body adds a constant to a (1, 32) row 1 or 61 times (the
engine side times them in onnxruntime-node: (t61 - t1) / 60 per trip is one node), and prints
{"torch_us_per_op": x}: the same chain as `y = y + c` in PyTorch eager (inference mode), (t61 - t1) / 60
per iteration, median of 5.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

LONG, SHORT = 61, 1  # adds per iteration: the difference is 60 ops, the per-iteration cost cancels


def chain_graph(k: int) -> onnx.ModelProto:
    """Loop(trips) over x (1, 32): the body adds c k times."""
    vi, mk = helper.make_tensor_value_info, helper.make_node
    nodes, prev = [mk("Identity", ["cond_in"], ["cond_out"])], "x"
    for i in range(k):
        nodes.append(mk("Add", [prev, "c"], [f"a{i}"]))
        prev = f"a{i}"
    nodes.append(mk("Identity", [prev], ["x_next"]))
    body = helper.make_graph(nodes, "chain", [vi("iter", TensorProto.INT64, []), vi("cond_in", TensorProto.BOOL, []),
                             vi("x", TensorProto.FLOAT, [1, 32])],
                             [vi("cond_out", TensorProto.BOOL, []), vi("x_next", TensorProto.FLOAT, [1, 32])],
                             initializer=[numpy_helper.from_array(np.full((1, 32), 1e-3, np.float32), "c")])
    g = helper.make_graph([mk("Loop", ["trips", "", "x0"], ["y"], body=body)], f"chain{k}",
                          [vi("trips", TensorProto.INT64, []), vi("x0", TensorProto.FLOAT, [1, 32])],
                          [vi("y", TensorProto.FLOAT, [1, 32])])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], producer_name="latent-studio")
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def torch_us_per_op(iters: int = 4000) -> float:
    x, c = torch.zeros(1, 32), torch.full((1, 32), 1e-3)

    def per_iter(k: int) -> float:
        t0 = time.perf_counter()
        for _ in range(iters):
            y = x
            for _ in range(k):
                y = y + c
        return (time.perf_counter() - t0) / iters * 1e6

    with torch.inference_mode():
        per_iter(LONG)  # warm-up
        return statistics.median((per_iter(LONG) - per_iter(SHORT)) / (LONG - SHORT) for _ in range(5))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    for k in (SHORT, LONG):
        onnx.save(chain_graph(k), str(a.out / f"chain{k}.onnx"))
    print(json.dumps({"torch_us_per_op": round(torch_us_per_op(), 4), "threads": torch.get_num_threads(),
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
