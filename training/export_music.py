"""Export the event LSTM to the studio: the char-LSTM step graph over 389 event tokens, plus its card.

    OMP_NUM_THREADS=2 /usr/bin/python3 training/export_music.py --run training/runs/music --out models/music-lstm-game

Writes step.onnx — the very graph interface of the text models (lstudio/char_lstm_graph.py: token (b,) int64,
h/c (layers, b, hidden) → logits (b, 389), h_out, c_out; dynamic batch; 8-bit MatMulNBits weights) so the
engine's LSTM stepper reads a prime through it — generate.onnx (lstudio/music_generate_graph.py: the same
arithmetic in an ONNX Loop drawing K events per call in-graph, golden_generate.json), golden.json (step cases, a greedy
rollout from START, and a sampled sequence decoded to notes at tempo 100 for the TS decoder), samples/*.mid,
model.json (with an `events` section: the vocabulary layout) and CARD.md (data and licences per file, the
statistics of lstudio's eval_music against real music and bad baselines). Fails on a difference above 1e-4
between ONNX Runtime and PyTorch, as export_char_lstm does.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from eval_music import EXCERPT_S, KEY_WINDOW_S, evaluate, generate, table
from export_char_lstm import step_cases
from lstudio.card import hardware, metrics_table, write_card
from lstudio.char_lstm import CharLSTM
from lstudio.char_lstm_graph import BITS, BLOCK, QuantStep, export_step_graph
from lstudio.export import PARITY_ATOL
from lstudio.manifest import write_manifest
from lstudio.midi_data import STRETCHES, encoded_pieces, notes_to_midi
from lstudio.music_generate_graph import GOLDEN_SENTENCE, card_text, export_generate_graph, files_text
from lstudio.music_events import (MAX_NOTE_S, MAX_SHIFT, NOTE_OFF, NOTE_ON, START, STEP_S, TIME_SHIFT, VEL_BINS, VELOCITY, VOCAB,
                                  bin_velocity, decode)
from train_char_lstm import held_out_nats
from train_music import held_ids

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_BPM, BEATS_PER_BAR = 120, 4
GREEDY_LEN, DECODE_BPM = 200, 100
TEMPERATURES = (1.0, 0.9, 0.8)  # evaluated side by side; --temperature picks the default from that table


def load(run: Path) -> tuple[CharLSTM, dict]:
    ck = torch.load(run / "ckpt.pt", map_location="cpu")
    a = ck["args"]
    net = CharLSTM(VOCAB, a["hidden"], a["layers"], embed=a["embed"], dropout=a["dropout"])
    net.load_state_dict(ck["model"])
    return net.eval(), ck


@torch.no_grad()
def greedy(net: torch.nn.Module, prime: list[int], n: int) -> list[int]:
    h, c = net.zero_state(1)
    logits, h, c = net(torch.tensor([prime]), h, c)
    out = []
    for _ in range(n):
        tok = int(logits[0, -1].argmax())
        out.append(tok)
        logits, h, c = net(torch.tensor([[tok]]), h, c)
    return out


def events_section() -> dict:
    return {
        "size": VOCAB,
        "noteOn": {"first": NOTE_ON, "count": 128, "meaning": "pitch = id - first (MIDI note number)"},
        "noteOff": {"first": NOTE_OFF, "count": 128, "meaning": "pitch = id - first"},
        "timeShift": {"first": TIME_SHIFT, "count": MAX_SHIFT, "stepMs": round(STEP_S * 1000),
                      "meaning": "advance (id - first + 1) steps of stepMs at referenceBpm"},
        "velocity": {"first": VELOCITY, "count": VEL_BINS, "values": [bin_velocity(b) for b in range(VEL_BINS)],
                     "meaning": "later note-ons use MIDI velocity values[id - first]"},
        "start": START,
        "referenceBpm": REFERENCE_BPM,
        "beatsPerBar": BEATS_PER_BAR,
        "tempo": f"time is absolute (PerformanceRNN): at tempo T bpm one step lasts stepMs * {REFERENCE_BPM} / T ms; "
                 f"`bars` B stops after B * {BEATS_PER_BAR} beats of the reference tempo = B * 200 steps",
        "maxNoteMs": round(MAX_NOTE_S * 1000),
        "decoding": "NOTE_ON of a sounding pitch ends it and strikes it again; NOTE_OFF of a silent pitch is ignored; "
                    "notes still sounding at the end are released there; a note lasts at most maxNoteMs (at "
                    "referenceBpm; the training data was cut there); velocity starts at values[16]",
    }


def params(temperature: float) -> list[dict]:
    return [
        {"key": "temperature", "label": "Temperature", "type": "float", "min": 0.05, "max": 2, "step": 0.05,
         "default": temperature, "help": "Lower: safer, more repetitive; higher: wilder"},
        {"key": "bars", "label": "Bars", "type": "int", "min": 1, "max": 64, "default": 8,
         "help": f"Length in 4/4 bars (the model's time at {REFERENCE_BPM} bpm, scaled by the tempo)"},
        {"key": "tempo", "label": "Tempo (bpm)", "type": "int", "min": 40, "max": 240, "default": REFERENCE_BPM,
         "help": f"Plays the model's timing faster or slower: {REFERENCE_BPM} is as it learned it"},
        {"key": "program", "label": "Instrument (GM program)", "type": "int", "min": 0, "max": 127, "default": 0,
         "help": "General MIDI program for playback and export; 0 is acoustic grand piano"},
    ]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--samples", type=int, default=16, help="excerpts sampled for the statistics")
    p.add_argument("--temperature", type=float, default=0.9, choices=TEMPERATURES,
                   help="the default in the studio: 0.9 came closest to held-out music in the statistics table")
    p.add_argument("--training-note", default="", help="facts about the run the checkpoint cannot tell (interruptions)")
    a = p.parse_args()
    net, ck = load(a.run)
    args = ck["args"]
    a.out.mkdir(parents=True, exist_ok=True)
    path = a.out / "step.onnx"
    shipped, diff, structure, fp32_mb = export_step_graph(net, a.out)
    generate_parity = export_generate_graph(a.out, START)
    golden = json.loads((a.out / "golden.json").read_text())
    golden["greedy"] = {"prime": [START], "length": GREEDY_LEN, "tokens": greedy(shipped, [START], GREEDY_LEN)}
    sampled = generate(shipped, 1, 8.0, a.temperature, 11)[0]  # 8 s of the model's time
    notes = decode(sampled, REFERENCE_BPM / DECODE_BPM)
    golden["decode"] = {"tokens": sampled.tolist(), "tempo": DECODE_BPM, "notes": [
        [round(s, 6), round(e, 6), int(p_), int(v)] for s, e, p_, v in zip(notes.start, notes.end, notes.pitch, notes.velocity)]}
    (a.out / "golden.json").write_text(json.dumps(golden) + "\n")

    data = encoded_pieces()
    ev = evaluate(path, data, a.samples, TEMPERATURES)
    (a.out / "samples").mkdir(exist_ok=True)
    for seed in range(3):  # 8 bars at the reference tempo, piano
        toks = generate(shipped, 1, 8 * BEATS_PER_BAR * 60 / REFERENCE_BPM, a.temperature, seed)[0]
        notes_to_midi(decode(toks), text=f"latent-studio sample: {a.out.name}, seed {seed}, temperature {a.temperature:g}") \
            .save(str(a.out / "samples" / f"seed-{seed}.mid"))
    fp32_nats = held_out_nats(net, held_ids(data), "cpu")
    model_stats = ev["sets"][f"model, temperature {a.temperature:g}"]
    real = ev["sets"]["held-out B (real vs real)"]
    metrics = {
        "held_out_nats_per_event": round(ev["held_out_nats_per_event"], 4),
        "held_out_nats_per_event_fp32": round(fp32_nats, 4),
        "unigram_nats_per_event": round(ev["baseline_nats"]["unigram"], 4),
        "uniform_nats_per_event": round(ev["baseline_nats"]["uniform"], 4),
        "in_key_model": round(model_stats["in_key"], 3), "in_key_held_out": round(real["in_key"], 3),
        "pc_distance_model": round(model_stats["pc_distance"], 3), "pc_distance_real_vs_real": round(real["pc_distance"], 3),
        "weights": f"int{BITS}, blocks of {BLOCK}",
        "parameters": sum(t.numel() for t in net.parameters()),
        "train_minutes": round(ck["elapsed"] / 60, 1),
        "steps": ck["step"],
        "events_seen": ck["events_seen"],
        "parity_max_abs_diff": float(f"{diff:.3g}"),
        "parity_fp32_graph_vs_nn_lstm": float(f"{structure:.3g}"),
        "onnx_mb": round(path.stat().st_size / 2 ** 20, 2),
    }
    L, H = net.layers, net.hidden
    count = {src: sum(n.startswith(src + "/") for n in data["names"]) for src in ("freedoom", "simutrans")}
    source = (f"{count['freedoom']} game tracks of Freedoom (Debian freedoom) and {count['simutrans']} of Simutrans "
              "(Debian simutrans-data)")
    write_manifest(a.out, {
        "schema": 1, "id": a.out.name, "family": "music-lstm", "title": "Game music (event LSTM)",
        "description": f"A {L}×{H} event LSTM (PerformanceRNN events) that plays polyphonic game music: "
                       "generate from nothing or continue a MIDI clip.",
        "version": str(ck["step"]),
        "events": events_section(),
        "params": params(a.temperature),
        "ep": "cpu",
        "license": "Weights: MIT (ours); trained on BSD-3-Clause (Freedoom) and Artistic-1.0 (Simutrans) MIDI",
        "data": {"source": source, "license": "BSD-3-Clause (Freedoom) and Artistic-1.0 (Simutrans), per file in CARD.md"},
        "metrics": metrics,
        "card": "CARD.md",
    }, graphs={"step": "step.onnx", "generate": "generate.onnx"})
    write_card(a.out / "CARD.md", f"Game music event LSTM (`{a.out.name}`)",
               card_sections(a, ck, args, ev, metrics, data, generate_parity))
    print(f"exported {path}, parity {diff:.3g}, held-out {metrics['held_out_nats_per_event']} nats/event")
    print(table(ev))


def card_sections(a, ck: dict, args: dict, ev: dict, metrics: dict, data: dict, generate_parity: tuple[float, int]) -> dict:
    L, H, E = args["layers"], args["hidden"], args["embed"]
    run = Path(args["out"]).resolve()
    run = run.relative_to(ROOT) if run.is_relative_to(ROOT) else run  # the repo-relative path when it is one
    rows = ["| piece | licence | notes | split |", "| --- | --- | --- | --- |"]
    rows += [f"| {n} | {lic} | {k} | {'held out' if h else 'train'} |"
             for n, lic, k, h in zip(data["names"], data["licenses"], data["notes"], data["held"])]
    return {
        "What it does": f"Embedding ({E}) → {L}-layer LSTM ({H} units) → logits over {VOCAB} PerformanceRNN events "
                        "(Oore et al. 2018): NOTE_ON ×128, NOTE_OFF ×128, TIME_SHIFT 10 ms … 1 s ×100, VELOCITY ×32 "
                        "bins, and START. It writes one polyphonic part with expressive timing and dynamics. The step "
                        "graph is the char-LSTM's (same names, dtypes and state layout), so the studio's text machinery "
                        "(state cache, branching, seeded sampling, streaming) drives it; `model.json` `events` gives the "
                        "vocabulary layout and how tempo and bars map onto the model's absolute time.",
        "What style it speaks": "Game music: Freedoom's rock, metal, ambient and jazz level themes and Simutrans' light "
                                "swing, blues, marches and easy listening, all pitched parts merged into one stream (drums "
                                "left out), so expect dense chords, riffs and bass lines in one piano-roll part rather than "
                                "a clean melody. Timing is absolute: it has no notion of bars or beats beyond what it "
                                "heard; the studio's tempo only scales its clock. About one training piece in ten opens "
                                "with over 2 s of silence, so a piece written from START can too.",
        "Weights": f"The LSTM's weights ship as {BITS}-bit integers with one fp32 scale per block of {BLOCK} inputs "
                   "(ONNX Runtime MatMulNBits, as the text models). Cost in quality, measured: held-out "
                   f"{metrics['held_out_nats_per_event']} nats/event for the shipped model against "
                   f"{metrics['held_out_nats_per_event_fp32']} in fp32. Golden files, samples and statistics come from "
                   "the shipped arithmetic (`QuantStep`).",
        "Generate graph": card_text(*generate_parity),
        "Data": f"{len(data['names'])} pieces (byte-identical files kept once): every `D_*` lump of "
                "`/usr/share/games/doom/freedoom{1,2}.wad` (BSD-3-Clause, the Freedoom licence) and every "
                "`/usr/share/games/simutrans/music/*.mid` (Artistic-1.0; no share-alike). Read with mido "
                "(`training/lstudio/midi_data.py`); velocities scaled by channel volume and expression; notes cut at "
                f"8 s; times on a 10 ms grid. Every 10th piece is held out whole ({sum(data['held'])} pieces, "
                f"{ck['held_events']:,} events; {ck['train_events']:,} training events). Augmentation: each piece, each "
                f"epoch, transposed by a random ±{args['transpose']} semitones and stretched by one of {STRETCHES}.\n\n"
                + "\n".join(rows),
        "Training": f"`OMP_NUM_THREADS=1 /usr/bin/python3 training/train_music.py --out {run} --minutes "
                    f"{args['minutes']:g}` then `/usr/bin/python3 training/export_music.py --run {run} --out "
                    f"models/{a.out.name}`. Truncated BPTT over {args['batch']} streams × {args['window']} events, Adam "
                    f"lr {args['lr']} with a cosine over the time budget, dropout {args['dropout']}, gradient clip 1. "
                    f"{ck['step']} steps ({ck['events_seen']:,} events, {ck['epoch'] + 1} epochs) in "
                    f"{ck['elapsed'] / 60:.0f} min on a 2-core VM shared with other work: {hardware(ck)}. "
                    + a.training_note,
        "Metrics": metrics_table(metrics, {
            "held_out_nats_per_event": "cross-entropy of the shipped 8-bit model on the held-out pieces, state carried",
            "held_out_nats_per_event_fp32": "the same for the fp32 weights at the end of training",
            "unigram_nats_per_event": "the same for events drawn with their training frequencies (no context)",
            "uniform_nats_per_event": "ln 389: every event equally likely",
            "in_key_model": f"share of sampled notes in the best-fitting scale per {KEY_WINDOW_S:g} s window (temperature {a.temperature:g}, the default)",
            "in_key_held_out": "the same for held-out music",
            "pc_distance_model": "key-aligned pitch-class histogram distance (total variation) to held-out half A",
            "pc_distance_real_vs_real": "the same for held-out half B"}),
        "Musical statistics": f"`training/eval_music.py`: {EXCERPT_S:g} s excerpts; distances against held-out half A. "
                              "Key-aligned pitch-class histograms; in_key per 8 s window over 24 scales (major, harmonic "
                              "minor); repetition = share of 4-note interval n-grams seen earlier in the excerpt; polyphony "
                              "= notes sounding while any sounds.\n\n" + table(ev),
        "Golden pairs": "`golden.json`: step cases at batch 1 and 3 (random tokens and states → logits, h_out, c_out "
                        f"within {PARITY_ATOL}); `greedy`: the argmax rollout of {GREEDY_LEN} events after [START]; "
                        f"`decode`: a sampled sequence and the notes it decodes to at {DECODE_BPM} bpm "
                        "([start s, end s, pitch, velocity]). " + GOLDEN_SENTENCE,
        "Files": files_text(a.out, a.temperature),
    }


if __name__ == "__main__":
    main()
