/**
 * PerformanceRNN events ⇄ notes, exactly as training/lstudio/music_events.py (the model's vocabulary;
 * music-events.test.ts checks both against one golden list the Python encoder wrote).
 *
 * Token ids (389; the step graph reads them):
 *   0..127    NOTE_ON  pitch p (at the current velocity)
 *   128..255  NOTE_OFF pitch p - 128
 *   256..355  TIME_SHIFT (id - 255) steps of 10 ms (10 ms..1 s; longer gaps repeat it)
 *   356..387  VELOCITY bin (id - 356) → MIDI velocity 4·bin + 3
 *   388       START (a piece begins; primes generation from nothing)
 * `stretch` scales every time: the model speaks at 120 bpm, so tempo t bpm decodes with stretch 120 / t.
 * Pure TS: the engine decodes sampled tokens, the renderer encodes a dropped MIDI file as a prime.
 */
import type { MidiNote } from './midi'

export const NOTE_ON = 0
export const NOTE_OFF = 128
export const TIME_SHIFT = 256
export const VELOCITY = 356
export const START = 388
export const VOCAB = 389
/** One TIME_SHIFT step in seconds. */
export const STEP_S = 0.01
export const MAX_SHIFT = 100
export const VEL_BINS = 32
/** No decoded note lasts longer (the training data cuts notes there: lstudio/midi_data.py). */
export const MAX_NOTE_S = 8
const MAX_NOTE_STEPS = Math.round(MAX_NOTE_S / STEP_S)

export const velocityBin = (v: number) => Math.min(VEL_BINS - 1, Math.max(0, Math.floor((v - 1) / 4)))
export const binVelocity = (bin: number) => 4 * bin + 3

/** numpy's np.round: halves go to the even neighbour (Math.round sends them up). */
function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/**
 * Notes → tokens (no START), as music_events.encode: onsets and releases on the 10 ms grid, every note
 * at least one step long; at one step note-offs come first (a repeated pitch re-strikes), then ons by
 * pitch; a VELOCITY token only when the bin changes. `program` is not encoded (one part).
 */
export function encodeEvents(notes: readonly MidiNote[], stretch = 1): number[] {
  // One edge per note-on and note-off: [step, 0 = off | 1 = on, pitch, velocity bin]
  const on = notes.map((n) => roundHalfEven((n.startS * stretch) / STEP_S))
  const off = notes.map((n, i) => Math.max(roundHalfEven(((n.startS + n.durS) * stretch) / STEP_S), on[i] + 1))
  const edges: [number, number, number, number][] = [
    ...notes.map((n, i): [number, number, number, number] => [off[i], 0, n.pitch, 0]),
    ...notes.map((n, i): [number, number, number, number] => [on[i], 1, n.pitch, velocityBin(n.velocity)]),
  ]
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]) // stable, as np.lexsort
  const out: number[] = []
  let now = 0
  let bin = -1
  for (const [t, isOn, pitch, vbin] of edges) {
    for (let gap = t - now; gap > 0; gap -= Math.min(gap, MAX_SHIFT)) out.push(TIME_SHIFT + Math.min(gap, MAX_SHIFT) - 1)
    now = t
    if (!isOn) out.push(NOTE_OFF + pitch)
    else {
      if (vbin !== bin) out.push(VELOCITY + (bin = vbin))
      out.push(NOTE_ON + pitch)
    }
  }
  return out
}

/**
 * Tokens → notes one at a time, for streaming: `push` returns the notes a token ended, `sounding` the
 * notes still held (their durS is the time so far). Forgiving, as the sampler may write anything: a
 * NOTE_ON of a sounding pitch ends it and strikes it again, a NOTE_OFF of a silent pitch is ignored,
 * START and unknown ids are skipped, `finish` releases what still sounds, and no note lasts more
 * than MAX_NOTE_S (as in the data).
 */
export class EventDecoder {
  /** Steps of 10 ms so far. */
  #now = 0
  #velocity = binVelocity(VEL_BINS >> 1)
  #sounding = new Map<number, { step: number; velocity: number }>()

  constructor(readonly stretch = 1, readonly program = 0) {}

  /** Seconds so far (the playhead of what was written). */
  get timeS(): number {
    return this.#now * STEP_S * this.stretch
  }

  push(token: number): MidiNote[] {
    if (token < NOTE_OFF) {
      const ended = this.#sounding.has(token) ? [this.#release(token)] : []
      this.#sounding.set(token, { step: this.#now, velocity: this.#velocity })
      return ended
    }
    if (token < TIME_SHIFT) return this.#sounding.has(token - NOTE_OFF) ? [this.#release(token - NOTE_OFF)] : []
    if (token < VELOCITY) this.#now += token - TIME_SHIFT + 1
    else if (token < START) this.#velocity = binVelocity(token - VELOCITY)
    return []
  }

  /** Notes held now, as if released at the current time (for drawing them growing). */
  sounding(): MidiNote[] {
    return [...this.#sounding].map(([p, s]) => this.#note(p, s.step, s.velocity))
  }

  /** Release every held note; returns them. */
  finish(): MidiNote[] {
    return [...this.#sounding.keys()].map((p) => this.#release(p))
  }

  #release(pitch: number): MidiNote {
    const s = this.#sounding.get(pitch)!
    this.#sounding.delete(pitch)
    return this.#note(pitch, s.step, s.velocity)
  }

  #note(pitch: number, step: number, velocity: number): MidiNote {
    // Same arithmetic as Python: start = s·STEP_S·stretch, end = min(max(now, s + 1), s + 800)·STEP_S·stretch
    const startS = step * STEP_S * this.stretch
    const endS = Math.min(Math.max(this.#now, step + 1), step + MAX_NOTE_STEPS) * STEP_S * this.stretch
    return { pitch, velocity, startS, durS: endS - startS, program: this.program }
  }
}

/** Tokens → notes sorted by start, then pitch (music_events.decode). */
export function decodeEvents(tokens: Iterable<number>, stretch = 1, program = 0): MidiNote[] {
  const d = new EventDecoder(stretch, program)
  const notes: MidiNote[] = []
  for (const t of tokens) notes.push(...d.push(t))
  notes.push(...d.finish())
  return notes.sort((a, b) => a.startS - b.startS || a.pitch - b.pitch)
}
