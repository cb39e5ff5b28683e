"""The char-LSTM step graph the studio ships, written node by node with 8-bit block-quantized weights.

Why: at batch 1 a step is bound by reading the weights. The fp32 graph torch.onnx exports streams
13 MB per character (342 µs per step on our 2-core VM); ONNX Runtime's MatMulNBits with 8-bit weights in
blocks of 32 along K (`accuracy_level` 4: the activations are quantized per block to int8 too, VNNI dot
products) reads 3.4 MB and takes ~115 µs. Block 32 also keeps every batch row's result independent of the
other rows (measured: blocks of 64/128 take another kernel path for some rows), so a draft's text does not
depend on how many drafts run with it.

Graph, per layer l (x_0 = embed[token] (b, E); x_l = h'_{l-1} (b, H)):
    z = MatMulNBits([x_l, h_l] (b, K_l), W_l (K_l, 4H), bias_l)    gates in the order i, f, o, g
    s = sigmoid(z[:, :3H]) → i, f, o;  c' = f·c_l + i·tanh(z[:, 3H:]);  h' = o·tanh(c')
logits = h'_{L-1} @ head (fp32: 91 columns, cheap, and the sampling reads them directly).

W_l is [W_ih; W_hh] of PyTorch's nn.LSTM, transposed, gates reordered so the three sigmoids are one node.
Dequantized: W[k, n] = (B[n, k // 32, k % 32] − 128) · scale[n, k // 32], symmetric (scale = max|w| / 127).
`QuantStep` is the same arithmetic in PyTorch (activation rounding as MLAS does it: a · (1/scale), then round
half to even), so golden files and samples come from the exact model ONNX Runtime runs (agreement ~1e-6);
`net_from_graph` gives the dequantized weights back as a plain fp32 CharLSTM (the PyTorch baseline).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from .char_lstm import CharLSTM, CharLSTMStep
from .export import PARITY_ATOL, max_abs_diff, run_exported, write_golden

BITS, BLOCK, ZERO = 8, 32, 128
OPSET = 17


def _to_ifog(w: np.ndarray) -> np.ndarray:
    i, f, g, o = np.split(w, 4, 0)
    return np.concatenate([i, f, o, g], 0)


def _to_ifgo(w: np.ndarray) -> np.ndarray:
    i, f, o, g = np.split(w, 4, 0)
    return np.concatenate([i, f, g, o], 0)


def quantize(w_kn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """W (K, N) float32 → B (N, K/32, 32) uint8 codes (zero point 128), scales (N, K/32) float32."""
    K, N = w_kn.shape
    assert K % BLOCK == 0, f"K = {K} is not a multiple of the block ({BLOCK})"
    w = w_kn.T.reshape(N, K // BLOCK, BLOCK).astype(np.float64)
    scale = (np.abs(w).max(-1) / 127).astype(np.float32)
    scale[scale == 0] = 1
    q = np.clip(np.round(w / scale[..., None]), -127, 127).astype(np.int32) + ZERO
    return q.astype(np.uint8), scale


def dequantize(B: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """(N, K/32, 32) uint8, (N, K/32) → W (K, N) float32."""
    N = B.shape[0]
    return ((B.astype(np.float32) - ZERO) * scales[..., None]).reshape(N, -1).T.copy()


def layer_weights(net: CharLSTM) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per layer: W (K_l, 4H) = [W_ih; W_hh]ᵀ in gate order i, f, o, g, and the bias b_ih + b_hh (4H,)."""
    sd = {k: v.detach().float().cpu().numpy() for k, v in net.lstm.state_dict().items()}
    out = []
    for l in range(net.layers):
        w = np.concatenate([sd[f"weight_ih_l{l}"], sd[f"weight_hh_l{l}"]], 1)  # (4H, K)
        out.append((_to_ifog(w).T.copy(), _to_ifog(sd[f"bias_ih_l{l}"] + sd[f"bias_hh_l{l}"])))
    return out


def build_step(net: CharLSTM, quantized: bool = True) -> onnx.ModelProto:
    """token (b,) int64, h/c (L, b, H) → logits (b, V), h_out, c_out. quantized=False builds the same graph with
    fp32 MatMuls (parity of the structure against nn.LSTM)."""
    L, H, V, E = net.layers, net.hidden, net.vocab, net.embed.embedding_dim
    mk, vi = helper.make_node, helper.make_tensor_value_info
    inits: dict[str, np.ndarray] = {
        "embed.weight": net.embed.weight.detach().numpy().astype(np.float32),
        "head.weight": net.head.weight.detach().numpy().T.astype(np.float32).copy(),  # (H, V)
        "head.bias": net.head.bias.detach().numpy().astype(np.float32),
        "axis0": np.array([0], np.int64), "split_gates": np.array([3 * H, H], np.int64),
        "split_sig": np.array([H, H, H], np.int64)}
    split = lambda name: (mk("Split", [name], [f"{name}{l}_" for l in range(L)], axis=0) if L > 1 else  # noqa: E731
                          mk("Identity", [name], [f"{name}0_"]))  # opset 17: equal parts, one per output
    nodes = [split("h"), split("c"), mk("Gather", ["embed.weight", "token"], ["x0"], axis=0)]  # x0 (b, E)
    for l, (w, bias) in enumerate(layer_weights(net)):
        K = w.shape[0]
        nodes += [mk("Squeeze", [f"h{l}_", "axis0"], [f"h{l}"]), mk("Squeeze", [f"c{l}_", "axis0"], [f"c{l}"]),
                  mk("Concat", [f"x{l}", f"h{l}"], [f"a{l}"], axis=1)]  # (b, K_l)
        inits[f"l{l}.bias"] = bias
        if quantized:
            inits[f"l{l}.B"], inits[f"l{l}.scales"] = quantize(w)
            nodes.append(mk("MatMulNBits", [f"a{l}", f"l{l}.B", f"l{l}.scales", "", "", f"l{l}.bias"], [f"z{l}"],
                            domain="com.microsoft", K=K, N=4 * H, bits=BITS, block_size=BLOCK, accuracy_level=4))
        else:
            inits[f"l{l}.W"] = w
            nodes.append(mk("Gemm", [f"a{l}", f"l{l}.W", f"l{l}.bias"], [f"z{l}"]))
        nodes += [mk("Split", [f"z{l}", "split_gates"], [f"zs{l}", f"zg{l}"], axis=1),   # (b, 3H), (b, H)
                  mk("Sigmoid", [f"zs{l}"], [f"s{l}"]), mk("Tanh", [f"zg{l}"], [f"g{l}"]),
                  mk("Split", [f"s{l}", "split_sig"], [f"i{l}", f"f{l}", f"o{l}"], axis=1),
                  mk("Mul", [f"f{l}", f"c{l}"], [f"fc{l}"]), mk("Mul", [f"i{l}", f"g{l}"], [f"ig{l}"]),
                  mk("Add", [f"fc{l}", f"ig{l}"], [f"cn{l}"]), mk("Tanh", [f"cn{l}"], [f"tc{l}"]),
                  mk("Mul", [f"o{l}", f"tc{l}"], [f"x{l + 1}"]),                        # h'_l (b, H)
                  mk("Unsqueeze", [f"x{l + 1}", "axis0"], [f"ho{l}"]), mk("Unsqueeze", [f"cn{l}", "axis0"], [f"co{l}"])]
    nodes += [mk("Gemm", [f"x{L}", "head.weight", "head.bias"], ["logits"]),
              mk("Concat", [f"ho{l}" for l in range(L)], ["h_out"], axis=0),
              mk("Concat", [f"co{l}" for l in range(L)], ["c_out"], axis=0)]
    F32 = TensorProto.FLOAT
    graph = helper.make_graph(
        nodes, "char_lstm_step",
        [vi("token", TensorProto.INT64, ["batch"]), vi("h", F32, [L, "batch", H]), vi("c", F32, [L, "batch", H])],
        [vi("logits", F32, ["batch", V]), vi("h_out", F32, [L, "batch", H]), vi("c_out", F32, [L, "batch", H])],
        initializer=[numpy_helper.from_array(np.asarray(v), k) for k, v in inits.items()])
    opsets = [helper.make_opsetid("", OPSET)] + ([helper.make_opsetid("com.microsoft", 1)] if quantized else [])
    model = helper.make_model(graph, opset_imports=opsets, producer_name="latent-studio")
    model.ir_version = 8
    helper.set_model_props(model, {"char_lstm": json.dumps({"vocab": V, "hidden": H, "layers": L, "embed": E,
                                                            "bits": BITS if quantized else 32, "block": BLOCK})})
    onnx.checker.check_model(model)
    return model


def _read(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    model = onnx.load(str(path))
    meta = json.loads({p.key: p.value for p in model.metadata_props}["char_lstm"])
    return meta, {i.name: numpy_helper.to_array(i).copy() for i in model.graph.initializer}


def net_from_graph(path: Path) -> CharLSTM:
    """The shipped weights (dequantized) as a plain fp32 CharLSTM: what a PyTorch user would run."""
    meta, w = _read(path)
    net = CharLSTM(meta["vocab"], meta["hidden"], meta["layers"], embed=meta["embed"]).eval()
    sd = {"embed.weight": w["embed.weight"], "head.weight": w["head.weight"].T, "head.bias": w["head.bias"]}
    for l in range(meta["layers"]):
        full = w[f"l{l}.W"] if f"l{l}.W" in w else dequantize(w[f"l{l}.B"], w[f"l{l}.scales"])  # (K, 4H)
        k_in = meta["embed"] if l == 0 else meta["hidden"]
        g = _to_ifgo(full.T)  # (4H, K)
        sd |= {f"lstm.weight_ih_l{l}": g[:, :k_in], f"lstm.weight_hh_l{l}": g[:, k_in:],
               f"lstm.bias_ih_l{l}": _to_ifgo(w[f"l{l}.bias"]), f"lstm.bias_hh_l{l}": np.zeros_like(w[f"l{l}.bias"])}
    net.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()})
    return net


class QuantStep(torch.nn.Module):
    """The shipped graph's arithmetic in PyTorch, with CharLSTM's interface (forward over (b, t) tokens,
    zero_state), so sampling, greedy rollouts and held-out scoring run the exact shipped model."""

    def __init__(self, path: Path):
        super().__init__()
        meta, w = _read(path)
        self.vocab, self.hidden, self.layers = meta["vocab"], meta["hidden"], meta["layers"]
        self.embed_w = torch.from_numpy(w["embed.weight"])
        self.head_w, self.head_b = torch.from_numpy(w["head.weight"]), torch.from_numpy(w["head.bias"])
        self.quantized = "l0.B" in w
        self.w = [(torch.from_numpy(w[f"l{l}.B"].astype(np.float32) - ZERO), torch.from_numpy(w[f"l{l}.scales"]))
                  if self.quantized else torch.from_numpy(w[f"l{l}.W"]) for l in range(self.layers)]
        self.bias = [torch.from_numpy(w[f"l{l}.bias"]) for l in range(self.layers)]

    def zero_state(self, b: int, device=None) -> tuple[torch.Tensor, torch.Tensor]:
        z = torch.zeros(self.layers, b, self.hidden)
        return z, z.clone()

    def _matmul(self, a: torch.Tensor, l: int) -> torch.Tensor:
        if not self.quantized:
            return a @ self.w[l] + self.bias[l]
        qb, scales = self.w[l]  # (N, kb, 32) codes − 128, (N, kb)
        x = a.view(len(a), -1, BLOCK)  # (b, kb, 32)
        sa = x.abs().amax(-1) / 127  # (b, kb)
        inv = torch.where(sa > 0, 1 / sa, torch.zeros_like(sa))
        qa = torch.round(x * inv[..., None])  # integers in [-127, 127]
        dots = torch.einsum("bkj,nkj->bnk", qa, qb)  # exact in float32 (|dot| ≤ 32·127·127 < 2^24)
        return (dots * sa[:, None] * scales[None]).sum(-1) + self.bias[l]

    def step(self, token: torch.Tensor, h: torch.Tensor, c: torch.Tensor):
        x, H, hs, cs = self.embed_w[token], self.hidden, [], []
        for l in range(self.layers):
            z = self._matmul(torch.cat([x, h[l]], 1), l)
            s, g = torch.sigmoid(z[:, :3 * H]), torch.tanh(z[:, 3 * H:])
            cn = s[:, H:2 * H] * c[l] + s[:, :H] * g
            x = s[:, 2 * H:] * torch.tanh(cn)
            hs.append(x), cs.append(cn)
        return x @ self.head_w + self.head_b, torch.stack(hs), torch.stack(cs)

    @torch.no_grad()
    def forward(self, x: torch.Tensor, h: torch.Tensor, c: torch.Tensor):
        """x (b, t) int64 → logits (b, t, vocab), h, c (layers, b, hidden)."""
        out = []
        for t in range(x.shape[1]):
            logits, h, c = self.step(x[:, t], h, c)
            out.append(logits)
        return torch.stack(out, 1), h, c


NAMES_IN, NAMES_OUT = ["token", "h", "c"], ["logits", "h_out", "c_out"]  # the step graph's signature


def step_cases(step, net: CharLSTM, g: torch.Generator) -> list:
    """Random (token, h, c) at batch 1 and 3 → `step`'s outputs (nn.LSTM or QuantStep.step), as golden pairs."""
    cases = []
    for b in (1, 3):
        token = torch.randint(0, net.vocab, (b,), generator=g)
        h, c = (0.5 * torch.randn(net.layers, b, net.hidden, generator=g) for _ in range(2))
        with torch.no_grad():
            out = step(token, h, c)
        cases.append(({"token": token.numpy(), "h": h.numpy(), "c": c.numpy()},
                      {n: t.numpy() for n, t in zip(NAMES_OUT, out)}))
    return cases


def export_step_graph(net: CharLSTM, out: Path) -> tuple["QuantStep", float, float, float]:
    """Write out/step.onnx (8-bit) and out/golden.json (its step cases), for the text and music exports alike.

    First the same graph in fp32 must match nn.LSTM (the structure is right), then the 8-bit graph must match
    its PyTorch twin (QuantStep): both within PARITY_ATOL. Returns the twin, which golden rollouts and samples
    use, the two parity figures (8-bit graph vs twin, fp32 graph vs nn.LSTM) and the fp32 graph's size in MiB
    (what the 8-bit weights save; the cards say).
    """
    path, fp32_path = out / "step.onnx", out / "step.fp32.onnx"
    onnx.save(build_step(net, quantized=False), str(fp32_path))
    step = CharLSTMStep(net).eval()
    structure = max(max_abs_diff(o, run_exported(fp32_path, i)) for i, o in step_cases(step, net, torch.Generator().manual_seed(7)))
    fp32_mb = round(fp32_path.stat().st_size / 2 ** 20, 2)
    fp32_path.unlink()
    assert structure <= PARITY_ATOL, f"the fp32 step graph differs from nn.LSTM by {structure:.3g}"
    onnx.save(build_step(net, quantized=True), str(path))
    shipped = QuantStep(path)
    cases = step_cases(shipped.step, net, torch.Generator().manual_seed(2024))
    diff = max(max_abs_diff(o, run_exported(path, i)) for i, o in cases)
    assert diff <= PARITY_ATOL, f"ONNX Runtime differs from the PyTorch twin of the 8-bit graph by {diff:.3g}"
    write_golden(out / "golden.json", "step", cases)
    return shipped, diff, structure, fp32_mb
