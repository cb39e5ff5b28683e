"""Pitch accuracy of the exported WaveNet: does a generated note sound at the pitch it was asked for?

    OMP_NUM_THREADS=1 /usr/bin/python3 training/eval_wavenet.py models/wavenet-notes --notes 3

Generates `--notes` notes per instrument (pitches drawn from the low, middle and high third of the range),
1 s each at --temperature (default 1), through the EXPORTED graph in onnxruntime-node (training/ort_run.mjs; all notes
as one batch), estimates f0 with YIN (de Cheveigné & Kawahara 2002) on 8 frames of 0.2–0.8 s of each note, and
reports the share within 50 cents of the requested pitch and the median |cents| error, two ways:
  - `pitch_within_50_cents`: YIN as published — per frame the first dip of the cumulative mean normalised
    difference (CMND) below 0.15, else its global minimum; the note's f0 is the median over frames. A silent note
    (RMS < 0.01 over 0.2–0.8 s) has no f0 and counts as a miss.
  - `pitch_within_50_cents_clean`: only frames that really dip below 0.15 count, and a note needs half of them:
    a note that is pitched but buried in noise counts as a miss here.
`aperiodicity_median` is the median CMND at the chosen period (0: perfectly periodic, ~1: noise), so a reader
sees how noisy the pitched notes are; `silent_share` the notes that fell silent. The same estimator on the
rendered training notes gives its own ceiling. `decay` is each note's envelope shape, the RMS over 0.7–0.9 s
divided by the RMS over 0.1–0.3 s (a piano note decays: well below 1; an organ holds: about 1), reported per
instrument beside the rendered held-out notes', and `decay_log2_error_median` is the median over instruments of
|log2(generated / rendered)| (0: the same shape; 1: off by a factor of 2). Prints one JSON object.

`--posthoc-envelope` (a model without the envelope input, with `envelope.onnx` beside it): the notes are scaled
AFTER generation by the natural envelope at velocity 90 (the studio's interim post-hoc envelope), so the card
can give the figures both ways; `--min-p` evaluates min-p sampling on a graph built with it.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import onnx

from lstudio.audio import note_f0, write_wav  # noqa: F401 (older imports of these names from here)
from lstudio.wavenet_eval import pitch_accuracy
from lstudio.wavenet_loop import build_generate, load_from_onnx


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model_dir", type=Path)
    p.add_argument("--notes", type=int, default=3, help="notes per instrument")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--posthoc-envelope", action="store_true", help="scale the output by the natural envelope afterwards")
    p.add_argument("--min-p", type=float, help="min-p sampling: the same weights in a graph built with the min_p input")
    a = p.parse_args()
    manifest = json.loads((a.model_dir / "model.json").read_text())
    au = manifest["audio"]
    meta = {"pitch_min": au["pitchMin"], "pitch_max": au["pitchMax"], "instruments": au["instruments"]}
    graph = a.model_dir / manifest["graphs"]["generate"]["file"]
    with tempfile.TemporaryDirectory() as tmp:
        if a.min_p is not None:  # the same weights in a graph built with the min_p input, beside the envelope table
            net, pmin = load_from_onnx(graph)
            graph = Path(tmp) / "generate.onnx"
            onnx.save(build_generate(net, pmin, min_p=True), str(graph))
            if (a.model_dir / "envelope.onnx").exists():
                shutil.copy(a.model_dir / "envelope.onnx", Path(tmp) / "envelope.onnx")
        acc = pitch_accuracy(graph, meta, a.notes, a.seed, a.temperature, min_p=a.min_p, posthoc=a.posthoc_envelope)
    print(json.dumps(acc))


if __name__ == "__main__":
    main()
