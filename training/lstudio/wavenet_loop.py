"""Build the studio's `generate` graph: a whole chunk of WaveNet samples in one ONNX `Loop`.

Interface (fixed, the TypeScript engine codes against it):
  inputs  instrument (b) int64, pitch (b) int64 MIDI, temperature (b) float32, noise (b, chunk) float32 in [0, 1)
          (one uniform per sample: inverse-CDF sampling in-graph, so TypeScript seeds everything; its length
          is the trip count), prev (b) int64 previous code (128 at the start), state (b, S) float32 (zeros).
  outputs audio (b, chunk) float32 in [-1, 1], prev_out (b) int64, state_out (b, S) float32.

The packed state is [queues (N·R), the last H codes − 128 (H = history, for the period tap; zeros = silence)].

Why it is fast: a batch-1 step is bound by per-node overhead, not arithmetic, so the body has ~6 nodes per
layer. Everything that does not change per sample runs once outside the Loop (instrument/pitch conditioning,
the period tap's rows and weights, 1/temperature, noise transpose, state unpacking, mu-law decoding of the collected codes). Inside: all layers'
dilation taps come from one Gather of the packed queue buffer and one batched MatMul; each layer is
Gemm (current tap + tap/cond bias as C) → Split → Tanh, Sigmoid → Mul → Gemm (residual as C); the skips are
one Concat + Gemm; sampling is Mul, Softmax, CumSum, Less, Cast, ReduceSum (noise is clamped below 1 outside
the Loop so the count never reaches 256); the queue update is
Concat + Reshape + Concat + Gather; the period tap is GatherElements + Gather + MatMul + Squeeze + Add, its
history update Unsqueeze + Concat + Slice. Initializers are named like the PyTorch parameters (per-layer
`cur.l`, `res.l`), and the model config is stored in the metadata so `load_from_onnx` rebuilds the module.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from lstudio.wavenet import SILENCE, U_MAX, WaveNet, mulaw_table, period_taps, queue_layout

OPSET = 17
F32, I64 = TensorProto.FLOAT, TensorProto.INT64


def _weights(net: WaveNet) -> dict[str, np.ndarray]:
    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in net.state_dict().items()}
    w = {k: sd[k] for k in ["embed.weight", "instrument.weight", "pitch.weight", "cond.weight", "cond.bias", "tap", "lag.weight",
                            "skip.weight", "skip.bias", "hid.weight", "hid.bias", "out.weight", "out.bias"]}
    for l in range(len(net.dilations)):
        w[f"cur.{l}"] = sd["cur"][l]
        if l < len(net.dilations) - 1:
            w[f"res.{l}"] = sd["res"][l]
    return w


def _body(L: int, R: int, N: int, H: int, with_logits: bool) -> onnx.GraphProto:
    """One sample. Outer-scope values used: noise_t (chunk, b, 1), inv_t (b, 1), cond (b, L*2R), lag_rows (b, 2),
    lag_w (b, 1, 2), weights."""
    n, mk = [], helper.make_node
    n += [mk("Identity", ["cond_in"], ["cond_out"]),
          mk("Gather", ["noise_t", "iter"], ["u"], axis=0),                       # (b, 1)
          mk("GatherElements", ["hist", "lag_rows"], ["lag_codes"], axis=1),    # (b, 2) c[t-k], c[t-k-1]
          mk("Gather", ["lag.weight", "lag_codes"], ["lag_e"], axis=0),          # (b, 2, R)
          mk("MatMul", ["lag_w", "lag_e"], ["lag_x"]),                           # (b, 1, R)
          mk("Squeeze", ["lag_x", "axis1"], ["lag_v"]),                          # (b, R)
          mk("Gather", ["embed.weight", "prev"], ["x_prev"], axis=0),            # (b, R)
          mk("Add", ["x_prev", "lag_v"], ["x0"]),
          mk("Gather", ["state", "tap_rows"], ["taps_r"], axis=1),               # (b, L*(K-1), R)
          mk("Reshape", ["taps_r", "shape_taps"], ["taps"]),                     # (b, L, 1, (K-1)R)
          mk("MatMul", ["taps", "tap"], ["tz"]),                                 # (b, L, 1, 2R)
          mk("Reshape", ["tz", "shape_tz"], ["tzf"]),                            # (b, L*2R)
          mk("Add", ["tzf", "cond"], ["tzc"]),                                   # + global conditioning
          mk("Split", ["tzc"], [f"tz{l}" for l in range(L)], axis=1)]            # L × (b, 2R)
    for l in range(L):
        x = f"x{l}"
        n += [mk("Gemm", [x, f"cur.{l}", f"tz{l}"], [f"z{l}"]),
              mk("Split", [f"z{l}"], [f"za{l}", f"zb{l}"], axis=1),
              mk("Tanh", [f"za{l}"], [f"ta{l}"]), mk("Sigmoid", [f"zb{l}"], [f"sb{l}"]),
              mk("Mul", [f"ta{l}", f"sb{l}"], [f"g{l}"])]                         # (b, R)
        if l < L - 1:
            n.append(mk("Gemm", [f"g{l}", f"res.{l}", x], [f"x{l + 1}"]))       # x + g @ res
    n += [mk("Concat", [f"g{l}" for l in range(L)], ["gs"], axis=1),             # (b, L*R)
          mk("Gemm", ["gs", "skip.weight", "skip.bias"], ["h1"], transB=1), mk("Relu", ["h1"], ["r1"]),
          mk("Gemm", ["r1", "hid.weight", "hid.bias"], ["h2"], transB=1), mk("Relu", ["h2"], ["r2"]),
          mk("Gemm", ["r2", "out.weight", "out.bias"], ["logits"], transB=1),     # (b, 256)
          mk("Mul", ["logits", "inv_t"], ["scaled"]), mk("Softmax", ["scaled"], ["p"], axis=1),
          mk("CumSum", ["p", "one"], ["cdf"]), mk("Less", ["cdf", "u"], ["below"]),
          mk("Cast", ["below"], ["below_i"], to=I64),
          mk("ReduceSum", ["below_i", "axis1"], ["count"], keepdims=0),           # (b,)
          mk("Identity", ["count"], ["prev_next"]),
          mk("Unsqueeze", ["count", "axis1"], ["count_col"]),                    # (b, 1)
          mk("Concat", ["hist", "count_col"], ["hist_grown"], axis=1),           # (b, H + 1)
          mk("Slice", ["hist_grown", "axis1", "hist_end", "axis1"], ["hist_next"]),  # drop the oldest
          mk("Concat", [f"x{l}" for l in range(L)], ["xs"], axis=1),             # (b, L*R)
          mk("Reshape", ["xs", "shape_rows"], ["rows"]),                         # (b, L, R)
          mk("Concat", ["state", "rows"], ["grown"], axis=1),                    # (b, N + L, R)
          mk("Gather", ["grown", "update_rows"], ["state_next"], axis=1)]        # (b, N, R)
    vi = helper.make_tensor_value_info
    consts = [numpy_helper.from_array(np.array(1, np.int64), "one"),
              numpy_helper.from_array(np.array([1], np.int64), "axis1"),
              numpy_helper.from_array(np.array([H + 1], np.int64), "hist_end")]
    outs = [vi("cond_out", TensorProto.BOOL, []), vi("prev_next", I64, ["batch"]),
            vi("state_next", F32, ["batch", N, R]), vi("hist_next", I64, ["batch", H]), vi("count", I64, ["batch"])]
    if with_logits:
        outs.append(vi("logits", F32, ["batch", 256]))
    return helper.make_graph(n, "wavenet_step", [vi("iter", I64, []), vi("cond_in", TensorProto.BOOL, []),
                             vi("prev", I64, ["batch"]), vi("state", F32, ["batch", N, R]),
                             vi("hist", I64, ["batch", H])], outs,
                             initializer=consts)


def build_generate(net: WaveNet, pitch_min: int, with_logits: bool = False) -> onnx.ModelProto:
    """The Loop graph (see module docstring). with_logits adds `logits_seq` (chunk, b, 256) and the sampled
    `codes` (chunk, b) for parity checks."""
    L, R = len(net.dilations), net.embed.embedding_dim
    taps, update, N = queue_layout(net.dilations, net.kernel)
    P, H = net.kernel - 1, net.history
    # the period tap per MIDI pitch, computed as lstudio.wavenet.FastGenerator.start does
    k, a = period_taps(torch.arange(128), H)
    lag_rows = torch.stack([H - k, H - k - 1], 1).numpy()  # (128, 2) history rows of c[t-k], c[t-k-1]
    lag_w = torch.stack([1 - a, a], 1)[:, None].numpy()  # (128, 1, 2)
    mk, vi = helper.make_node, helper.make_tensor_value_info
    inits = {**_weights(net), "tap_rows": taps, "update_rows": update, "decode": mulaw_table(),
             "pitch_min": np.array(pitch_min, np.int64), "shape_state": np.array([0, N, R], np.int64),
             "shape_taps": np.array([0, L, 1, P * R], np.int64), "u_max": np.array(U_MAX, np.float32),
             "shape_flat": np.array([0, N * R], np.int64), "shape_tz": np.array([0, L * 2 * R], np.int64),
             "shape_rows": np.array([0, L, R], np.int64), "state_split": np.array([N * R, H], np.int64),
             "lag_rows_table": lag_rows, "lag_w_table": lag_w, "silence": np.array(SILENCE, np.float32),
             "perm_axis": np.array([1], np.int64), "axis2": np.array([2], np.int64), "i1": np.array(1, np.int64)}
    loop_outs = ["prev_out", "state_last", "hist_last", "codes"] + (["logits_seq"] if with_logits else [])
    nodes = [mk("Gather", ["instrument.weight", "instrument"], ["e_i"], axis=0),
             mk("Sub", ["pitch", "pitch_min"], ["pitch_idx"]),
             mk("Gather", ["pitch.weight", "pitch_idx"], ["e_p"], axis=0),
             mk("Add", ["e_i", "e_p"], ["e"]),                                   # (b, E)
             mk("Gemm", ["e", "cond.weight", "cond.bias"], ["cond"], transB=1),  # (b, L*2R)
             mk("Gather", ["lag_rows_table", "pitch"], ["lag_rows"], axis=0),   # (b, 2)
             mk("Gather", ["lag_w_table", "pitch"], ["lag_w"], axis=0),         # (b, 1, 2)
             mk("Reciprocal", ["temperature"], ["inv_t1"]),
             mk("Unsqueeze", ["inv_t1", "perm_axis"], ["inv_t"]),                # (b, 1)
             mk("Min", ["noise", "u_max"], ["noise_c"]),                         # CDF end ≈ 1 ± 1e-5 > u
             mk("Transpose", ["noise_c"], ["noise_tb"], perm=[1, 0]),
             mk("Unsqueeze", ["noise_tb", "axis2"], ["noise_t"]),                # (chunk, b, 1)
             mk("Shape", ["noise"], ["noise_shape"]),
             mk("Gather", ["noise_shape", "i1"], ["trips"], axis=0),             # scalar
             mk("Split", ["state", "state_split"], ["queues", "hist_f"], axis=1),  # (b, N*R), (b, H)
             mk("Reshape", ["queues", "shape_state"], ["state3"]),               # (b, N, R)
             mk("Add", ["hist_f", "silence"], ["hist_c"]),
             mk("Cast", ["hist_c"], ["hist0"], to=I64),                          # (b, H) codes
             mk("Loop", ["trips", "", "prev", "state3", "hist0"], loop_outs, body=_body(L, R, N, H, with_logits)),
             mk("Gather", ["decode", "codes"], ["audio_t"], axis=0),             # (chunk, b)
             mk("Transpose", ["audio_t"], ["audio"], perm=[1, 0]),
             mk("Reshape", ["state_last", "shape_flat"], ["queues_out"]),
             mk("Cast", ["hist_last"], ["hist_lf"], to=F32),
             mk("Sub", ["hist_lf", "silence"], ["hist_out"]),
             mk("Concat", ["queues_out", "hist_out"], ["state_out"], axis=1)]
    outputs = [vi("audio", F32, ["batch", "chunk"]), vi("prev_out", I64, ["batch"]),
               vi("state_out", F32, ["batch", N * R + H])]
    if with_logits:
        outputs += [vi("logits_seq", F32, ["chunk", "batch", 256]), vi("codes", I64, ["chunk", "batch"])]
    graph = helper.make_graph(
        nodes, "wavenet_generate",
        [vi("instrument", I64, ["batch"]), vi("pitch", I64, ["batch"]), vi("temperature", F32, ["batch"]),
         vi("noise", F32, ["batch", "chunk"]), vi("prev", I64, ["batch"]), vi("state", F32, ["batch", N * R + H])],
        outputs, initializer=[numpy_helper.from_array(np.asarray(v), k) for k, v in inits.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="latent-studio")
    model.ir_version = 8  # opset 17's IR; onnxruntime-node 1.30 reads it
    helper.set_model_props(model, {"wavenet_config": json.dumps(net.config), "pitch_min": str(pitch_min)})
    onnx.checker.check_model(model)
    return model


def load_from_onnx(path: Path) -> tuple[WaveNet, int]:
    """The shipped weights back as a PyTorch WaveNet (for the PyTorch benchmark and tests): no runs/ needed."""
    model = onnx.load(str(path))
    meta = {p.key: p.value for p in model.metadata_props}
    net = WaveNet(**json.loads(meta["wavenet_config"]))
    w = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in model.graph.initializer}
    L = len(net.dilations)
    sd = {k: w[k] for k in net.state_dict() if k in w}
    sd["cur"] = torch.stack([w[f"cur.{l}"] for l in range(L)])
    sd["res"] = torch.stack([w[f"res.{l}"] for l in range(L - 1)]) if L > 1 else net.res.data
    net.load_state_dict(sd)
    return net.eval(), int(meta["pitch_min"])


def state_size(net: WaveNet) -> int:
    return (net.kernel - 1) * sum(net.dilations) * net.embed.embedding_dim + net.history  # queues, then history
