"""The music LSTM's `generate` graph: K events per ONNX Runtime call, sampled in-graph, built from step.onnx.

Why: at batch 1 the engine's event loop paid ~40 µs of session.run overhead (tensors in and out, N-API) and
~25 µs of JavaScript (float64 softmax over 389 events, decoding) per event on top of ~200 µs of arithmetic.
One ONNX `Loop` over K events pays the call once per K events (the pattern of the WaveNet's generate graph).

Interface (the engine codes against it, src/engine/families/music-lstm.ts):
  inputs  token (b,) int64: the last event read or drawn, not yet fed; h, c (layers, b, hidden) float32: the state
          before it; temperature (b,) float64; uniforms (b, events) float64 in [0, 1): one per event to draw (its
          length is the trip count; the engine's Rng draws them, so the seed decides everything).
  outputs tokens (b, events) int64 drawn in order; h_out, c_out: the state before the last drawn token (fed first
          by the next call).

The Loop body is the step graph's own arithmetic, node for node (lstudio/char_lstm_graph.build_step: the same
initializers, MatMulNBits 8-bit blocks of 32 with accuracy_level 4, the same gate ops), but each layer's h and c
ride the Loop as their own (b, hidden) values: the step graph's Split/Squeeze/Unsqueeze/Concat of the stacked
state run once per call outside the Loop instead of once per event. The draw is the engine's Sampler
(text/sampler.ts) in float64: p = softmax(logits / T), the first id whose running sum exceeds u (ids whose
running sum is ≤ u are counted: zero-probability ids are skipped, as the Sampler skips them), clamped to the
last id should rounding leave the sum a hair below u. Top-k / top-p are not offered for music, so none here.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32, F64, I64 = TensorProto.FLOAT, TensorProto.DOUBLE, TensorProto.INT64
NAMES_IN = ["token", "h", "c", "temperature", "uniforms"]
NAMES_OUT = ["tokens", "h_out", "c_out"]


def _weights(step: onnx.ModelProto) -> tuple[dict, list[onnx.TensorProto], dict]:
    """The step graph's metadata (vocab, hidden, layers, embed, bits, block), its weight initializers, and
    its MatMulNBits attributes per layer (so the body multiplies exactly as the step graph does)."""
    meta = json.loads({p.key: p.value for p in step.metadata_props}["char_lstm"])
    if meta.get("bits") != 8:
        raise ValueError(f"step graph has {meta.get('bits')}-bit weights; the generate graph is built from the 8-bit one")
    keep = {"embed.weight", "head.weight", "head.bias"} | {f"l{l}.{k}" for l in range(meta["layers"]) for k in ("B", "scales", "bias")}
    inits = [i for i in step.graph.initializer if i.name in keep]
    missing = keep - {i.name for i in inits}
    if missing:
        raise ValueError(f"step graph lacks initializers {sorted(missing)}")
    attrs = {n.input[1]: list(n.attribute) for n in step.graph.node if n.op_type == "MatMulNBits"}
    return meta, inits, attrs


def _body(meta: dict, inits: list[onnx.TensorProto], attrs: dict) -> onnx.GraphProto:
    """One event: 12 nodes per layer + 1 embedding Gather + 1 head Gemm + 10 for the draw."""
    L, H, V = meta["layers"], meta["hidden"], meta["vocab"]
    mk, vi = helper.make_node, helper.make_tensor_value_info
    n = [mk("Gather", ["embed.weight", "tok"], ["x0"], axis=0)]  # (b, E)
    for l in range(L):
        mm = mk("MatMulNBits", [f"a{l}", f"l{l}.B", f"l{l}.scales", "", "", f"l{l}.bias"], [f"z{l}"], domain="com.microsoft")
        mm.attribute.extend(attrs[f"l{l}.B"])
        n += [mk("Concat", [f"x{l}", f"h{l}"], [f"a{l}"], axis=1), mm,                      # (b, K_l) → (b, 4H)
              mk("Split", [f"z{l}", "split_gates"], [f"zs{l}", f"zg{l}"], axis=1),           # (b, 3H), (b, H)
              mk("Sigmoid", [f"zs{l}"], [f"s{l}"]), mk("Tanh", [f"zg{l}"], [f"g{l}"]),
              mk("Split", [f"s{l}", "split_sig"], [f"i{l}", f"f{l}", f"o{l}"], axis=1),
              mk("Mul", [f"f{l}", f"c{l}"], [f"fc{l}"]), mk("Mul", [f"i{l}", f"g{l}"], [f"ig{l}"]),
              mk("Add", [f"fc{l}", f"ig{l}"], [f"cn{l}"]), mk("Tanh", [f"cn{l}"], [f"tc{l}"]),
              mk("Mul", [f"o{l}", f"tc{l}"], [f"x{l + 1}"])]                                # h'_l (b, H)
    n += [mk("Gemm", [f"x{L}", "head.weight", "head.bias"], ["logits"]),                  # (b, V) float32
          mk("Gather", ["u_t", "iter"], ["u"], axis=0),                                     # (b, 1) float64
          mk("Cast", ["logits"], ["logits64"], to=F64),
          mk("Div", ["logits64", "temp_col"], ["scaled"]),
          mk("Softmax", ["scaled"], ["p"], axis=1),
          mk("CumSum", ["p", "one"], ["cdf"]),
          mk("LessOrEqual", ["cdf", "u"], ["passed"]),
          mk("Cast", ["passed"], ["passed_i"], to=I64),
          mk("ReduceSum", ["passed_i", "axes1"], ["count"], keepdims=0),                   # (b,)
          mk("Min", ["count", "last_id"], ["tok_next"]),
          mk("Identity", ["tok_next"], ["tok_scan"]), mk("Identity", ["cond_in"], ["cond_out"])]
    consts = [numpy_helper.from_array(np.array([3 * H, H], np.int64), "split_gates"),
              numpy_helper.from_array(np.array([H, H, H], np.int64), "split_sig"),
              numpy_helper.from_array(np.array(1, np.int64), "one"),
              numpy_helper.from_array(np.array([1], np.int64), "axes1"),
              numpy_helper.from_array(np.array([V - 1], np.int64), "last_id")]
    state = [vi(f"{k}{l}", F32, ["batch", H]) for l in range(L) for k in "hc"]
    state_out = [vi(f"x{l + 1}" if k == "h" else f"cn{l}", F32, ["batch", H]) for l in range(L) for k in "hc"]
    # Weights live in the body (not the outer graph) so ORT prepacks MatMulNBits' B as it does for the step graph.
    return helper.make_graph(
        n, "music_event",
        [vi("iter", I64, []), vi("cond_in", TensorProto.BOOL, []), vi("tok", I64, ["batch"])] + state,
        [vi("cond_out", TensorProto.BOOL, []), vi("tok_next", I64, ["batch"])] + state_out + [vi("tok_scan", I64, ["batch"])],
        initializer=inits + consts)


def build_generate(step_path: Path) -> onnx.ModelProto:
    """The generate graph over step.onnx's weights (see the module doc)."""
    step = onnx.load(str(step_path))
    meta, inits, attrs = _weights(step)
    L, H = meta["layers"], meta["hidden"]
    mk, vi = helper.make_node, helper.make_tensor_value_info
    split = lambda name: ([mk("Split", [name], [f"{name}{l}_" for l in range(L)], axis=0)] if L > 1 else  # noqa: E731
                          [mk("Identity", [name], [f"{name}0_"])])
    state = [f"{k}{l}" for l in range(L) for k in "hc"]  # the body's names; outside, "in_" / "_out" around them
    nodes = split("h") + split("c") + [mk("Squeeze", [f"{s}_", "axis0"], [f"in_{s}"]) for s in state] + [
        mk("Unsqueeze", ["temperature", "axes1"], ["temp_col"]),                           # (b, 1)
        mk("Transpose", ["uniforms"], ["u_kb"], perm=[1, 0]),
        mk("Unsqueeze", ["u_kb", "axes2"], ["u_t"]),                                        # (events, b, 1)
        mk("Shape", ["uniforms"], ["u_shape"]),
        mk("Gather", ["u_shape", "one_scalar"], ["trips"], axis=0),
        mk("Loop", ["trips", "", "token"] + [f"in_{s}" for s in state], ["last"] + [f"{s}_out" for s in state] + ["drawn"], body=_body(meta, inits, attrs)),
        mk("Transpose", ["drawn"], ["tokens"], perm=[1, 0])]                                # (b, events)
    for k in "hc":
        nodes += [mk("Unsqueeze", [f"{k}{l}_out", "axis0"], [f"{k}{l}_o"]) for l in range(L)]
        nodes.append(mk("Concat", [f"{k}{l}_o" for l in range(L)], [f"{k}_out"], axis=0))
    consts = [numpy_helper.from_array(np.array([0], np.int64), "axis0"), numpy_helper.from_array(np.array([1], np.int64), "axes1"),
              numpy_helper.from_array(np.array([2], np.int64), "axes2"), numpy_helper.from_array(np.array(1, np.int64), "one_scalar")]
    graph = helper.make_graph(
        nodes, "music_generate",
        [vi("token", I64, ["batch"]), vi("h", F32, [L, "batch", H]), vi("c", F32, [L, "batch", H]),
         vi("temperature", F64, ["batch"]), vi("uniforms", F64, ["batch", "events"])],
        [vi("tokens", I64, ["batch", "events"]), vi("h_out", F32, [L, "batch", H]), vi("c_out", F32, [L, "batch", H])],
        initializer=consts)
    model = helper.make_model(graph, opset_imports=list(step.opset_import), producer_name="latent-studio")
    model.ir_version = step.ir_version
    helper.set_model_props(model, {"char_lstm": json.dumps(meta), "generate": "K events per call, sampled in-graph (lstudio/music_generate_graph.py)"})
    onnx.checker.check_model(model)
    return model


def draw(logits: np.ndarray, temperature: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The engine's Sampler in numpy: logits (b, V) float32, temperature (b,), u (b,) float64 → ids (b,).
    p = exp((logit − max) / T) / Σ in float64; the first id whose running sum exceeds u (clamped to the last)."""
    x = logits.astype(np.float64)
    p = np.exp((x - x.max(1, keepdims=True)) / temperature[:, None])
    p /= p.sum(1, keepdims=True)
    return np.minimum((np.cumsum(p, 1) <= u[:, None]).sum(1), logits.shape[1] - 1).astype(np.int64)


def reference(step, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What the generate graph must give for `feeds`, from a step function (QuantStep.step: the 8-bit graph's
    arithmetic in PyTorch) and `draw`: feed the token, draw from its logits with the next uniform, repeat."""
    import torch
    tok, h, c = (torch.from_numpy(feeds[k]) for k in ("token", "h", "c"))
    drawn = []
    with torch.no_grad():
        for k in range(feeds["uniforms"].shape[1]):
            logits, h, c = step(tok, h, c)
            tok = torch.from_numpy(draw(logits.numpy(), feeds["temperature"], feeds["uniforms"][:, k]))
            drawn.append(tok.numpy())
    return {"tokens": np.stack(drawn, 1), "h_out": h.numpy(), "c_out": c.numpy()}


def generate_cases(step, meta: dict, start: int, seed: int = 2025) -> list[tuple[dict, dict]]:
    """Golden cases: batch 1 from [START] and a zero state at temperature 1 (48 events), and batch 3 from random
    tokens and states at three temperatures (12 events); uniforms from a seeded numpy generator. Short enough that
    the twin's state stays within PARITY_ATOL of ONNX Runtime's: after ~16 steps from random states one activation
    rounded the other way (QuantStep's per-block int8 rounding vs MLAS's) has moved it by ~1e-2; the tokens
    still agree, and the engine's tests compare far longer runs against the step graph itself."""
    rng = np.random.default_rng(seed)
    L, H, V = meta["layers"], meta["hidden"], meta["vocab"]
    zeros = np.zeros((L, 1, H), np.float32)
    feeds = [{"token": np.array([start], np.int64), "h": zeros, "c": zeros.copy(),
              "temperature": np.array([1.0]), "uniforms": rng.random((1, 48))},
             {"token": rng.integers(0, V, 3).astype(np.int64), "h": (0.5 * rng.standard_normal((L, 3, H))).astype(np.float32),
              "c": (0.5 * rng.standard_normal((L, 3, H))).astype(np.float32), "temperature": np.array([1.0, 0.8, 1.3]),
              "uniforms": rng.random((3, 12))}]
    return [(f, reference(step, f)) for f in feeds]


def export_generate_graph(out: Path, start: int) -> tuple[float, int]:
    """Write out/generate.onnx from out/step.onnx and out/golden_generate.json (its cases). ONNX Runtime must draw
    exactly the reference's tokens, and its final state must be within PARITY_ATOL of the reference's. Returns that
    state difference and how many drawn tokens were compared."""
    from .char_lstm_graph import QuantStep, _read
    from .export import PARITY_ATOL, max_abs_diff, run_exported, write_golden
    onnx.save(build_generate(out / "step.onnx"), str(out / "generate.onnx"))
    meta, _ = _read(out / "step.onnx")
    cases = generate_cases(QuantStep(out / "step.onnx").step, meta, start)
    diff, n = 0.0, 0
    for feeds, want in cases:
        got = run_exported(out / "generate.onnx", feeds)
        first = np.argwhere(got["tokens"] != want["tokens"])
        assert len(first) == 0, f"ONNX Runtime drew {got['tokens'][tuple(first[0])]} where the reference drew " \
                                f"{want['tokens'][tuple(first[0])]} (row, event {tuple(first[0])})"
        diff = max(diff, max_abs_diff({k: want[k] for k in ("h_out", "c_out")}, got))
        n += want["tokens"].size
    assert diff <= PARITY_ATOL, f"the generate graph's final state differs from the reference by {diff:.3g}"
    write_golden(out / "golden_generate.json", "generate", cases)
    return diff, n


CARD_SECTION = "Generate graph"
GOLDEN_SENTENCE = ("`golden_generate.json`: the generate graph from [START] and a zero state at batch 1 (48 events, "
                   "temperature 1) and from random tokens and states at batch 3 (12 events, temperatures 1, 0.8, 1.3), "
                   "uniforms from a seeded generator → the tokens the reference draws (exactly) and its final state.")


def card_text(diff: float, n: int) -> str:
    """The card's section on the generate graph, with the parity the export measured."""
    return ("`generate.onnx` writes K events per ONNX Runtime call (the engine asks for 32 at a time): an ONNX `Loop` "
            "whose body is the step graph's own arithmetic (the same 8-bit weights and operators; each layer's h and c "
            "ride the Loop unstacked), followed by the draw the engine's sampler makes, in float64: p = softmax(logits "
            "/ T), the first event whose running sum exceeds the event's uniform. The engine draws the uniforms from the "
            "job's seed, one per event, so a seed writes the same events through either graph; `step.onnx` reads a "
            "prime. Built from `step.onnx` by `training/export_music_generate.py` (lstudio/music_generate_graph.py). "
            f"Parity at export: ONNX Runtime drew all {n} tokens of the golden cases as the PyTorch twin of the step "
            f"graph with that draw did, final state within {diff:.3g}.")


def files_text(out: Path, temperature: float) -> str:
    from .export import files_hash
    return (f"`generate.onnx` and `step.onnx` (sha256 prefix of the two, in that order, as the studio hashes a model: "
            f"`{files_hash([out / 'generate.onnx', out / 'step.onnx'])}`), `golden.json`, `golden_generate.json`, "
            f"`samples/seed-*.mid` (8 bars at 120 bpm, temperature {temperature:g}, seeds 0–2).")
