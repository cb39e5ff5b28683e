"""Symbolic music for the event LSTM: permissively licensed game MIDI from Debian, as notes and event tokens.

Sources (one licence per file, kept in `Piece.license`; the card prints the table):
- `freedoom` (`/usr/share/games/doom/freedoom{1,2}.wad`): every `D_*` lump is a standard MIDI file.
  BSD-style (the Freedoom licence). Game rock, metal, ambient and jazz. `apt-get install freedoom`.
- `simutrans-data` (`/usr/share/games/simutrans/music/*.mid`): Artistic-1.0. Light game music (swing,
  blues, marches, easy listening). `apt-get install simutrans-data`. Two files carry an invalid key
  signature (mode 255): that meta event is read as C major (it plays no part in the notes).

All pitched channels of a piece are merged into one stream (channel 10, drums, is dropped): the model writes
one polyphonic part, as PerformanceRNN does for piano. A note's velocity is scaled by its channel's volume
(CC7) and expression (CC11) at its onset, so merged parts keep their balance. Sustain pedal is ignored;
notes longer than MAX_NOTE_S are cut there (game MIDI holds pads for minutes, which teaches nothing).
Held out: every 10th piece by sorted name, whole. Encoded tokens are cached in training/.cache/.
"""
from __future__ import annotations

import glob
import hashlib
import io
import struct
from dataclasses import dataclass
from pathlib import Path

import mido
import numpy as np

from .music_events import MAX_NOTE_S, Notes, encode

CACHE = Path(__file__).resolve().parent.parent / ".cache"
FREEDOOM = [Path("/usr/share/games/doom/freedoom1.wad"), Path("/usr/share/games/doom/freedoom2.wad")]
SIMUTRANS = Path("/usr/share/games/simutrans/music")
LICENSES = {"freedoom": "BSD-3-Clause (Freedoom licence)", "simutrans": "Artistic-1.0"}
DRUMS = 9           # MIDI channel 10, 0-based
HELD_OUT_EVERY = 10
STRETCHES = (0.95, 1.0, 1.05)  # time-stretch augmentation (as Magenta's performance models): cached per factor


@dataclass
class Piece:
    name: str      # "freedoom/D_RUNNIN", "simutrans/01-Simutrans-Main-Theme"
    license: str
    notes: Notes


def wad_lumps(path: Path):
    """(name, bytes) of every lump: header '<4sii' (IWAD, count, directory offset), entries '<ii8s'."""
    data = path.read_bytes()
    _, n, off = struct.unpack("<4sii", data[:12])
    for i in range(n):
        pos, size, name = struct.unpack("<ii8s", data[off + 16 * i: off + 16 * i + 16])
        yield name.rstrip(b"\0").decode("ascii", "replace"), data[pos:pos + size]


def _fix_key_signatures(data: bytes) -> bytes:
    """Key signature meta events (FF 59 02 sf mi) with a mode other than 0/1 → mode 0, so mido reads the file."""
    b = bytearray(data)
    i = b.find(b"\xff\x59\x02")
    while i >= 0:
        if i + 4 < len(b) and b[i + 4] not in (0, 1):
            b[i + 4] = 0
        i = b.find(b"\xff\x59\x02", i + 1)
    return bytes(b)


def read_midi(data: bytes) -> mido.MidiFile:
    try:
        return mido.MidiFile(file=io.BytesIO(data))
    except mido.midifiles.meta.KeySignatureError:
        return mido.MidiFile(file=io.BytesIO(_fix_key_signatures(data)))


def midi_notes(mid: mido.MidiFile, keep_drums: bool = False) -> Notes:
    """All pitched notes of a MIDI file with absolute times in seconds (tempo map applied by mido)."""
    now = 0.0
    volume, expression = [100] * 16, [127] * 16  # General MIDI power-on defaults
    sounding: dict[tuple[int, int], tuple[float, int]] = {}
    rows: list[tuple[float, float, int, int]] = []

    def release(key: tuple[int, int]) -> None:
        start, vel = sounding.pop(key)
        rows.append((start, min(now, start + MAX_NOTE_S), key[1], vel))

    for msg in mid:  # merged tracks; msg.time = seconds since the previous message
        now += msg.time
        if msg.type == "control_change" and msg.control in (7, 11):
            (volume if msg.control == 7 else expression)[msg.channel] = msg.value
            continue
        if msg.type not in ("note_on", "note_off") or (msg.channel == DRUMS and not keep_drums):
            continue
        key = (msg.channel, msg.note)
        if key in sounding:  # a note-off, or a re-strike of a sounding note
            release(key)
        if msg.type == "note_on" and msg.velocity > 0:
            v = msg.velocity * volume[msg.channel] * expression[msg.channel] / 127 ** 2
            sounding[key] = (now, int(np.clip(round(v), 1, 127)))
    for key in list(sounding):
        release(key)
    rows = [r for r in rows if r[1] > r[0]]
    return Notes.of(rows).sorted()


def load_pieces() -> list[Piece]:
    """Every piece of the installed sources, sorted by name; identical MIDI files are kept once."""
    raw: dict[str, tuple[str, bytes]] = {}
    for wad in FREEDOOM:
        if wad.exists():
            for name, lump in wad_lumps(wad):
                if name.startswith("D_") and lump[:4] == b"MThd":
                    raw.setdefault(f"freedoom/{name}", ("freedoom", lump))
    for f in sorted(glob.glob(str(SIMUTRANS / "*.mid"))):
        raw[f"simutrans/{Path(f).stem}"] = ("simutrans", Path(f).read_bytes())
    if not raw:
        raise SystemExit("no music installed: apt-get install freedoom simutrans-data")
    seen, pieces = set(), []
    for name in sorted(raw):
        source, data = raw[name]
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        notes = midi_notes(read_midi(data))
        if len(notes):
            pieces.append(Piece(name, LICENSES[source], notes))
    return pieces


def is_held_out(i: int) -> bool:
    return i % HELD_OUT_EVERY == 4


def encoded_pieces() -> dict:
    """{"names", "licenses", "notes": n per piece, "held": bool per piece, "tokens": {stretch: [int16 arrays]}},
    cached in training/.cache/music-events.npz (rebuilt when the installed sources change)."""
    pieces = load_pieces()
    key = hashlib.sha256(repr([(p.name, len(p.notes), float(p.notes.end.sum())) for p in pieces]).encode()).hexdigest()[:16]
    path = CACHE / f"music-events-{key}.npz"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for s in STRETCHES:
            toks = [encode(p.notes, s) for p in pieces]
            arrays[f"tokens_{s}"] = np.concatenate(toks)
            arrays[f"offsets_{s}"] = np.cumsum([0] + [len(t) for t in toks])
        np.savez(path, **arrays)
    z = np.load(path)
    tokens = {s: np.split(z[f"tokens_{s}"], z[f"offsets_{s}"][1:-1]) for s in STRETCHES}
    return {"names": [p.name for p in pieces], "licenses": [p.license for p in pieces],
            "notes": [len(p.notes) for p in pieces], "held": [is_held_out(i) for i in range(len(pieces))],
            "tokens": tokens, "pieces": pieces}


def notes_to_midi(notes: Notes, program: int = 0, bpm: float = 120.0, text: str | None = None) -> mido.MidiFile:
    """One-track MIDI (type 0, channel 1, GM `program`), 480 ticks per beat at `bpm` (≈ 1 ms per tick at 120)."""
    mid = mido.MidiFile(type=0, ticks_per_beat=480)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    tick_s = 60.0 / bpm / mid.ticks_per_beat
    track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm), time=0))
    if text:
        track.append(mido.MetaMessage("text", text=text, time=0))
    track.append(mido.Message("program_change", program=program, channel=0, time=0))
    edges = sorted([(round(e / tick_s), 0, int(p), 0) for e, p in zip(notes.end, notes.pitch)] +
                   [(round(s / tick_s), 1, int(p), int(v)) for s, p, v in zip(notes.start, notes.pitch, notes.velocity)])
    now = 0
    for tick, is_on, pitch, vel in edges:  # at one tick: note-offs first (a repeated pitch re-strikes)
        kind = "note_on" if is_on else "note_off"
        track.append(mido.Message(kind, note=pitch, velocity=vel if is_on else 0, channel=0, time=tick - now))
        now = tick
    track.append(mido.MetaMessage("end_of_track", time=0))
    return mid
