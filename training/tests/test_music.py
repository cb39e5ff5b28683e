"""The music event LSTM: MIDI ↔ events keeps the notes, training dry-runs, the statistics measure what they
claim, and the shipped model's golden rollout and decoding replay in PyTorch from the exported weights."""
import io
import json

import mido
import numpy as np
import pytest

from bench_torch_music import events_per_s, lstm_from_onnx
from eval_music import in_key, repetition, statistics
from export_music import greedy
from lstudio.char_lstm_graph import QuantStep
from lstudio.midi_data import midi_notes, notes_to_midi, read_midi
from lstudio.export import PARITY_ATOL, tensor_from_json
from lstudio.music_generate_graph import draw, reference
from lstudio.music_events import (NOTE_OFF, NOTE_ON, START, TIME_SHIFT, VELOCITY, VOCAB, Notes, bin_velocity, decode,
                                  encode, transpose, velocity_bin)
from tests.dry_run import dry_run
from tests.helpers import MODELS, golden, manifest

MUSIC_MODELS = sorted(p.parent.name for p in MODELS.glob("*/model.json") if manifest(p.parent.name)["family"] == "music-lstm")


def random_notes(seed: int, n: int = 300) -> Notes:
    """Notes at arbitrary (off-grid) times, no two of one pitch overlapping, each ≥ 20 ms long."""
    rng = np.random.default_rng(seed)
    pitch = rng.integers(30, 100, n)
    start = np.sort(rng.uniform(0, 60, n))
    end = start + rng.uniform(0.02, 2, n)
    for p in np.unique(pitch):  # end each note before the next note of its pitch starts
        i = np.flatnonzero(pitch == p)
        end[i[:-1]] = np.minimum(end[i[:-1]], start[i[1:]] - 0.021)
    keep = end - start >= 0.02
    return Notes(start[keep], end[keep], pitch[keep], rng.integers(1, 128, n)[keep]).sorted()


def midi_file(notes: Notes) -> mido.MidiFile:
    """Type-1 MIDI: the notes split over channels 1 and 2 (tracks 1, 2), a tempo change at 10 s, drums on channel 10."""
    mid = mido.MidiFile(type=1, ticks_per_beat=960)
    tempo_track, drums = mido.MidiTrack(), mido.MidiTrack()
    tempo_track += [mido.MetaMessage("set_tempo", tempo=500_000, time=0),  # 120 bpm: 960 ticks = 0.5 s
                    mido.MetaMessage("set_tempo", tempo=400_000, time=19_200)]  # from 10 s: 150 bpm
    mid.tracks += [tempo_track]

    def ticks(t: float) -> int:
        return round(t / 0.5 * 960) if t <= 10 else 19_200 + round((t - 10) / 0.4 * 960)

    for ch in (0, 1):
        track, edges = mido.MidiTrack(), []
        for s, e, p, v in zip(notes.start[ch::2], notes.end[ch::2], notes.pitch[ch::2], notes.velocity[ch::2]):
            edges += [(ticks(e), 0, int(p), 0), (ticks(s), 1, int(p), int(v))]
        now = 0
        for tick, on, p, v in sorted(edges):  # note_on velocity 0 = note off (running status writes it compactly)
            track.append(mido.Message("note_on", channel=ch, note=p, velocity=v, time=tick - now))
            now = tick
        mid.tracks.append(track)
    drums += [mido.Message("note_on", channel=9, note=36, velocity=100, time=0),
              mido.Message("note_off", channel=9, note=36, velocity=0, time=480)]
    mid.tracks.append(drums)
    return mid


def test_midi_to_events_to_midi_keeps_notes_within_10_ms():
    notes = random_notes(0)
    buf = io.BytesIO()
    midi_file(notes).save(file=buf)
    read = midi_notes(read_midi(buf.getvalue()))  # volume 100 / 127 scales velocity: compare pitches and times
    assert len(read) == len(notes)  # the drum note (channel 10) is left out
    np.testing.assert_allclose(read.start, notes.start, atol=1e-3)
    back = decode(encode(read))
    o = np.lexsort((read.pitch, np.round(read.start / 0.01)))  # decode orders notes of one 10 ms step by pitch
    read = Notes(read.start[o], read.end[o], read.pitch[o], read.velocity[o])
    assert (back.pitch == read.pitch).all()
    assert np.abs(back.start - read.start).max() <= 0.005 + 1e-9
    assert np.abs(back.end - read.end).max() <= 0.005 + 1e-9
    assert (back.velocity == bin_velocity(velocity_bin(read.velocity))).all()
    again = midi_notes(read_midi(_bytes(notes_to_midi(back, program=5))))  # and out to a MIDI file again
    assert (again.pitch == back.pitch).all() and np.abs(again.start - back.start).max() <= 0.001
    assert np.abs(again.start - read.start).max() <= 0.01 and np.abs(again.end - read.end).max() <= 0.01


def _bytes(mid: mido.MidiFile) -> bytes:
    buf = io.BytesIO()
    mid.save(file=buf)
    return buf.getvalue()


def test_vocabulary_layout_and_ordering():
    assert (NOTE_ON, NOTE_OFF, TIME_SHIFT, VELOCITY, START, VOCAB) == (0, 128, 256, 356, 388, 389)
    # a repeated pitch at one instant: off before on; 2.5 s of silence = 1 s + 1 s + 0.5 s
    toks = encode(Notes.of([(0.0, 0.5, 60, 64), (0.5, 1.0, 60, 64), (3.5, 3.6, 72, 127)])).tolist()
    assert toks == [VELOCITY + 15, 60, TIME_SHIFT + 49, NOTE_OFF + 60, 60, TIME_SHIFT + 49, NOTE_OFF + 60,
                    TIME_SHIFT + 99, TIME_SHIFT + 99, TIME_SHIFT + 49, VELOCITY + 31, 72, TIME_SHIFT + 9, NOTE_OFF + 72]


def test_decode_forgives_what_a_sampler_may_write():
    toks = [NOTE_OFF + 40, 60, TIME_SHIFT + 9, 60, TIME_SHIFT + 9, START, 64]  # off of a silent pitch, re-strike, no offs
    n = decode(toks, stretch=2.0)  # tempo 60: twice as slow
    assert n.pitch.tolist() == [60, 60, 64]
    np.testing.assert_allclose(n.start, [0, 0.2, 0.4])
    np.testing.assert_allclose(n.end, [0.2, 0.4, 0.42])  # released at the end (one step at least)
    assert (transpose(np.array([60, NOTE_OFF + 60, TIME_SHIFT]), 3) == [63, NOTE_OFF + 63, TIME_SHIFT]).all()


def test_invalid_key_signature_is_read():
    mid = mido.MidiFile(type=0)
    mid.tracks.append(mido.MidiTrack([mido.MetaMessage("key_signature", key="F"),
                                      mido.Message("note_on", note=60, velocity=90, time=0),
                                      mido.Message("note_off", note=60, time=480)]))
    data = _bytes(mid).replace(b"\xff\x59\x02\xff\x00", b"\xff\x59\x02\xff\xff")  # 1 flat, mode 255
    n = midi_notes(read_midi(data))
    assert n.pitch.tolist() == [60] and abs(n.end[0] - 0.5) < 1e-6


def test_statistics_tell_music_from_noise():
    scale = Notes.of([(0.25 * i, 0.25 * i + 0.2, [60, 62, 64, 65, 67, 69, 71, 72][i % 8], 80) for i in range(120)])
    assert in_key(scale) == (120, 120) and repetition(scale) > 0.8
    noise = Notes.of([(0.25 * i, 0.25 * i + 0.2, int(p), 80) for i, p in enumerate(np.random.default_rng(0).integers(40, 90, 120))])
    assert in_key(noise)[0] / 120 < 0.8 and repetition(noise) < 0.1
    s = statistics([scale], [scale])
    assert s["pc_distance"] == 0 and abs(s["notes_per_s"] - 4) < 1e-9 and s["pitch_range"] == 12 and s["polyphony"] == 1


def test_train_dry_run(tmp_path):
    out = dry_run("train_music.py", tmp_path)
    assert "held_out_nats_full" in out


@pytest.mark.parametrize("model_id", MUSIC_MODELS)
def test_greedy_rollout_and_decoding_replay_in_pytorch(model_id):
    m, gold = manifest(model_id), golden(model_id)
    net = QuantStep(MODELS / model_id / m["graphs"]["step"]["file"])  # the 8-bit graph's arithmetic in PyTorch
    g = gold["greedy"]
    assert greedy(net, g["prime"], g["length"]) == g["tokens"]
    d = gold["decode"]
    notes = decode(d["tokens"], m["events"]["referenceBpm"] / d["tempo"])
    assert len(notes) == len(d["notes"]) > 0
    np.testing.assert_allclose(np.stack([notes.start, notes.end, notes.pitch, notes.velocity], 1), d["notes"], atol=1e-6)


@pytest.mark.parametrize("model_id", MUSIC_MODELS)
def test_manifest_describes_the_events_and_model_beats_baselines(model_id):
    m = manifest(model_id)
    ev, step = m["events"], m["graphs"]["step"]
    assert step["outputs"][0] == {"name": "logits", "dtype": "float32", "shape": ["batch", ev["size"]]}
    assert [ev[k]["first"] for k in ("noteOn", "noteOff", "timeShift", "velocity")] == [NOTE_ON, NOTE_OFF, TIME_SHIFT, VELOCITY]
    assert ev["start"] == START and ev["size"] == VOCAB and ev["timeShift"]["stepMs"] == 10
    assert ev["velocity"]["values"] == [bin_velocity(b) for b in range(32)]
    assert {p["key"] for p in m["params"]} == {"temperature", "bars", "tempo", "program"}
    mt = m["metrics"]
    assert mt["held_out_nats_per_event"] < 0.7 * mt["unigram_nats_per_event"]
    assert abs(mt["held_out_nats_per_event"] - mt["held_out_nats_per_event_fp32"]) < 0.02  # 8-bit costs little
    assert mt["in_key_model"] > 0.8


@pytest.mark.parametrize("model_id", MUSIC_MODELS)
def test_bench_baseline_samples_the_shipped_weights(model_id):
    net, diff = lstm_from_onnx(MODELS / model_id)  # exits if the graph read back is not within golden atol
    assert diff <= 1e-4 and events_per_s(net, 1, 5, 1.0, 0) > 0


@pytest.mark.parametrize("model_id", MUSIC_MODELS)
def test_generate_golden_replays_in_pytorch(model_id):
    """golden_generate.json: the step graph's twin with the engine's draw writes the golden tokens and state."""
    m, gold = manifest(model_id), json.loads((MODELS / model_id / "golden_generate.json").read_text())
    assert set(m["graphs"]) == {"step", "generate"} and gold["graph"] == "generate"
    step = QuantStep(MODELS / model_id / m["graphs"]["step"]["file"]).step
    for case in gold["cases"]:
        feeds = {k: tensor_from_json(v) for k, v in case["inputs"].items()}
        want, got = {k: tensor_from_json(v) for k, v in case["outputs"].items()}, reference(step, feeds)
        assert (got["tokens"] == want["tokens"]).all()
        assert max(np.abs(got[k] - want[k]).max() for k in ("h_out", "c_out")) <= PARITY_ATOL


def test_draw_is_the_engines_sampler():
    """Inverse CDF on float64 softmax(logits / T): u below the first mass picks id 0, zero-mass ids are skipped,
    u past a rounded-short sum picks the last id."""
    logits = np.log(np.array([[0.5, 0.0, 0.25, 0.25]], np.float32) + 1e-45).astype(np.float32)
    t = np.array([1.0])
    assert [int(draw(logits, t, np.array([u]))[0]) for u in (0.0, 0.49, 0.51, 0.74, 0.76, 0.999999)] == [0, 0, 2, 2, 3, 3]
    assert int(draw(logits, t, np.array([1.0]))[0]) == 3
