"""Build the studio's `generate` graph: a whole chunk of WaveNet samples in one ONNX `Loop`.

Interface (fixed, the TypeScript engine codes against it):
  inputs  instrument (b) int64, pitch (b) int64 MIDI, temperature (b) float32, noise (b, chunk) float32 in [0, 1)
          (one uniform per sample: inverse-CDF sampling in-graph, so TypeScript seeds everything; its length
          is the trip count), prev (b) int64 previous code (128 at the start), state (b, S) float32 (zeros).
          With the loudness envelope (`WaveNet(envelope=True)`) also: velocity (b) float32 MIDI velocity,
          envelope (b, chunk) float32 the level (0…1, lstudio.wavenet_data.envelope_frames) of every sample.
  outputs audio (b, chunk) float32 in [-1, 1], prev_out (b) int64, state_out (b, S) float32.

The packed state is [queues (N·R), the last H codes − 128 (H = history, for the period tap; zeros = silence)],
then, with time features, the index of the next sample since the onset (zeros = a new note).

Why it is fast: a batch-1 step is bound by per-node cost, not arithmetic (in ORT a trivial node in a Loop
body costs ~0.4 µs, and each extra output tensor about as much again; measured with `npm run bench`), so the
body has 4 nodes per layer and 28 more (29 with time features). Everything that does not change per sample
runs once outside the Loop (instrument/pitch conditioning, with time features the gate biases of every sample
of the chunk (cond_seq, one Gather per sample inside), the period tap's rows and weights, 1/temperature,
noise transpose, state unpacking, mu-law decoding of the collected codes). Inside: x_0 is one GatherElements of the code history
(c[t-1], c[t-k], c[t-k-1]) + one Gather from the stacked [embed; lag] table + one MatMul with [1, 1-a, a];
all layers' dilation taps come from one Gather of the packed queue buffer and one batched MatMul; each layer
is FusedGemm(tanh) and FusedGemm(sigmoid) (ORT contrib ops: the activation rides on the Gemm, the tap sums
+ conditioning are their C) → Mul → Gemm (residual as C); the skips are one Concat + FusedGemm(relu);
sampling is Mul, Softmax, CumSum, Less, Cast, ReduceSum (noise is clamped below 1 outside the Loop so the
count never reaches 256); the queue update is Concat + Reshape + Concat + Gather, the history update
Concat + Slice. The previous code is the history's newest entry, so `prev` is written there once before the
Loop. Initializers keep the PyTorch parameter names where the layout is the same (`tap`, `res.l`, …), and the
model config is stored in the metadata so `load_from_onnx` rebuilds the module.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from lstudio.wavenet import (SILENCE, U_MAX, VELOCITY_MID, VELOCITY_SCALE, WaveNet, mulaw_table, neg_inv_tau,
                             period_taps, queue_layout)

OPSET = 17
F32, I64 = TensorProto.FLOAT, TensorProto.INT64


def _weights(net: WaveNet) -> dict[str, np.ndarray]:
    """The graph's initializers. `embed_lag` (512, R) stacks embed (rows 0-255) and lag (rows 256-511) so x_0 is
    one Gather; each layer's current-tap weight is split into its tanh and sigmoid halves (cur.l.tanh,
    cur.l.gate, (R, R) each) so the gate nonlinearity rides on the Gemm (FusedGemm)."""
    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in net.state_dict().items()}
    w = {k: sd[k] for k in ["instrument.weight", "pitch.weight", "cond.weight", "cond.bias", "tap",
                            "skip.weight", "skip.bias", "hid.weight", "hid.bias", "out.weight", "out.bias"]}
    w["embed_lag"] = np.concatenate([sd["embed.weight"], sd["lag.weight"]], 0)
    if net.time_taus:
        w["time.weight_t"] = sd["time.weight"].T.copy()  # (F, L·2R): MatMul's layout
    if net.has_envelope:
        w["envelope.weight_t"] = sd["envelope.weight"].T.copy()  # (1, L·2R)
        w["velocity.weight_t"] = sd["velocity.weight"].T.copy()  # (1, E)
    R = sd["embed.weight"].shape[1]
    for l in range(len(net.dilations)):
        w[f"cur.{l}.tanh"], w[f"cur.{l}.gate"] = sd["cur"][l][:, :R], sd["cur"][l][:, R:]
        if l < len(net.dilations) - 1:
            w[f"res.{l}"] = sd["res"][l]
    return w


def _body(L: int, R: int, N: int, H: int, with_logits: bool, timed: bool, seq: str = "cond_seq",
          min_p: bool = False) -> onnx.GraphProto:
    """One sample, 4L + 28 nodes (+1 with time features). Outer-scope values used: noise_t (chunk, b, 1),
    inv_t (b, 1), cond (b, L*2R) or, timed, cond_seq (chunk, b, L*2R), x0_rows (b, 3) history rows
    [H-1, H-k, H-k-1], x0_w (b, 1, 3) weights [1, 1-a, a], weights."""
    n, mk = [], helper.make_node
    if timed:  # this sample's gate biases: conditioning + time since onset, computed for the chunk outside
        n.append(mk("Gather", [seq, "iter"], ["cond_t"], axis=0))           # (b, L*2R)
    ms = lambda op, i, o, **kw: mk(op, i, o, domain="com.microsoft", **kw)  # noqa: E731  ORT contrib op
    n += [mk("Gather", ["noise_t", "iter"], ["u"], axis=0),                      # (b, 1)
          # x_0 = embed(c[t-1]) + (1-a)·lag(c[t-k]) + a·lag(c[t-k-1]): one gather from [embed; lag]
          mk("GatherElements", ["hist", "x0_rows"], ["x0_codes"], axis=1),     # (b, 3)
          mk("Add", ["x0_codes", "x0_table_offset"], ["x0_idx"]),              # + [0, 256, 256]
          mk("Gather", ["embed_lag", "x0_idx"], ["x0_e"], axis=0),             # (b, 3, R)
          mk("MatMul", ["x0_w", "x0_e"], ["x0_3"]),                              # (b, 1, R)
          mk("Reshape", ["x0_3", "shape_bR"], ["x0"]),                           # (b, R)
          mk("Gather", ["state", "tap_rows"], ["taps_r"], axis=1),               # (b, L*(K-1), R)
          mk("Reshape", ["taps_r", "shape_taps"], ["taps"]),                     # (b, L, 1, (K-1)R)
          mk("MatMul", ["taps", "tap"], ["tz"]),                                 # (b, L, 1, 2R)
          mk("Reshape", ["tz", "shape_tz"], ["tzf"]),                            # (b, L*2R)
          mk("Add", ["tzf", "cond_t" if timed else "cond"], ["tzc"]),            # + global conditioning
          mk("Split", ["tzc"], [f"t{h}{l}" for l in range(L) for h in "ab"], axis=1)]  # 2L × (b, R)
    for l in range(L):
        x = f"x{l}"
        n += [ms("FusedGemm", [x, f"cur.{l}.tanh", f"ta{l}"], [f"ta_{l}"], activation="Tanh"),
              ms("FusedGemm", [x, f"cur.{l}.gate", f"tb{l}"], [f"sb_{l}"], activation="Sigmoid"),
              mk("Mul", [f"ta_{l}", f"sb_{l}"], [f"g{l}"])]                       # (b, R)
        if l < L - 1:
            n.append(mk("Gemm", [f"g{l}", f"res.{l}", x], [f"x{l + 1}"]))       # x + g @ res
    n += [mk("Concat", [f"g{l}" for l in range(L)], ["gs"], axis=1),             # (b, L*R)
          ms("FusedGemm", ["gs", "skip.weight", "skip.bias"], ["r1"], transB=1, activation="Relu"),
          ms("FusedGemm", ["r1", "hid.weight", "hid.bias"], ["r2"], transB=1, activation="Relu"),
          mk("Gemm", ["r2", "out.weight", "out.bias"], ["logits"], transB=1),     # (b, 256)
          mk("Mul", ["logits", "inv_t"], ["scaled"]), mk("Softmax", ["scaled"], ["p"], axis=1)]
    if min_p:  # min-p sampling (lstudio.wavenet.sample): drop codes below min_p × the top one, scale u by the rest
        n += [mk("ReduceMax", ["p"], ["p_top"], axes=[1], keepdims=1),                    # (b, 1)
              mk("Mul", ["p_top", "min_p_col"], ["p_thr"]), mk("Less", ["p", "p_thr"], ["p_drop"]),
              mk("Where", ["p_drop", "zero_p", "p"], ["p_kept"]),
              mk("ReduceSum", ["p_kept", "axis1"], ["p_sum"], keepdims=1), mk("Mul", ["u", "p_sum"], ["u_kept"])]
    n += [mk("CumSum", ["p_kept" if min_p else "p", "one"], ["cdf"]), mk("Less", ["cdf", "u_kept" if min_p else "u"], ["below"]),
          mk("Cast", ["below"], ["below_i"], to=I64),
          mk("ReduceSum", ["below_i", "axis1"], ["count"], keepdims=1),           # (b, 1) the sampled code
          mk("Concat", ["hist", "count"], ["hist_grown"], axis=1),               # (b, H + 1)
          mk("Slice", ["hist_grown", "axis1", "hist_end", "axis1"], ["hist_next"]),  # drop the oldest
          mk("Concat", [f"x{l}" for l in range(L)], ["xs"], axis=1),             # (b, L*R)
          mk("Reshape", ["xs", "shape_rows"], ["rows"]),                         # (b, L, R)
          mk("Concat", ["state", "rows"], ["grown"], axis=1),                    # (b, N + L, R)
          mk("Gather", ["grown", "update_rows"], ["state_next"], axis=1),        # (b, N, R)
          mk("Identity", ["cond_in"], ["cond_out"])]
    vi = helper.make_tensor_value_info
    consts = [numpy_helper.from_array(np.array(1, np.int64), "one"),
              numpy_helper.from_array(np.array([1], np.int64), "axis1"),
              numpy_helper.from_array(np.array([H + 1], np.int64), "hist_end"),
              numpy_helper.from_array(np.array([0, 256, 256], np.int64), "x0_table_offset"),
              numpy_helper.from_array(np.array([0, R], np.int64), "shape_bR")] + \
        ([numpy_helper.from_array(np.array(0, np.float32), "zero_p")] if min_p else [])
    outs = [vi("cond_out", TensorProto.BOOL, []), vi("state_next", F32, ["batch", N, R]),
            vi("hist_next", I64, ["batch", H]), vi("count", I64, ["batch", 1])]
    if with_logits:
        outs.append(vi("logits", F32, ["batch", 256]))
    return helper.make_graph(n, "wavenet_step", [vi("iter", I64, []), vi("cond_in", TensorProto.BOOL, []),
                             vi("state", F32, ["batch", N, R]), vi("hist", I64, ["batch", H])], outs,
                             initializer=consts)


def _envelope_nodes(timed: bool) -> list[onnx.NodeProto]:
    """cond_seq (chunk, b, L*2R) (or cond, without time features) + envelope(e) for every sample → cond_env."""
    mk = helper.make_node
    return [mk("Transpose", ["envelope"], ["env_tb"], perm=[1, 0]),                  # (chunk, b)
            mk("Unsqueeze", ["env_tb", "axis2"], ["env3"]),                       # (chunk, b, 1)
            mk("MatMul", ["env3", "envelope.weight_t"], ["env_bias"]),            # (chunk, b, L*2R)
            mk("Add", ["cond_seq" if timed else "cond", "env_bias"], ["cond_env"])]


def _velocity_nodes() -> list[onnx.NodeProto]:
    """e (b, E) + velocity((v − 90) / 37) → e_v, as lstudio.wavenet.WaveNet.cond_bias."""
    mk = helper.make_node
    return [mk("Sub", ["velocity", "velocity_mid"], ["v_c"]),
            mk("Mul", ["v_c", "velocity_scale"], ["v_f"]),
            mk("Unsqueeze", ["v_f", "perm_axis"], ["v_col"]),                      # (b, 1)
            mk("MatMul", ["v_col", "velocity.weight_t"], ["e_vel"]),               # (b, E)
            mk("Add", ["e_pi", "e_vel"], ["e"])]


def _time_nodes() -> list[onnx.NodeProto]:
    """cond (b, L*2R) + time(f(p)) for every sample p of the chunk → cond_seq (chunk, b, L*2R), where p = the
    state's position + 0 … chunk-1 and f(p) = exp(p · neg_inv_tau) (lstudio.wavenet.WaveNet.time_bias)."""
    mk = helper.make_node
    return [mk("Cast", ["trips"], ["trips_f"], to=F32),
            mk("Range", ["zero_f", "trips_f", "one_f"], ["steps"]),              # (chunk,)
            mk("Unsqueeze", ["steps", "perm_axis"], ["steps_c"]),                # (chunk, 1)
            mk("Transpose", ["pos_f"], ["pos_row"], perm=[1, 0]),                # (1, b)
            mk("Add", ["steps_c", "pos_row"], ["t_seq"]),                         # (chunk, b)
            mk("Unsqueeze", ["t_seq", "axis2"], ["t3"]),                          # (chunk, b, 1)
            mk("Mul", ["t3", "neg_inv_tau"], ["t_scaled"]),                       # (chunk, b, F)
            mk("Exp", ["t_scaled"], ["t_feats"]),
            mk("MatMul", ["t_feats", "time.weight_t"], ["t_bias"]),               # (chunk, b, L*2R)
            mk("Add", ["t_bias", "cond"], ["cond_seq"])]


def build_generate(net: WaveNet, pitch_min: int, with_logits: bool = False, min_p: bool = False) -> onnx.ModelProto:
    """The Loop graph (see module docstring). with_logits adds `logits_seq` (chunk, b, 256) and the sampled
    `codes` (chunk, b) for parity checks; min_p adds the input min_p (b) float32 (min-p sampling, 0 = off:
    lstudio.wavenet.sample)."""
    L, R = len(net.dilations), net.embed.embedding_dim
    taps, update, N = queue_layout(net.dilations, net.kernel)
    P, H = net.kernel - 1, net.history
    T = 1 if net.time_taus else 0  # the state's last slot: the next sample's index since the onset
    V = net.has_envelope  # velocity and per-sample envelope inputs
    # the period tap per MIDI pitch, computed as lstudio.wavenet.FastGenerator.start does
    k, a = period_taps(torch.arange(128), H)
    x0_rows = torch.stack([torch.full_like(k, H - 1), H - k, H - k - 1], 1).numpy()  # (128, 3) c[t-1], c[t-k], c[t-k-1]
    x0_w = torch.stack([torch.ones_like(a), 1 - a, a], 1)[:, None].numpy()  # (128, 1, 3)
    mk, vi = helper.make_node, helper.make_tensor_value_info
    inits = {**_weights(net), "tap_rows": taps, "update_rows": update, "decode": mulaw_table(),
             "pitch_min": np.array(pitch_min, np.int64), "shape_state": np.array([0, N, R], np.int64),
             "shape_taps": np.array([0, L, 1, P * R], np.int64), "u_max": np.array(U_MAX, np.float32),
             "shape_flat": np.array([0, N * R], np.int64), "shape_tz": np.array([0, L * 2 * R], np.int64),
             "shape_rows": np.array([0, L, R], np.int64), "state_split": np.array([N * R, H] + [1] * T, np.int64),
             "x0_rows_table": x0_rows, "x0_w_table": x0_w, "silence": np.array(SILENCE, np.float32),
             "perm_axis": np.array([1], np.int64), "axis2": np.array([2], np.int64), "i1": np.array(1, np.int64),
             **({"neg_inv_tau": neg_inv_tau(net.time_taus).numpy(), "zero_f": np.array(0, np.float32),
                 "one_f": np.array(1, np.float32)} if T else {}),
             **({"velocity_mid": np.array(VELOCITY_MID, np.float32),
                 "velocity_scale": np.array(VELOCITY_SCALE, np.float32)} if V else {}),
             "i_last": np.array(H - 1, np.int64), "hist_keep": np.array([H - 1], np.int64), "zero1": np.array([0], np.int64)}
    loop_outs = ["state_last", "hist_last", "codes_s"] + (["logits_seq"] if with_logits else [])
    nodes = [mk("Gather", ["instrument.weight", "instrument"], ["e_i"], axis=0),
             mk("Sub", ["pitch", "pitch_min"], ["pitch_idx"]),
             mk("Gather", ["pitch.weight", "pitch_idx"], ["e_p"], axis=0),
             mk("Add", ["e_i", "e_p"], ["e_pi" if V else "e"]),                  # (b, E)
             *(_velocity_nodes() if V else []),
             mk("Gemm", ["e", "cond.weight", "cond.bias"], ["cond"], transB=1),  # (b, L*2R)
             mk("Gather", ["x0_rows_table", "pitch"], ["x0_rows"], axis=0),     # (b, 3)
             mk("Gather", ["x0_w_table", "pitch"], ["x0_w"], axis=0),           # (b, 1, 3)
             *([mk("Unsqueeze", ["min_p", "perm_axis"], ["min_p_col"])] if min_p else []),  # (b, 1)
             mk("Reciprocal", ["temperature"], ["inv_t1"]),
             mk("Unsqueeze", ["inv_t1", "perm_axis"], ["inv_t"]),                # (b, 1)
             mk("Min", ["noise", "u_max"], ["noise_c"]),                         # CDF end ≈ 1 ± 1e-5 > u
             mk("Transpose", ["noise_c"], ["noise_tb"], perm=[1, 0]),
             mk("Unsqueeze", ["noise_tb", "axis2"], ["noise_t"]),                # (chunk, b, 1)
             mk("Shape", ["noise"], ["noise_shape"]),
             mk("Gather", ["noise_shape", "i1"], ["trips"], axis=0),             # scalar
             mk("Split", ["state", "state_split"], ["queues", "hist_f"] + (["pos_f"] if T else []), axis=1),  # (b, N*R), (b, H)[, (b, 1)]
             mk("Reshape", ["queues", "shape_state"], ["state3"]),               # (b, N, R)
             mk("Add", ["hist_f", "silence"], ["hist_c"]),
             mk("Cast", ["hist_c"], ["hist_s"], to=I64),                         # (b, H) codes
             # the newest history entry IS the previous code: `prev` sets it (the Loop reads c[t-1] there)
             mk("Slice", ["hist_s", "zero1", "hist_keep", "perm_axis"], ["hist_old"]),  # (b, H - 1) all but the newest
             mk("Unsqueeze", ["prev", "perm_axis"], ["prev_col"]),               # (b, 1)
             mk("Concat", ["hist_old", "prev_col"], ["hist0"], axis=1),          # (b, H)
             *(_time_nodes() if T else []),
             *(_envelope_nodes(T == 1) if V else []),
             mk("Loop", ["trips", "", "state3", "hist0"], loop_outs,
                body=_body(L, R, N, H, with_logits, T == 1 or V, "cond_env" if V else "cond_seq", min_p)),
             mk("Squeeze", ["codes_s", "axis2"], ["codes"]),                     # (chunk, b)
             mk("Gather", ["hist_last", "i_last"], ["prev_out"], axis=1),        # (b,) the last code
             mk("Gather", ["decode", "codes"], ["audio_t"], axis=0),             # (chunk, b)
             mk("Transpose", ["audio_t"], ["audio"], perm=[1, 0]),
             mk("Reshape", ["state_last", "shape_flat"], ["queues_out"]),
             mk("Cast", ["hist_last"], ["hist_lf"], to=F32),
             mk("Sub", ["hist_lf", "silence"], ["hist_out"]),
             *([mk("Add", ["pos_f", "trips_f"], ["pos_out"])] if T else []),              # (b, 1) next sample's index
             mk("Concat", ["queues_out", "hist_out"] + (["pos_out"] if T else []), ["state_out"], axis=1)]
    outputs = [vi("audio", F32, ["batch", "chunk"]), vi("prev_out", I64, ["batch"]),
               vi("state_out", F32, ["batch", N * R + H + T])]
    if with_logits:
        outputs += [vi("logits_seq", F32, ["chunk", "batch", 256]), vi("codes", I64, ["chunk", "batch"])]
    graph = helper.make_graph(
        nodes, "wavenet_generate",
        [vi("instrument", I64, ["batch"]), vi("pitch", I64, ["batch"]), vi("temperature", F32, ["batch"]),
         vi("noise", F32, ["batch", "chunk"]), vi("prev", I64, ["batch"]), vi("state", F32, ["batch", N * R + H + T])] +
        ([vi("velocity", F32, ["batch"]), vi("envelope", F32, ["batch", "chunk"])] if V else []) +
        ([vi("min_p", F32, ["batch"])] if min_p else []),
        outputs, initializer=[numpy_helper.from_array(np.asarray(v), k) for k, v in inits.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)],
                              producer_name="latent-studio")
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
    L, R = len(net.dilations), net.embed.embedding_dim
    sd = {k: w[k] for k in net.state_dict() if k in w}
    sd["embed.weight"], sd["lag.weight"] = w["embed_lag"][:256], w["embed_lag"][256:]
    if net.time_taus:
        sd["time.weight"] = w["time.weight_t"].T.contiguous()
    if net.has_envelope:
        sd["envelope.weight"], sd["velocity.weight"] = w["envelope.weight_t"].T.contiguous(), w["velocity.weight_t"].T.contiguous()
    sd["cur"] = torch.stack([torch.cat([w[f"cur.{l}.tanh"], w[f"cur.{l}.gate"]], 1) for l in range(L)])
    sd["res"] = torch.stack([w[f"res.{l}"] for l in range(L - 1)]) if L > 1 else net.res.data
    net.load_state_dict(sd)
    return net.eval(), int(meta["pitch_min"])


def state_size(net: WaveNet) -> int:
    # queues, then history, then (with time features) the position
    return (net.kernel - 1) * sum(net.dilations) * net.embed.embedding_dim + net.history + (1 if net.time_taus else 0)
