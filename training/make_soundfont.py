"""Subset Debian's MuseScore General (MIT) to the General MIDI programs the music studio plays: a soundfont we ship.

    /usr/bin/python3 training/make_soundfont.py            # writes assets/soundfonts/latent-gm-small.sf3 (~5 MB)
    /usr/bin/python3 training/make_soundfont.py --check    # + renders every program with fluidsynth through both fonts

The programs are the ten instruments of the WaveNet (lstudio.nsynth_data.INSTRUMENTS), so a piece can also be
played by the WaveNet's instrument of the same name. The file stays SF3 (samples are the original Ogg Vorbis
blobs, copied byte for byte: no re-encoding). Two cuts keep it small (the Grand Piano alone is 15 MB):
- the piano keeps its MF velocity layers (its FF layers, velocities 108..127, are dropped; the MF layers now
  reach 127), and
- stereo sample pairs become mono: the left sample of each pair is kept, centred (the piano is the only
  stereo instrument of the ten).
Everything else (zones, generators, modulators, loops) is copied as it is.

SF2 layout (SoundFont 2.04, the sf3 variant keeps it): RIFF 'sfbk' { LIST INFO, LIST sdta { smpl }, LIST pdta
{ phdr pbag pmod pgen inst ibag imod igen shdr } }. In sf3 a sample's start/end are byte offsets of its Ogg
blob in smpl and its loop points are frames from the sample's start, so only start/end move.
"""
from __future__ import annotations

import argparse
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lstudio.nsynth_data import INSTRUMENTS  # noqa: E402

SOURCE = Path("/usr/share/sounds/sf3/MuseScore_General_Full.sf3")  # Debian musescore-general-soundfont 0.2.1
OUT = Path(__file__).resolve().parent.parent / "assets" / "soundfonts" / "latent-gm-small.sf3"  # not models/: every folder there is a model
PROGRAMS = sorted(p for _, p in INSTRUMENTS)
DROP_INSTRUMENTS = {b"Piano FF-low", b"Piano FF-high"}
MAX_BYTES = 8 * 1024 * 1024
GEN_PAN, GEN_INSTRUMENT, GEN_VELRANGE, GEN_SAMPLE = 17, 41, 44, 53
MONO, RIGHT, LEFT, COMPRESSED = 1, 2, 4, 0x10
FORMATS = {b"phdr": "<20sHHHIII", b"pbag": "<HH", b"pmod": "<HHhHH", b"pgen": "<HH", b"inst": "<20sH",
           b"ibag": "<HH", b"imod": "<HHhHH", b"igen": "<HH", b"shdr": "<20sIIIIIBbHH"}


def chunks(b: bytes, at: int, end: int):
    while at + 8 <= end:
        cid, size = struct.unpack("<4sI", b[at:at + 8])
        yield cid, at + 8, size
        at += 8 + size + (size & 1)


def read(path: Path) -> tuple[dict, dict, bytes]:
    """(info {id: bytes}, pdta {name: [records]}, smpl bytes) of a soundfont."""
    b = path.read_bytes()
    assert b[:4] == b"RIFF" and b[8:12] == b"sfbk", f"{path} is not a SoundFont"
    lists = {b[at:at + 4]: {c: b[o:o + s] for c, o, s in chunks(b, at + 4, at + size)} for _, at, size in chunks(b, 12, len(b))}
    pdta = {k: list(struct.iter_unpack(f, lists[b"pdta"][k])) for k, f in FORMATS.items()}
    return lists[b"INFO"], pdta, lists[b"sdta"][b"smpl"]


def zones(pdta: dict, kind: str, i: int) -> list[tuple[list, list]]:
    """Zones of preset (kind 'p') or instrument ('i') i: [(generators [(oper, amount)], modulators)]."""
    hdr, bag = (pdta[b"phdr"], pdta[b"pbag"]) if kind == "p" else (pdta[b"inst"], pdta[b"ibag"])
    first = 3 if kind == "p" else 1
    gen, mod = pdta[kind.encode() + b"gen"], pdta[kind.encode() + b"mod"]
    return [([list(g) for g in gen[bag[z][0]:bag[z + 1][0]]], mod[bag[z][1]:bag[z + 1][1]])
            for z in range(hdr[i][first], hdr[i + 1][first])]


def gen(zone, oper: int):
    return next((a for o, a in zone[0] if o == oper), None)


def subset(pdta: dict, smpl: bytes) -> tuple[dict, bytes]:
    """New pdta records and smpl for PROGRAMS (bank 0), with the cuts in the module doc."""
    presets = sorted((p for p in range(len(pdta[b"phdr"]) - 1) if pdta[b"phdr"][p][2] == 0 and pdta[b"phdr"][p][1] in PROGRAMS),
                     key=lambda p: pdta[b"phdr"][p][1])
    assert [pdta[b"phdr"][p][1] for p in presets] == PROGRAMS, "a program is missing from the source"
    inst_name = lambda i: pdta[b"inst"][i][0].rstrip(b"\0")  # noqa: E731
    out = {k: [] for k in FORMATS}
    inst_ids: dict[int, int] = {}
    sample_ids: dict[int, int] = {}
    samples: list[int] = []

    def emit(kind: str, zs: list) -> None:
        bag, gen_, mod = out[kind.encode() + b"bag"], out[kind.encode() + b"gen"], out[kind.encode() + b"mod"]
        for gens, mods in zs:
            bag.append((len(gen_), len(mod)))
            gen_ += [tuple(g) for g in gens]
            mod += mods

    for p in presets:
        zs = [z for z in zones(pdta, "p", p) if gen(z, GEN_INSTRUMENT) is None or inst_name(gen(z, GEN_INSTRUMENT)) not in DROP_INSTRUMENTS]
        if len(zs) < len(zones(pdta, "p", p)):  # layers dropped: the loudest layer left reaches velocity 127
            top = max(gen(z, GEN_VELRANGE) >> 8 for z in zs if gen(z, GEN_VELRANGE) is not None)
            for z in zs:
                for g in z[0]:
                    if g[0] == GEN_VELRANGE and g[1] >> 8 == top:
                        g[1] = (g[1] & 0xFF) | (127 << 8)
        for z in zs:
            for g in z[0]:
                if g[0] == GEN_INSTRUMENT:
                    g[1] = inst_ids.setdefault(g[1], len(inst_ids))
        name, prog, bank, _, lib, genre, morph = pdta[b"phdr"][p]
        out[b"phdr"].append((name, prog, bank, len(out[b"pbag"]), lib, genre, morph))
        emit("p", zs)
    shdr = pdta[b"shdr"]
    for old in inst_ids:  # in order of first use
        zs = [z for z in zones(pdta, "i", old) if gen(z, GEN_SAMPLE) is None or not shdr[gen(z, GEN_SAMPLE)][9] & RIGHT]
        stereo = any(gen(z, GEN_SAMPLE) is not None and shdr[gen(z, GEN_SAMPLE)][9] & LEFT for z in zs)
        for z in zs:
            s = gen(z, GEN_SAMPLE)
            if stereo:  # the left half of each pair, played alone: centred (the global zone pans it hard left)
                z[0][:] = [g for g in z[0] if g[0] != GEN_PAN]
            if s is None:
                continue
            for g in z[0]:
                if g[0] == GEN_SAMPLE:
                    g[1] = sample_ids.setdefault(s, len(sample_ids))
        out[b"inst"].append((pdta[b"inst"][old][0], len(out[b"ibag"])))
        emit("i", zs)
    data = bytearray()
    for old in sample_ids:
        name, start, end, loop0, loop1, rate, key, corr, _, typ = shdr[old]
        assert typ & COMPRESSED, f"{name} is not an Ogg sample"
        out[b"shdr"].append((name, len(data), len(data) + end - start, loop0, loop1, rate, key, corr, 0, COMPRESSED | MONO))
        data += smpl[start:end]
    # terminal records: the last header's bag index is the bag count, and so on down
    out[b"phdr"].append((b"EOP", 0, 0, len(out[b"pbag"]), 0, 0, 0))
    out[b"inst"].append((b"EOI", len(out[b"ibag"])))
    for k in (b"pbag", b"ibag"):
        out[k].append((len(out[k[:1] + b"gen"]), len(out[k[:1] + b"mod"])))
    out[b"pmod"].append((0, 0, 0, 0, 0))
    out[b"imod"].append((0, 0, 0, 0, 0))
    out[b"pgen"].append((0, 0))
    out[b"igen"].append((0, 0))
    out[b"shdr"].append((b"EOS", 0, 0, 0, 0, 0, 0, 0, 0, 0))
    return out, bytes(data)


def riff(cid: bytes, body: bytes) -> bytes:
    return cid + struct.pack("<I", len(body)) + body + b"\0" * (len(body) & 1)


def zstr(s: str) -> bytes:
    b = s.encode("ascii") + b"\0"
    return b + b"\0" * (len(b) & 1)


def write(path: Path, info: dict, pdta: dict, smpl: bytes) -> None:
    names = ", ".join(f"{p} {n}" for n, p in sorted(INSTRUMENTS, key=lambda x: x[1]))
    info_chunks = [riff(b"ifil", info[b"ifil"]), riff(b"isng", zstr("E-mu 10K2")),
                   riff(b"INAM", zstr("Latent GM small (from MuseScore_General_HQ v0.2.1)")),
                   riff(b"ICOP", info[b"ICOP"]),
                   riff(b"ICMT", zstr(f"Programs {names} of MuseScore_General_HQ 0.2.1 (MIT; see README.md beside "
                                      "this file): piano MF layers only, stereo pairs as mono. Made by "
                                      "training/make_soundfont.py.")),
                   riff(b"ISFT", zstr("Latent Studio make_soundfont.py"))]
    pd = b"".join(riff(k, b"".join(struct.pack(FORMATS[k], *r) for r in pdta[k])) for k in FORMATS)
    body = b"sfbk" + riff(b"LIST", b"INFO" + b"".join(info_chunks)) + riff(b"LIST", b"sdta" + riff(b"smpl", smpl)) + riff(b"LIST", b"pdta" + pd)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)


SLOT_S = 3.0  # one note: held 1 s, then silence until its release has died away


def render(font: Path, notes: list[tuple[int, int]], velocity: int = 80):
    """(program, pitch) notes one per SLOT_S, rendered by fluidsynth (reverb and chorus off) → (n, slot) float
    mono at 44.1 kHz, one row per note. One run per font: loading the full font takes ~15 s."""
    import mido
    import numpy as np
    with tempfile.TemporaryDirectory() as d:
        mid = mido.MidiFile(ticks_per_beat=480)  # 120 bpm: 960 ticks a second
        track = mido.MidiTrack()
        for program, pitch in notes:
            track += [mido.Message("program_change", program=program, time=0),
                      mido.Message("note_on", note=pitch, velocity=velocity, time=0),
                      mido.Message("note_off", note=pitch, time=960),
                      mido.Message("note_off", note=pitch, time=int(960 * (SLOT_S - 1)))]
        mid.tracks.append(track)
        mid.save(f"{d}/n.mid")
        subprocess.run(["fluidsynth", "-ni", "-R", "0", "-C", "0", "-g", "0.5", "-r", "44100", "-O", "s16", "-T", "raw",
                        "-F", f"{d}/n.raw", str(font), f"{d}/n.mid"], check=True, capture_output=True)
        x = np.frombuffer(Path(f"{d}/n.raw").read_bytes(), np.int16).reshape(-1, 2).mean(1) / 32768
    slot = int(SLOT_S * 44100)
    return np.pad(x, (0, max(0, slot * len(notes) - len(x))))[:slot * len(notes)].reshape(len(notes), slot)


def check(small: Path) -> None:
    """Each program at three pitches through both fonts: the same samples (piano: MF layer, mono → by level)."""
    import numpy as np
    notes = [(p, k) for _, p in sorted(INSTRUMENTS, key=lambda x: x[1]) for k in (48, 60, 72)]
    full, mine = render(SOURCE, notes), render(small, notes)
    names = dict((p, n) for n, p in INSTRUMENTS)
    for (program, pitch), a, b in zip(notes, full, mine):
        rms = lambda x: float(np.sqrt(np.mean(x ** 2)))  # noqa: E731
        diff = float(np.abs(a - b).max())
        print(f"{program:3d} {names[program]:15s} pitch {pitch}: rms full {rms(a):.4f} small {rms(b):.4f}  max |diff| {diff:.4f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="render every program through both fonts with fluidsynth")
    args = ap.parse_args()
    info, pdta, smpl = read(SOURCE)
    new, data = subset(pdta, smpl)
    write(OUT, info, new, data)
    size = OUT.stat().st_size
    print(f"{OUT}: {size / 1e6:.2f} MB, {len(new[b'phdr']) - 1} presets, {len(new[b'inst']) - 1} instruments, "
          f"{len(new[b'shdr']) - 1} samples")
    assert size <= MAX_BYTES, f"{size} bytes: more than {MAX_BYTES}"
    if args.check:
        check(OUT)


if __name__ == "__main__":
    main()
