"""The studio's default loudness envelope: the rendered notes' own envelopes, one per (instrument, pitch,
velocity), shipped as a second small graph `envelope` beside `generate`.

    envelope: instrument (b) int64, pitch (b) int64 MIDI, velocity (b) int64 MIDI → frames (b, F) float32 in [0, 1]

frames are lstudio.wavenet_data.envelope_frames of the 1.25-s rendered note (1 s held, 0.25 s released), one per
10 ms; a velocity between two rendered layers (50, 70, 90, 110, 127) is linear between their envelopes, one outside
takes the nearest. The engine stretches them to the requested length (src/engine/families/wavenet-envelope.ts,
mirrored by `note_envelope` here for the evaluation). Why a graph: the engine loads and hashes a model's ONNX
files already, so the table needs no new file type, and it is 157 kB of uint8.
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from lstudio import nsynth_data as nd
from lstudio.wavenet_data import FLOOR_DB, HOP, envelope_frames

RELEASE_S = nd.RELEASE_S  # the rendered notes' release: the last 0.25 s of a note (its last quarter if shorter)


def envelope_table(d: dict) -> np.ndarray:
    """Rendered notes (lstudio.nsynth_data.load_notes) → (instruments, pitches, velocities, F) uint8 frames."""
    n_i, n_p, vel = len(nd.INSTRUMENTS), nd.PITCH_MAX - nd.PITCH_MIN + 1, nd.VELOCITIES
    frames = envelope_frames(nd.mulaw_decode(d["codes"]))
    table = np.zeros((n_i, n_p, len(vel), frames.shape[1]), np.uint8)
    seen = np.zeros(table.shape[:3], bool)
    for f, i, p, v in zip(frames, d["instrument"], d["pitch"], d["velocity"]):
        table[i, p - nd.PITCH_MIN, vel.index(int(v))] = f
        seen[i, p - nd.PITCH_MIN, vel.index(int(v))] = True
    assert seen.all(), f"{(~seen).sum()} (instrument, pitch, velocity) notes were not rendered: no envelope for them"
    return table


def velocity_weights(velocities: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For MIDI velocity 0…127: the lower layer's index, the upper one's, and the upper one's weight."""
    lo, hi, w = np.zeros(128, np.int64), np.zeros(128, np.int64), np.zeros(128, np.float32)
    for v in range(128):
        k = int(np.searchsorted(velocities, v, side="right")) - 1
        if k < 0:
            lo[v] = hi[v] = 0
        elif k >= len(velocities) - 1:
            lo[v] = hi[v] = len(velocities) - 1
        else:
            lo[v], hi[v] = k, k + 1
            w[v] = (v - velocities[k]) / (velocities[k + 1] - velocities[k])
    return lo, hi, w


def build_envelope_graph(table: np.ndarray, pitch_min: int, velocities: list[int]) -> onnx.ModelProto:
    """The `envelope` graph (see the module docstring): two gathers of the flat table and one blend."""
    n_i, n_p, n_v, F = table.shape
    lo, hi, w = velocity_weights(velocities)
    mk, vi = helper.make_node, helper.make_tensor_value_info
    inits = {"table": table.reshape(-1, F), "v_lo": lo, "v_hi": hi, "v_w": w[:, None],
             "pitch_min": np.array(pitch_min, np.int64), "n_v": np.array(n_v, np.int64),
             "n_pv": np.array(n_p * n_v, np.int64), "scale": np.array(1 / 255, np.float32),
             "zero": np.array(0, np.int64), "vmax": np.array(127, np.int64), "pmax": np.array(n_p - 1, np.int64)}
    nodes = [mk("Clip", ["velocity", "zero", "vmax"], ["v"]),
             mk("Sub", ["pitch", "pitch_min"], ["p0"]), mk("Clip", ["p0", "zero", "pmax"], ["p"]),
             mk("Mul", ["instrument", "n_pv"], ["row_i"]), mk("Mul", ["p", "n_v"], ["row_p"]),
             mk("Add", ["row_i", "row_p"], ["row"]),                                   # (b,) first layer's row
             mk("Gather", ["v_lo", "v"], ["k_lo"]), mk("Gather", ["v_hi", "v"], ["k_hi"]),
             mk("Add", ["row", "k_lo"], ["r_lo"]), mk("Add", ["row", "k_hi"], ["r_hi"]),
             mk("Gather", ["table", "r_lo"], ["f_lo8"], axis=0), mk("Gather", ["table", "r_hi"], ["f_hi8"], axis=0),
             mk("Cast", ["f_lo8"], ["f_lo"], to=TensorProto.FLOAT), mk("Cast", ["f_hi8"], ["f_hi"], to=TensorProto.FLOAT),
             mk("Gather", ["v_w", "v"], ["wv"], axis=0),                                # (b, 1)
             mk("Sub", ["f_hi", "f_lo"], ["df"]), mk("Mul", ["df", "wv"], ["dfw"]), mk("Add", ["f_lo", "dfw"], ["f"]),
             mk("Mul", ["f", "scale"], ["frames"])]                                     # (b, F) in [0, 1]
    I64 = TensorProto.INT64
    graph = helper.make_graph(nodes, "wavenet_envelope",
                              [vi("instrument", I64, ["batch"]), vi("pitch", I64, ["batch"]), vi("velocity", I64, ["batch"])],
                              [vi("frames", TensorProto.FLOAT, ["batch", F])],
                              initializer=[numpy_helper.from_array(np.asarray(v), k) for k, v in inits.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="latent-studio")
    model.ir_version = 8
    helper.set_model_props(model, {"hop": str(HOP), "hold_s": str(nd.HOLD_S), "release_s": str(RELEASE_S)})
    onnx.checker.check_model(model)
    return model


def note_envelope(frames: np.ndarray, total: int, sr: int = nd.SAMPLE_RATE) -> np.ndarray:
    """(F,) frames of a rendered 1.25-s note in [0, 1] → (total,) float32 per-sample envelope of a note of `total`
    samples (src/engine/families/wavenet-envelope.ts does the same): the held part follows the rendered one and,
    past its 1 s, continues its last 0.3 s slope (never rising); the last 0.25 s is the rendered release, as a drop
    from the level it starts at (a note shorter than 1 s: its last quarter, the release sped up to fit)."""
    hold, rel = int(nd.HOLD_S * sr), min(int(RELEASE_S * sr), total // 4)
    off = total - rel
    per = _interp(np.asarray(frames, np.float32), hold + int(RELEASE_S * sr))
    slope = min(0.0, (per[hold - 1] - per[hold - 1 - int(0.3 * sr)]) / int(0.3 * sr))
    s = np.arange(total)
    held = np.where(s < hold, per[np.minimum(s, hold - 1)], per[hold - 1] + slope * (s - hold + 1))
    level_off = held[off] if off < total else 0.0
    drop = per[np.minimum(hold + np.maximum(s - off, 0) * int(RELEASE_S * sr) // max(rel, 1), len(per) - 1)] - per[hold]
    out = np.where(s < off, held, level_off + drop)
    return np.clip(out, 0, 1).astype(np.float32)


def _interp(frames: np.ndarray, T: int) -> np.ndarray:
    """(F,) float frames → (T,) linear between frame centres k·HOP (as lstudio.wavenet_data.envelope_samples)."""
    s = np.arange(T)
    k0 = np.minimum(s // HOP, len(frames) - 1)
    k1 = np.minimum(k0 + 1, len(frames) - 1)
    w = (s - k0 * HOP) / HOP
    return (frames[k0] * (1 - w) + frames[k1] * w).astype(np.float32)


def posthoc_gain(env: np.ndarray) -> np.ndarray:
    """(…, n) envelope in [0, 1] → (…, n) linear gain 10^(60 (e − 1) / 20) ÷ its value at the note's loudest point:
    the INTERIM post-hoc envelope (src/engine/families/wavenet-envelope.ts posthocGain) for a model that does not
    take an envelope — its output scaled after generation, not a model that follows one."""
    a = np.power(10.0, FLOOR_DB * (np.asarray(env, np.float64) - 1) / 20)
    return (a / a.max(-1, keepdims=True)).astype(np.float32)
