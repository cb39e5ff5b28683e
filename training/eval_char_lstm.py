"""Text-model metric for the card: nats per character on the held-out chapters, state carried across windows.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/eval_char_lstm.py models/lstm-austen        # the shipped 8-bit graph
    OMP_NUM_THREADS=2 /usr/bin/python3 training/eval_char_lstm.py --run training/runs/lstm-austen   # a run's fp32 net

Scores the exported step graph through its PyTorch twin (lstudio.char_lstm_graph.QuantStep: the 8-bit
arithmetic the engine runs, checked against ONNX Runtime at export), or a training checkpoint's fp32 network,
on the corpus's held-out chapters (lstudio.text_data: every 10th chapter). export_char_lstm.py calls the same
lstudio.text_eval.held_out_nats and puts the result in model.json. Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from lstudio.char_lstm import load_char_lstm
from lstudio.char_lstm_graph import QuantStep
from lstudio.text_eval import held_out_ids, held_out_nats


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model_dir", type=Path, nargs="?", help="a shipped text model folder (model.json, step.onnx)")
    p.add_argument("--run", type=Path, help="a training run folder (ckpt.pt) instead")
    p.add_argument("--chars", type=int, default=0, help="score only the first N held-out characters (0: all)")
    a = p.parse_args()
    if a.run:
        net, ck = load_char_lstm(a.run)
        vocab, corpus, what = ck["vocab"], ck["args"]["corpus"], "held_out_nats_per_char_fp32"
    else:
        manifest = json.loads((a.model_dir / "model.json").read_text())
        record = json.loads((a.model_dir / "card.json").read_text())
        net = QuantStep(a.model_dir / manifest["graphs"]["step"]["file"])
        vocab, corpus, what = manifest["vocab"], record["training"]["args"]["corpus"], "held_out_nats_per_char"
    ids = held_out_ids(corpus, vocab)
    ids = ids[: a.chars] if a.chars else ids
    print(json.dumps({what: round(held_out_nats(net, ids), 4), "chars": len(ids), "corpus": corpus}))


if __name__ == "__main__":
    main()
