/**
 * MIDI files: what we write comes back (notes to the tick, tempo, recipe), and the files issue 14 lists
 * as bad input give a message or a sensible prime. Fixtures are built byte by byte here; three real
 * Freedoom tracks are read when Debian's `freedoom` is installed and compared with mido's reading.
 */
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decodeMidi, encodeMidi, looksLikeMidi, MAX_MIDI_NOTES, MIDI_RECIPE_PREFIX, type MidiNote } from './midi'
import { RECIPE_KEY } from './recipe'

const vlq = (n: number): number[] => {
  const out = [n & 0x7f]
  while ((n >>= 7)) out.unshift((n & 0x7f) | 0x80)
  return out
}
const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]
const str = (s: string) => [...s].map((c) => c.charCodeAt(0))
const chunk = (id: string, body: number[]) => [...str(id), ...u32(body.length), ...body]
/** A file from raw track bodies (delta-time + event bytes each); division = ticks per beat. */
const smf = (format: number, tracks: number[][], division = 96, extra: number[] = []) =>
  Uint8Array.from([...chunk('MThd', [0, format, 0, tracks.length, division >> 8, division & 255]), ...extra, ...tracks.flatMap((t) => chunk('MTrk', t))])
const EOT = [0, 0xff, 0x2f, 0]
const tempo = (bpm: number) => { const us = Math.round(60e6 / bpm); return [0xff, 0x51, 3, us >> 16, (us >> 8) & 255, us & 255] }
/** note on at delta, note off after len ticks (explicit status bytes). */
const note = (delta: number, pitch: number, len: number, ch = 0, vel = 100) => [...vlq(delta), 0x90 | ch, pitch, vel, ...vlq(len), 0x80 | ch, pitch, 0]

const n = (pitch: number, startS: number, durS: number, program = 0, velocity = 80): MidiNote => ({ pitch, velocity, startS, durS, program })

describe('MIDI files', () => {
  it('give back what we wrote: notes to the tick, tempo and recipe; the same notes give the same bytes', () => {
    const notes = [n(60, 0, 0.5), n(64, 0, 0.5, 0, 1), n(60, 0.5, 0.25, 0, 127), n(43, 0.75, 2, 33), n(72, 1.2345, 0.1, 40)]
    const recipe = JSON.stringify({ app: 'latent-studio', modelId: 'music-lstm', params: { title: 'Für Elise — ♪' } })
    const bytes = encodeMidi(notes, 96, recipe)
    expect(looksLikeMidi(bytes)).toBe(true)
    expect(encodeMidi(notes, 96, recipe)).toEqual(bytes)
    const song = decodeMidi(bytes)
    expect(song).toMatchObject({ bpm: 96, warnings: [] })
    expect(JSON.parse(song.recipe!)).toEqual(JSON.parse(recipe)) // non-ASCII travels as \uXXXX escapes
    const tick = 60 / 96 / 480 // one tick ≈ 1.3 ms at 96 bpm
    expect(song.notes.map((x) => [x.pitch, x.velocity, x.program])).toEqual([[60, 80, 0], [64, 1, 0], [60, 127, 0], [43, 80, 33], [72, 80, 40]])
    song.notes.forEach((x, i) => {
      expect(Math.abs(x.startS - notes[i].startS)).toBeLessThanOrEqual(tick / 2)
      expect(Math.abs(x.durS - notes[i].durS)).toBeLessThanOrEqual(tick)
    })
    expect(MIDI_RECIPE_PREFIX).toBe(RECIPE_KEY + ' ')
    expect(decodeMidi(encodeMidi(notes, 120, null)).recipe).toBeNull()
  })

  it('refuse what no MIDI file can hold', () => {
    expect(() => encodeMidi([n(128, 0, 1)], 120, null)).toThrow(/not a MIDI note/)
    expect(() => encodeMidi([n(60, -1, 1)], 120, null)).toThrow(/not a MIDI note/)
    expect(() => encodeMidi([], 0, null)).toThrow(/tempo 0 bpm/)
    expect(() => encodeMidi(Array.from({ length: 16 }, (_, p) => n(60, 0, 1, p)), 120, null)).toThrow(/16 programs/)
  })

  it('read a foreign type-1 file: tempo changes in a conductor track, programs per channel, running status', () => {
    // 96 ticks per beat; 120 bpm for 4 beats, then 60 bpm. Track 2 uses running status for its second note.
    const conductor = [0, ...tempo(120), ...vlq(384), ...tempo(60), ...EOT]
    const part = [0, 0xc1, 24, ...note(0, 60, 96, 1), ...vlq(384 - 96), 0x91, 62, 90, ...vlq(96), 64, 100, ...vlq(96), 62, 0, 0, 64, 0, ...EOT]
    const song = decodeMidi(smf(1, [conductor, part]))
    expect(song.bpm).toBe(120)
    expect(song.recipe).toBeNull()
    // beat 4 = 2 s; then one beat = 1 s: note 62 at 2 s (1 s long: vel-0 note-on is a note-off), 64 at 3 s
    expect(song.notes).toEqual([n(60, 0, 0.5, 24, 100), n(62, 2, 2, 24, 90), n(64, 3, 1, 24, 100)])
  })

  it('read SMPTE time (25 fps × 40 ticks = 1 ms a tick)', () => {
    const b = smf(0, [[...note(0, 60, 500), ...EOT]], 0)
    b[12] = 0x100 - 25 // -25 as the division's high byte
    b[13] = 40
    expect(decodeMidi(b).notes).toEqual([n(60, 0, 0.5, 0, 100)])
  })

  it('refuse files that are not MIDI or are cut short, saying why', () => {
    expect(() => decodeMidi(new TextEncoder().encode('just some text that is long'))).toThrow('it does not start with MThd (not a standard MIDI file)')
    expect(looksLikeMidi(Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 0, 0, 0))).toBe(false)
    const whole = smf(0, [[...note(0, 60, 96), ...EOT]])
    expect(() => decodeMidi(whole.subarray(0, whole.length - 3))).toThrow(/it is truncated: chunk "MTrk" says 12 bytes, 9 are left/)
    expect(() => decodeMidi(smf(0, [[0, 0xf4, 1, 2, ...EOT]]))).toThrow(/it is damaged \(Unrecognised MIDI event type byte: 244\)/)
    expect(() => decodeMidi(smf(0, [[0, 0xff, 0x51, 4, 7, 161, 32, 0, ...EOT]]))).toThrow(/it is damaged \(Expected length for setTempo event is 3, got 4\)/)
  })

  it('say what is missing: no tracks, no notes, only drums', () => {
    expect(() => decodeMidi(smf(1, []))).toThrow('it has no tracks')
    expect(() => decodeMidi(smf(1, [[0, ...tempo(100), ...EOT]]))).toThrow('it has no notes')
    expect(() => decodeMidi(smf(0, [[...note(0, 36, 48, 9), ...note(0, 38, 48, 9), ...EOT]]))).toThrow('it has only drum notes (2 on channel 10); the music model continues pitched parts')
    const mixed = decodeMidi(smf(0, [[...note(0, 36, 48, 9), ...note(0, 60, 48), ...EOT]]))
    expect(mixed.notes.map((x) => x.pitch)).toEqual([60])
    expect(mixed.warnings).toEqual(['1 drum notes (channel 10) are left out'])
  })

  it('read the first pattern of a type-2 file, and say so', () => {
    const song = decodeMidi(smf(2, [[0, ...tempo(100), ...EOT], [...note(0, 67, 96), ...EOT], [...note(0, 48, 96), ...EOT]]))
    expect(song.notes.map((x) => x.pitch)).toEqual([67])
    expect(song.warnings).toEqual(['it is a type-2 MIDI file (independent patterns): only pattern 2 of 3 is read'])
  })

  it('clamp absurd tempi to 10..1000 bpm, and say so', () => {
    const fast = decodeMidi(smf(0, [[0, 0xff, 0x51, 3, 0, 0, 1, ...note(0, 60, 96), ...EOT]]))
    expect(fast.bpm).toBe(1000)
    expect(fast.notes[0].durS).toBeCloseTo(0.06, 9) // one beat at 1000 bpm
    expect(fast.warnings).toEqual(['1 tempo change outside 10..1000 bpm read as the nearest (60000000 bpm at tick 0 as 1000)'])
    const slow = decodeMidi(smf(0, [[0, 0xff, 0x51, 3, 255, 255, 255, ...note(0, 60, 96), ...EOT]]))
    expect(slow.notes[0].durS).toBeCloseTo(6, 9)
  })

  it('keep the last notes of a file with too many, moved to start at 0 s', () => {
    const track = [0, ...tempo(120)]
    for (let i = 0; i < 100_000; i++) track.push(...note(i === 0 ? 0 : 0, 40 + (i % 40), 24)) // a note every 1/4 beat = 0.125 s
    track.push(...EOT)
    const song = decodeMidi(smf(0, [track]))
    expect(song.notes).toHaveLength(MAX_MIDI_NOTES)
    expect(song.notes[0]).toEqual(n(40 + (80_000 % 40), 0, 0.125, 0, 100))
    expect(song.warnings).toEqual(['it has 100,000 notes: the last 20,000 are kept (from 10000.0 s, moved to 0 s)'])
  })

  it('read past odd meta events, sysex, unknown chunks and an RMID wrapper', () => {
    const odd = [
      0, 0xff, 0x59, 2, 0, 255, // key signature with mode 255 (two Simutrans files have it)
      0, 0xff, 0x7f, 3, 0, 0x20, 1, // sequencer-specific
      0, 0xff, 0x60, 2, 1, 2, // a meta type no standard names
      0, 0xff, 0x54, 5, 96, 0, 0, 0, 0, // SMPTE offset
      0, 0xf0, 3, 0x7e, 0x7f, 0xf7, // sysex
      0, 0xff, 0x05, 2, ...str('la'), // lyrics
      0, 0xff, 0x01, 5, ...str('hello'), // a text event that is not a recipe
      ...note(0, 60, 96), ...EOT,
    ]
    const plain = smf(0, [odd], 96, chunk('XFIH', [1, 2, 3]))
    expect(decodeMidi(plain)).toMatchObject({ notes: [n(60, 0, 0.5, 0, 100)], recipe: null, warnings: [] })
    const rmid = Uint8Array.from([...str('RIFF'), ...[4 + 8 + plain.length, 0, 0, 0], ...str('RMIDdata'), plain.length, 0, 0, 0, ...plain])
    expect(looksLikeMidi(rmid)).toBe(true)
    expect(decodeMidi(rmid).notes).toHaveLength(1)
  })

  // Three Freedoom tracks (BSD) inside Debian's WAD; mido's reading (training/lstudio/midi_data.py) gave
  // these counts, the sum of onsets and the first pitches.
  const WAD = '/usr/share/games/doom/freedoom1.wad'
  it.skipIf(!existsSync(WAD))('read Freedoom’s MIDI as mido does', () => {
    const wad = readFileSync(WAD)
    const dv = new DataView(wad.buffer, wad.byteOffset, wad.byteLength)
    const lumps = new Map<string, Uint8Array>()
    for (let i = 0, dir = dv.getInt32(8, true); i < dv.getInt32(4, true); i++) {
      const at = dir + 16 * i
      const name = wad.subarray(at + 8, at + 16).toString('latin1').replace(/\0+$/, '')
      lumps.set(name, wad.subarray(dv.getInt32(at, true), dv.getInt32(at, true) + dv.getInt32(at + 4, true)))
    }
    const mido: [string, number, number, number[]][] = [['D_INTROA', 34, 144.802, [42, 49, 54]], ['D_VICTOR', 262, 7601.139, [50, 71, 74]], ['D_E1M8', 427, 39696.333, [49, 53, 56]]]
    for (const [name, count, onsets, first] of mido) {
      const song = decodeMidi(lumps.get(name)!)
      expect(song.notes, name).toHaveLength(count)
      expect(song.notes.reduce((s, x) => s + x.startS, 0), name).toBeCloseTo(onsets, 2)
      expect(song.notes.slice(0, 3).map((x) => x.pitch), name).toEqual(first)
    }
  })
})
