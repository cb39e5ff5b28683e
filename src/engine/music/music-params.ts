/**
 * A music-lstm job before its first step: the manifest's event layout checked against the one the
 * decoder knows (common/music-events.ts), the params (temperature, bars, tempo, program) in the
 * model's units, and a MIDI prime turned into the events the model reads.
 *
 * Time: the model's clock is absolute (PerformanceRNN: TIME_SHIFT steps of `stepMs` at `referenceBpm`).
 * At tempo T the piece plays T / referenceBpm as fast, so model time × stretch = piece seconds with
 * stretch = referenceBpm / T; `bars` B is B × beatsPerBar beats of the reference tempo.
 */
import type { JobInput, ParamValues } from '../../common/contract'
import { programOf } from '../../common/gm-programs'
import type { Manifest } from '../../common/manifest'
import { decodeMidi, type MidiNote } from '../../common/midi'
import { encodeEvents, MAX_SHIFT, NOTE_OFF, NOTE_ON, START, STEP_S, TIME_SHIFT, VEL_BINS, VELOCITY, VOCAB } from '../../common/music-events'
import { numParam } from '../params'

type Events = NonNullable<Manifest['events']>

/** A prime's last events the model reads (~4 s of reading on a loaded 2-core VM; earlier music fades from an LSTM's state anyway). */
export const MAX_PRIME_EVENTS = 16_384

export interface MusicParams {
  temperature: number
  bars: number
  /** Beats per minute of the piece. */
  tempo: number
  program: number
  /** Piece seconds per model second (referenceBpm / tempo). */
  stretch: number
  /** Model steps (of STEP_S) the job writes after the prime. */
  steps: number
  /** Longest note in piece seconds (the training data's cut, at this tempo). */
  maxNoteS: number
}

/** The manifest's layout must be the decoder's: the engine decodes with common/music-events.ts. */
export function checkLayout(id: string, e: Events): void {
  const want: [string, number, number][] = [
    ['events.size', e.size, VOCAB], ['events.noteOn.first', e.noteOn.first, NOTE_ON], ['events.noteOff.first', e.noteOff.first, NOTE_OFF],
    ['events.timeShift.first', e.timeShift.first, TIME_SHIFT], ['events.timeShift.count', e.timeShift.count, MAX_SHIFT],
    ['events.timeShift.stepMs', e.timeShift.stepMs, STEP_S * 1000], ['events.velocity.first', e.velocity.first, VELOCITY],
    ['events.velocity.count', e.velocity.count, VEL_BINS], ['events.start', e.start, START],
  ]
  for (const [field, got, expected] of want) {
    if (got !== expected) throw new Error(`${id}: ${field} is ${got}, but the studio's PerformanceRNN decoder has ${expected} (model.json)`)
  }
}

/** The job's params (validated against the manifest already) in the model's units. */
export function musicParams(e: Events, p: ParamValues): MusicParams {
  const tempo = numParam(p, 'tempo', e.referenceBpm)
  const bars = numParam(p, 'bars', 8)
  const stretch = e.referenceBpm / tempo
  const stepsPerBeat = 60 / e.referenceBpm / STEP_S
  return {
    temperature: numParam(p, 'temperature', 1),
    bars,
    tempo,
    program: programOf(p.program ?? 0),
    stretch,
    steps: Math.round(bars * e.beatsPerBar * stepsPerBeat),
    maxNoteS: ((e.maxNoteMs ?? 8000) / 1000) * stretch,
  }
}

export interface Prime {
  /** The clip's notes, played by the job's program (the model writes one part). */
  notes: MidiNote[]
  /** [START, ...the clip's last events] as the model reads them. */
  tokens: number[]
  /** Piece seconds where the model's clock stands after the prime: the continuation starts there. */
  endS: number
  /** What was read differently (the clip's own warnings, a cut). */
  warnings: string[]
}

/**
 * The prime the model reads: [START] alone, or START and a MIDI clip's events at the job's tempo (the
 * clip's seconds ÷ stretch: at tempo T the model hears the clip T / referenceBpm as fast). Throws a
 * message naming the file when it is no usable MIDI.
 */
export function readPrime(input: JobInput | undefined, mp: MusicParams): Prime {
  if (!input) return { notes: [], tokens: [START], endS: 0, warnings: [] }
  const name = input.fileName ? `"${input.fileName}"` : 'the prime'
  let song
  try {
    song = decodeMidi(input.bytes)
  } catch (e) {
    throw new Error(`${name} is not a usable MIDI file: ${(e as Error).message}`)
  }
  const warnings = song.warnings.map((w) => `${name}: ${w}`)
  const notes = song.notes.map((n) => ({ ...n, program: mp.program }))
  const events = encodeEvents(notes, 1 / mp.stretch)
  let steps = 0
  for (const t of events) if (t >= TIME_SHIFT && t < VELOCITY) steps += t - TIME_SHIFT + 1
  const kept = events.length > MAX_PRIME_EVENTS ? events.slice(events.length - MAX_PRIME_EVENTS) : events
  if (kept !== events) warnings.push(`${name} is ${events.length.toLocaleString('en')} events long: the model reads its last ${MAX_PRIME_EVENTS.toLocaleString('en')}`)
  return { notes, tokens: [START, ...kept], endS: steps * STEP_S * mp.stretch, warnings }
}
