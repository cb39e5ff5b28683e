/**
 * Notes as they cross a boundary in a `music` job part (contract.ts): one Float64Array of rows
 * [startS, durS, pitch, velocity] (float64: seconds stay exact, so the CLI and the studio write the same
 * bytes), the program given once per part. Pure TS.
 */
import type { MidiNote } from './midi'

/** Values per note in a packed array. */
export const NOTE_FIELDS = 4

/** (n, 4) float64 rows [startS, durS, pitch, velocity]. */
export function packNotes(notes: readonly MidiNote[]): Float64Array {
  const out = new Float64Array(notes.length * NOTE_FIELDS)
  notes.forEach((n, i) => out.set([n.startS, n.durS, n.pitch, n.velocity], i * NOTE_FIELDS))
  return out
}

/** Packed rows → notes played by `program`. */
export function unpackNotes(packed: Float64Array, program: number): MidiNote[] {
  const out: MidiNote[] = []
  for (let i = 0; i + NOTE_FIELDS <= packed.length; i += NOTE_FIELDS) {
    out.push({ startS: packed[i], durS: packed[i + 1], pitch: packed[i + 2], velocity: packed[i + 3], program })
  }
  return out
}

/** Notes sorted as a MIDI file lists them: by start, then pitch (a stable sort keeps the rest). */
export const byStart = (a: MidiNote, b: MidiNote) => a.startS - b.startS || a.pitch - b.pitch
