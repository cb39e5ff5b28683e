"""WaveNet notes: the ONNX Loop equals the PyTorch step and the teacher-forced network;
chunks split anywhere give the same audio; mu-law round trip; rendered notes carry the right labels.
The tiny models here use random weights built in tmp_path: fixtures for the graph mechanics only."""
import mido
import numpy as np
import onnx
import pytest
import torch

from lstudio import nsynth_data as nd
from lstudio.export import run_exported
from lstudio.wavenet import SILENCE, U_MAX, FastGenerator, WaveNet
from lstudio.wavenet_loop import build_generate, load_from_onnx


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A random 3-layer WaveNet (kernel 3) and its Loop graph with per-step logits, in a tmp folder."""
    torch.manual_seed(0)
    net = WaveNet(3, 5, residual=8, skip=16, dilations=(1, 2, 4), kernel=3, embed=4, pitch_min=60,
                  time_taus=(0.0005, 0.002)).eval()  # time constants of 8 and 32 samples: they matter within the test
    with torch.no_grad():  # peakier distributions than the init, so sampling is not uniform noise
        net.out.weight.mul_(20)
        net.lag.weight.normal_()  # the period tap starts at zero in training; exercise it here
        net.time.weight.normal_()  # and the time features (zero at the start of training too)
    path = tmp_path_factory.mktemp("wavenet_fixture") / "random_tiny.onnx"
    onnx.save(build_generate(net, 60, with_logits=True), str(path))
    return net, FastGenerator(net, 60), path


def _feeds(fg, n, seed=0):
    g = np.random.default_rng(seed)
    return {"instrument": np.array([0, 2], np.int64), "pitch": np.array([60, 64], np.int64),
            "temperature": np.array([1.0, 0.7], np.float32), "noise": g.random((2, n), dtype=np.float32),
            "prev": np.full(2, SILENCE, np.int64), "state": np.zeros((2, fg.state_size()), np.float32)}


@torch.no_grad()
def test_loop_equals_pytorch_step_and_teacher_forcing(tiny):
    net, fg, path = tiny
    f = _feeds(fg, 160)  # > one period (61 samples at MIDI 60): the period tap reads generated codes
    ort = run_exported(path, f)
    t = {k: torch.from_numpy(v) for k, v in f.items()}
    audio, prev, state = fg.generate(**t)
    assert np.array_equal(ort["audio"], audio.numpy()) and np.array_equal(ort["prev_out"], prev.numpy())
    assert np.abs(ort["state_out"] - state.numpy()).max() < 1e-5
    codes = torch.from_numpy(ort["codes"].T)  # (b, n)
    assert len(set(codes.flatten().tolist())) > 5  # it really samples
    # the cached-queue step sees exactly what the full causal convolution sees: logits match
    inp = torch.cat([torch.full((2, 1), SILENCE), codes[:, :-1]], 1)
    tf_logits = net(inp, t["instrument"], t["pitch"] - 60)  # (b, n, 256)
    assert torch.allclose(tf_logits.transpose(0, 1), torch.from_numpy(ort["logits_seq"]), atol=1e-4)


def test_chunk_split_is_invariant(tiny):
    _, fg, path = tiny
    f = _feeds(fg, 50, seed=1)
    whole = run_exported(path, f)
    a = run_exported(path, {**f, "noise": f["noise"][:, :17]})
    b = run_exported(path, {**f, "noise": f["noise"][:, 17:], "prev": a["prev_out"], "state": a["state_out"]})
    assert np.array_equal(np.concatenate([a["audio"], b["audio"]], 1), whole["audio"])
    assert np.array_equal(b["state_out"], whole["state_out"])


def test_noise_near_one_samples_a_valid_code(tiny):
    _, fg, path = tiny
    f = {**_feeds(fg, 8), "noise": np.full((2, 8), np.nextafter(np.float32(1), np.float32(0)), np.float32)}
    out = run_exported(path, f)
    assert np.all(np.abs(out["audio"]) <= 1) and U_MAX < 1


def test_weights_read_back_from_onnx(tiny, tmp_path):
    net, _, path = tiny
    back, pitch_min = load_from_onnx(path)
    assert pitch_min == 60
    for k, v in net.state_dict().items():
        assert torch.equal(back.state_dict()[k], v), k


def test_mulaw_round_trip():
    x = np.linspace(-1, 1, 10001, dtype=np.float32)
    codes = nd.mulaw_encode(x)
    assert codes.min() == 0 and codes.max() == 255 and nd.mulaw_encode(np.zeros(1))[0] == SILENCE
    y = nd.mulaw_decode(codes)
    step = np.abs(np.diff(nd.mulaw_decode(np.arange(256))))  # quantisation step around each code
    assert np.all(np.abs(y - x) <= 0.51 * step.max())  # half a (largest) step, rounding at the edges
    assert np.abs(y - x)[np.abs(x) < 0.01].max() < 1e-3  # fine steps near silence
    assert np.array_equal(nd.mulaw_encode(nd.mulaw_decode(np.arange(256))), np.arange(256))


def test_midi_carries_the_labels(tmp_path):
    table = [(0, 48, 90), (0, 60, 50), (9, 72, 127)]
    nd._write_midi(tmp_path / "t.mid", table)
    t, notes, program = 0.0, [], None
    for msg in mido.MidiFile(str(tmp_path / "t.mid")):
        t += msg.time
        if msg.type == "program_change":
            program = msg.program
        elif msg.type == "note_on" and msg.velocity > 0:
            notes.append((program, msg.note, msg.velocity, round(t, 3)))
    assert notes == [(nd.INSTRUMENTS[i][1], p, v, k * nd.SLOT_S) for k, (i, p, v) in enumerate(table)]


def test_slicing_keeps_labels_drops_silence_and_normalises(monkeypatch):
    """fluidsynth replaced by sines at each note's pitch (one slot silent): labels, onset, level."""
    table = [(0, 48, 90), (3, 60, 70), (5, 67, 110), (9, 72, 127)]
    slot, sr = int(nd.SLOT_S * nd.SAMPLE_RATE), nd.SAMPLE_RATE
    audio = np.zeros(slot * len(table), np.float32)
    for k, (_, p, v) in enumerate(table):
        if k == 2:
            continue  # a pitch the instrument lacks: silence
        tt = np.arange(int(1.2 * sr)) / sr
        audio[k * slot + 100:k * slot + 100 + len(tt)] = 0.05 * v / 127 * np.sin(2 * np.pi * 440 * 2 ** ((p - 69) / 12) * tt)
    monkeypatch.setattr(nd, "note_table", lambda: table)
    monkeypatch.setattr(nd, "_render", lambda t: audio)
    d = nd.render_notes()
    assert d["pitch"].tolist() == [48, 60, 72] and d["instrument"].tolist() == [0, 3, 9]
    x = nd.mulaw_decode(d["codes"])
    assert np.allclose(np.abs(x).max(1), nd.PEAK, atol=0.02)
    assert np.all(np.abs(x[:, :8]) < 0.01) and np.all(np.abs(x[:, 8:40]).max(1) > 0.01)  # starts at the onset
    from lstudio.audio import note_f0
    for row, p in zip(x, d["pitch"]):
        assert abs(1200 * np.log2(note_f0(row) / (440 * 2 ** ((p - 69) / 12)))) < 10


def test_shipped_weights_in_pytorch_reproduce_the_golden_file():
    """bench_torch_wavenet.py reads the shipped generate.onnx back into PyTorch: same notes, same bytes."""
    from lstudio.export import tensor_from_json
    from tests.helpers import MODELS, golden, manifest
    m, gold = manifest("wavenet-notes"), golden("wavenet-notes")
    net, pitch_min = load_from_onnx(MODELS / "wavenet-notes" / m["graphs"]["generate"]["file"])
    assert pitch_min == m["audio"]["pitchMin"] and len(m["audio"]["instruments"]) == net.instrument.num_embeddings
    fg = FastGenerator(net, pitch_min)
    for case in gold["cases"]:
        t = {k: torch.from_numpy(tensor_from_json(v)) for k, v in case["inputs"].items()}
        audio, prev, state = fg.generate(**t)
        assert np.array_equal(prev.numpy(), tensor_from_json(case["outputs"]["prev_out"]))
        assert np.abs(audio.numpy() - tensor_from_json(case["outputs"]["audio"])).max() <= gold["atol"]


@pytest.fixture(scope="module")
def tiny_env(tmp_path_factory):
    """The tiny WaveNet with time features AND the loudness envelope + velocity inputs, random non-zero weights."""
    torch.manual_seed(1)
    net = WaveNet(3, 5, residual=8, skip=16, dilations=(1, 2, 4), kernel=3, embed=4, pitch_min=60,
                  time_taus=(0.0005, 0.002), envelope=True).eval()
    with torch.no_grad():
        net.out.weight.mul_(20)
        net.lag.weight.normal_(), net.time.weight.normal_()
        net.envelope.weight.normal_(0, 3), net.velocity.weight.normal_(0, 3)  # zero in a warm start; matter here
    path = tmp_path_factory.mktemp("wavenet_env_fixture") / "random_tiny_env.onnx"
    onnx.save(build_generate(net, 60, with_logits=True), str(path))
    return net, FastGenerator(net, 60), path


def _env_feeds(fg, n, seed=0, velocity=(50.0, 127.0)):
    g = np.random.default_rng(seed)
    ramp = np.linspace(1, 0, n, dtype=np.float32)  # a decaying level, different per voice
    return {**_feeds(fg, n, seed), "velocity": np.array(velocity, np.float32),
            "envelope": np.stack([ramp, ramp ** 2]).astype(np.float32) * g.uniform(0.5, 1, (2, 1)).astype(np.float32)}


@torch.no_grad()
def test_envelope_graph_equals_pytorch_and_teacher_forcing(tiny_env):
    net, fg, path = tiny_env
    f = _env_feeds(fg, 160)
    ort = run_exported(path, f)
    t = {k: torch.from_numpy(v) for k, v in f.items()}
    audio, prev, state = fg.generate(**t)
    assert np.array_equal(ort["prev_out"], prev.numpy()) and np.abs(ort["audio"] - audio.numpy()).max() == 0
    codes = torch.from_numpy(ort["codes"].T)
    inp = torch.cat([torch.full((2, 1), SILENCE), codes[:, :-1]], 1)
    tf_logits = net(inp, t["instrument"], t["pitch"] - 60, env=t["envelope"], velocity=t["velocity"])
    assert torch.allclose(tf_logits.transpose(0, 1), torch.from_numpy(ort["logits_seq"]), atol=1e-4)
    # the inputs are used: another envelope or velocity changes the logits
    for change in ({"envelope": f["envelope"] * 0}, {"velocity": np.array([127.0, 50.0], np.float32)}):
        other = run_exported(path, {**f, **change})
        assert np.abs(other["logits_seq"][:1] - ort["logits_seq"][:1]).max() > 1e-3


def test_envelope_graph_chunk_split_and_weights_round_trip(tiny_env):
    net, fg, path = tiny_env
    f = _env_feeds(fg, 50, seed=2)
    whole = run_exported(path, f)
    a = run_exported(path, {**f, "noise": f["noise"][:, :17], "envelope": f["envelope"][:, :17]})
    b = run_exported(path, {**f, "noise": f["noise"][:, 17:], "envelope": f["envelope"][:, 17:],
                            "prev": a["prev_out"], "state": a["state_out"]})
    assert np.array_equal(np.concatenate([a["audio"], b["audio"]], 1), whole["audio"])
    back, _ = load_from_onnx(path)
    for k, v in net.state_dict().items():
        assert torch.equal(back.state_dict()[k], v), k


def test_envelope_frames_measure_the_level():
    from lstudio.wavenet_data import HOP, envelope_frames, envelope_samples
    t = np.arange(8000) / nd.SAMPLE_RATE
    amp = np.where(t < 0.25, 0.5, 0.05)  # −9 dB RMS (a sine of peak 0.5), then 20 dB lower, then silence
    x = (amp * np.sin(2 * np.pi * 440 * t))[None]
    x[:, 6000:] = 0
    fr = envelope_frames(x)
    assert fr.shape == (1, 8000 // HOP + 1) and fr.dtype == np.uint8
    db = lambda e: (e / 255 - 1) * 60  # noqa: E731
    assert abs(db(fr[0, 10]) - 20 * np.log10(0.5 / np.sqrt(2))) < 0.5
    assert abs(db(fr[0, 30]) - 20 * np.log10(0.05 / np.sqrt(2))) < 0.5
    assert fr[0, 45] == 0  # silence is the floor
    e = envelope_samples(fr, 8000)
    assert np.allclose(e[0, ::HOP], fr[0, :50] / 255, atol=1e-6)  # frame centres are the frames
    assert np.all(np.diff(e[0, 25 * HOP:26 * HOP + 1]) <= 1e-7)  # linear between them (falling here)


def test_envelope_graph_blends_velocity_layers_and_note_envelope_stretches(tmp_path):
    """The studio's default envelope: the table graph gives a rendered layer at its velocity and blends between
    layers; note_envelope (mirrored by src/engine/families/wavenet-envelope.ts) is the rendered note at 1.25 s,
    keeps a held note level when longer, and ends every note released."""
    from lstudio.wavenet_envelope import build_envelope_graph, note_envelope
    from lstudio.wavenet_data import HOP
    g = np.random.default_rng(0)
    table = g.integers(0, 256, (2, 3, 5, 126)).astype(np.uint8)
    onnx.save(build_envelope_graph(table, 60, nd.VELOCITIES), str(tmp_path / "env.onnx"))
    got = run_exported(tmp_path / "env.onnx", {"instrument": np.array([1, 0, 1], np.int64), "pitch": np.array([62, 60, 99], np.int64),
                                              "velocity": np.array([110, 60, 1], np.int64)})["frames"]
    assert np.allclose(got[0], table[1, 2, 3] / 255, atol=1e-6)
    assert np.allclose(got[1], (table[0, 0, 0].astype(np.float32) + table[0, 0, 1]) / 2 / 255, atol=1e-6)
    assert np.allclose(got[2], table[1, 2, 0] / 255, atol=1e-6)  # out of range: clamped to the nearest
    frames = np.concatenate([np.linspace(0.9, 0.6, 101), np.linspace(0.6, 0.1, 26)[1:]]).astype(np.float32)
    e = note_envelope(frames, 20000)
    assert np.allclose(e[::HOP], frames[:125], atol=1e-6)
    held = note_envelope(np.concatenate([np.full(101, 0.7), np.linspace(0.7, 0.2, 26)[1:]]).astype(np.float32), 48000)
    assert np.allclose(held[16000:44000], 0.7, atol=1e-6) and held[-1] < 0.25
    short = note_envelope(frames, 4000)  # a short note's release is sped up to fit its last quarter: the whole drop
    assert abs(short[-1] - (short[2999] - 0.5)) < 0.02


@torch.no_grad()
def test_min_p_sampling_in_graph_equals_pytorch_and_drops_the_tail(tiny, tmp_path):
    """min-p sampling (a sharpening tried for cleaner notes): the graph samples what lstudio.wavenet.sample does,
    and with min_p near 1 only the most likely code is ever drawn."""
    net, fg, _ = tiny
    path = tmp_path / "minp.onnx"
    onnx.save(build_generate(net, 60, with_logits=True, min_p=True), str(path))
    f = {**_feeds(fg, 120, seed=3), "min_p": np.array([0.1, 0.5], np.float32)}
    ort = run_exported(path, f)
    t = {k: torch.from_numpy(v) for k, v in f.items()}
    audio, prev, _ = fg.generate(**t)
    assert np.array_equal(ort["prev_out"], prev.numpy()) and np.array_equal(ort["audio"], audio.numpy())
    greedy = run_exported(path, {**f, "min_p": np.full(2, 0.999999, np.float32)})
    top = greedy["logits_seq"].argmax(-1)  # (n, b) the most likely code at each step, along its own path
    assert np.array_equal(greedy["codes"], top)


def test_envelope_training_dry_run(tmp_path):
    """train_wavenet.py with the envelope inputs, own samples and level augmentation runs, checkpoints and resumes."""
    from tests.dry_run import dry_run
    out = dry_run("train_wavenet.py", tmp_path, "--envelope", "--ss-share", "0.3", "--level-aug", "0.5",
                  "--time-taus", "0.02,0.08", out=True)
    assert "held_out_nll_bits_per_sample" in out and "written and read back" in out
