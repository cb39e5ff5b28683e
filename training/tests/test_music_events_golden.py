"""The event encoding's golden list: what lstudio.music_events writes for fixed notes and token streams, which
src/common/music-events.test.ts replays in TypeScript (the studio encodes primes and decodes sampled tokens).

    REGEN=1 /usr/bin/python3 -m pytest training/tests/test_music_events_golden.py -q   # rewrite it after a change
"""
import json
import os
from pathlib import Path

import numpy as np

from lstudio.music_events import START, VOCAB, Notes, decode, encode

GOLDEN = Path(__file__).resolve().parents[2] / "src" / "common" / "music-events.golden.json"


def golden_notes() -> Notes:
    """Times on a 1/512 s grid, so start + duration is exact in float64 on both sides; the grid still lands on
    half steps (0.125 s = 12.5 steps) where numpy rounds to even. Plus gaps over 1 s, a re-strike at one step,
    zero-length and overlapping notes of one pitch, velocities at the bin edges."""
    rng = np.random.default_rng(14)
    n = 400
    start = rng.integers(0, 60 * 512, n) / 512
    end = start + rng.integers(0, 3 * 512, n) / 512
    rows = list(zip(start, end, rng.integers(21, 109, n), rng.integers(1, 128, n)))
    rows += [(0.125, 0.375, 60, 1), (0.125, 0.125, 61, 4), (0.125, 0.130859375, 60, 5), (64.5, 70.0, 62, 127),
             (70.0, 72.0, 62, 126), (70.0, 70.0, 64, 64)]
    return Notes.of([(float(a), float(b), int(p), int(v)) for a, b, p, v in rows])


def build() -> dict:
    notes = golden_notes()
    rows = [[float(a), float(b), int(p), int(v)] for a, b, p, v in zip(notes.start, notes.end, notes.pitch, notes.velocity)]
    cases = {"notes": rows, "encode": [], "decode": []}
    for stretch in (1.0, 1.05, 120 / 90):
        cases["encode"].append({"stretch": stretch, "tokens": encode(notes, stretch).tolist()})
    rng = np.random.default_rng(15)
    streams = [rng.integers(0, VOCAB, 3000).tolist(), [START] + encode(notes).tolist()]
    for stretch, tokens in ((1.0, streams[0]), (120 / 90, streams[0]), (1.0, streams[1])):
        d = decode(tokens, stretch)
        out = [[float(a), float(b), int(p), int(v)] for a, b, p, v in zip(d.start, d.end, d.pitch, d.velocity)]
        cases["decode"].append({"stretch": stretch, "tokens": tokens, "notes": out})
    return cases


def test_golden_list_is_what_the_encoder_writes():
    cases = build()
    if os.environ.get("REGEN"):
        GOLDEN.write_text(json.dumps(cases, separators=(",", ":")) + "\n")
    assert json.loads(GOLDEN.read_text()) == cases, "music_events changed: REGEN=1 and check music-events.test.ts"
