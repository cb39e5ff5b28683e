/**
 * WaveNet family: notes of `seconds` length from a fast-generation graph whose sampling loop runs
 * inside ONNX (one `session.run` generates a whole run of samples), streamed to the pane as audio parts.
 *
 * Graph role `generate` (b = voices, n = samples this run, S = packed dilation queues):
 *   instrument (b) int64 index into manifest.audio.instruments · pitch (b) int64 MIDI ·
 *   temperature (b) float32 · noise (b, n) float32 uniform [0, 1), one draw per sample (inverse-CDF
 *   sampling in-graph; its length is the loop's trip count) · prev (b) int64 last mu-law code (128 at
 *   start) · state (b, S) float32 (zeros at start)
 *   → audio (b, n) float32 in [-1, 1] at manifest.audio.sampleRate · prev_out (b) int64 · state_out (b, S).
 * Runs of n then m samples (state carried) equal one run of n + m, so how the runner splits the note
 * never changes a sample. Voice i draws its noise from its own Rng(seed + i), one draw per sample in
 * order, so it sounds the same alone (seed + i, voices 1) as in a batch of any size. That also lets a
 * note fed while the job runs (`job/feed`: a key played on the keyboard) join the batch at the next run
 * boundary as voice k with its own pitch, sounding as the note of seed + k alone.
 *
 * Polyphony: a `chord` (common/chord.ts) makes voice i play the chord's i-th note (seed + i), all in one
 * batch; the pane mixes them. A voice alone (its recipe: pitch = its note, no chord, seed + i) is the same.
 *
 * A graph with the loudness-envelope inputs (training/lstudio/wavenet_loop.py) also takes
 *   velocity (b) float32 MIDI · envelope (b, n) float32 the level of every sample (wavenet-envelope.ts),
 * and the model ships graph role `envelope`: instrument, pitch, velocity (b) int64 → frames (b, F) of the
 * soundfont's own note, the default ("natural") envelope; `envelope: adsr` draws one from ADSR params.
 * A model whose generate graph lacks those inputs but ships the `envelope` graph gets the INTERIM post-hoc
 * envelope instead (its manifest labels it so): `envelope: natural | adsr` scales each voice's output by
 * posthocGain of that envelope after generation; `none` (its default) leaves the model's note as it is.
 */
import * as ort from 'onnxruntime-node'
import type { GraphSpec, Manifest, ParamSpec } from '../../common/manifest'
import { Rng } from '../../common/rng'
import { numParam } from '../params'
import type { FamilyRunner, RunContext } from './types'
import { parseChord } from '../../common/chord'
import { adsrEnvelope, naturalEnvelope, peakOf, posthocGain, type Adsr } from './wavenet-envelope'

const INPUTS = ['instrument', 'pitch', 'temperature', 'noise', 'prev', 'state'] as const
const OUTPUTS = ['audio', 'prev_out', 'state_out'] as const
/** mu-law code of silence: the first `prev` of every voice. */
export const START_CODE = 128n

/**
 * A graph run is sized to take about this long, so Cancel lands within ~100 ms (the engine reads it
 * between runs) while runs stay long enough that per-run overhead is negligible.
 */
const TARGET_RUN_MS = 60
const MIN_RUN = 256

/** Engine-only: a fixed run length (tests prove chunk invariance with it; the bench may pin it). */
export const wavenetHidden: ParamSpec[] = [
  { key: 'runLength', label: 'Samples per graph run (tests/bench)', type: 'int', min: 1, max: 1 << 20, default: 2000 },
]

/** S, the packed state size, from the manifest's graph, or an error naming what the manifest lacks. */
export function stateSize(id: string, graph: GraphSpec): number {
  for (const n of INPUTS) if (!graph.inputs.some((t) => t.name === n)) throw new Error(`${id}: graphs.generate needs input "${n}" (manifest)`)
  for (const n of OUTPUTS) if (!graph.outputs.some((t) => t.name === n)) throw new Error(`${id}: graphs.generate needs output "${n}" (manifest)`)
  const s = graph.inputs.find((t) => t.name === 'state')!.shape
  if (s.length !== 2 || typeof s[1] !== 'number') throw new Error(`${id}: graphs.generate input "state" must be [batch, S] with a fixed S (manifest)`)
  return s[1]
}

export interface NoteRequest {
  instrument: number
  pitch: number
  temperature: number
  /** Samples per voice. */
  total: number
  voices: number
  /** Voice i plays pitches[i] (the chord's notes, or `pitch` for every voice). */
  pitches: number[]
  /** MIDI velocity (models with the envelope input). */
  velocity: number
  /** null: the natural envelope. */
  adsr: Adsr | null
  /** `envelope: none` (post-hoc models only): no envelope. */
  noEnvelope: boolean
}

/** The job's params checked against the model's labels; errors say what is allowed. */
export function noteRequest(m: Manifest, params: RunContext['params']): NoteRequest {
  const a = m.audio!
  const name = typeof params.instrument === 'string' ? params.instrument : a.instruments[0]
  const instrument = a.instruments.indexOf(name)
  if (instrument < 0) throw new Error(`${m.id}: instrument "${name}" is not one of ${a.instruments.join(', ')}`)
  const pitch = numParam(params, 'pitch', Math.round((a.pitchMin + a.pitchMax) / 2))
  if (!Number.isInteger(pitch) || pitch < a.pitchMin || pitch > a.pitchMax) {
    throw new Error(`${m.id}: pitch ${pitch} is outside the trained range MIDI ${a.pitchMin}…${a.pitchMax}`)
  }
  const temperature = numParam(params, 'temperature', 1)
  if (!(temperature > 0)) throw new Error(`${m.id}: temperature must be above 0, got ${temperature}`)
  const seconds = numParam(params, 'seconds', 1)
  const total = Math.round(seconds * a.sampleRate)
  if (!(total >= 1)) throw new Error(`${m.id}: ${seconds} s is shorter than one sample`)
  let voices = numParam(params, 'voices', 1)
  if (!Number.isInteger(voices) || voices < 1) throw new Error(`${m.id}: voices must be a whole number ≥ 1, got ${voices}`)
  const chord = parseChord(typeof params.chord === 'string' ? params.chord : '', a.pitchMin, a.pitchMax)
  if (chord.length && voices > 1) throw new Error(`${m.id}: a chord plays one voice per note; set voices to 1 (got ${voices})`)
  if (chord.length) voices = chord.length
  const velocity = numParam(params, 'velocity', 90)
  if (!Number.isInteger(velocity) || velocity < 1 || velocity > 127) throw new Error(`${m.id}: velocity must be a MIDI velocity 1…127, got ${velocity}`)
  const adsr = params.envelope === 'adsr'
    ? { attack: numParam(params, 'attack', 0.01), decay: numParam(params, 'decay', 0.3), sustain: numParam(params, 'sustain', -12), release: numParam(params, 'release', 0.25) }
    : null
  const pitches = chord.length ? chord : Array.from({ length: voices }, () => pitch)
  return { instrument, pitch, temperature, total, voices, pitches, velocity, adsr, noEnvelope: params.envelope === 'none' }
}

/** Uniform in [0, 1) that stays below 1 as float32 (24 bits: a 32-bit draw could round up to 1.0). */
const uniform24 = (r: Rng) => (r.nextU32() >>> 8) / 16777216

/** One voice of the batch: item `index` draws its noise from Rng(seed + index), one draw per sample. */
interface Voice {
  index: number
  pitch: number
  rng: Rng
  /** Samples made so far. */
  done: number
  /** (total,) level per sample, for a graph with the envelope input; else null. */
  envelope: Float32Array | null
  /** (total,) post-hoc gain on the output (a model without the envelope input); else null. */
  gain: Float32Array | null
}

/** Whether the model's generate graph takes velocity and a per-sample envelope. */
export const hasEnvelope = (graph: GraphSpec): boolean => graph.inputs.some((t) => t.name === 'envelope')

/** Each voice's envelope for `note`, from the model's `envelope` graph (one run for all of them). */
async function envelopes(ctx: RunContext, note: NoteRequest, pitches: number[]): Promise<Float32Array[]> {
  const m = ctx.manifest
  const table = ctx.model.sessions.envelope
  if (!table) throw new Error(`${m.id}: the generate graph takes an envelope but the model has no "envelope" graph (manifest)`)
  const b = pitches.length
  const i64 = (f: (i: number) => number) => new ort.Tensor('int64', BigInt64Array.from({ length: b }, (_, i) => BigInt(f(i))), [b])
  const out = await table.run({ instrument: i64(() => note.instrument), pitch: i64((i) => pitches[i]), velocity: i64(() => note.velocity) })
  const frames = out.frames.data as Float32Array
  const F = frames.length / b
  return pitches.map((_, i) => {
    const f = frames.subarray(i * F, (i + 1) * F)
    const rate = m.audio!.sampleRate
    return note.adsr ? adsrEnvelope(note.adsr, peakOf(f), note.total, rate) : naturalEnvelope(f, note.total, rate)
  })
}

/**
 * Rows for `next` from the rows of `rows` (prev (b) codes and state (b, S) as the last run left them): a
 * voice carries its own row over, a voice that joins starts from silence (code 128, zero state).
 */
function gather(rows: Voice[], prev: BigInt64Array, state: Float32Array, next: Voice[], S: number): { prev: ort.Tensor; state: ort.Tensor } {
  const p = new BigInt64Array(next.length).fill(START_CODE)
  const s = new Float32Array(next.length * S)
  next.forEach((v, r) => {
    const from = rows.indexOf(v)
    if (from < 0) return
    p[r] = prev[from]
    s.set(state.subarray(from * S, (from + 1) * S), r * S)
  })
  return { prev: new ort.Tensor('int64', p, [next.length]), state: new ort.Tensor('float32', s, [next.length, S]) }
}

/** velocity (b) and envelope (b, n): each row's levels for its next n samples. */
function conditioning(rows: Voice[], n: number, velocity: number): Record<string, ort.Tensor> {
  const env = new Float32Array(rows.length * n)
  rows.forEach((v, r) => env.set(v.envelope!.subarray(v.done, v.done + n), r * n))
  return {
    velocity: new ort.Tensor('float32', new Float32Array(rows.length).fill(velocity), [rows.length]),
    envelope: new ort.Tensor('float32', env, [rows.length, n]),
  }
}

async function run(ctx: RunContext): Promise<void> {
  const m = ctx.manifest
  const a = m.audio!
  const S = stateSize(m.id, m.graphs.generate)
  const note = noteRequest(m, ctx.params)
  const session = ctx.model.sessions.generate
  const fixed = typeof ctx.hidden.runLength === 'number' ? ctx.hidden.runLength : null
  const enveloped = hasEnvelope(m.graphs.generate)
  const posthoc = !enveloped && !note.noEnvelope && 'envelope' in m.graphs && typeof ctx.params.envelope === 'string'
  const voice = (index: number, pitch: number): Voice => ({ index, pitch, rng: new Rng((ctx.seed + index) >>> 0), done: 0, envelope: null, gain: null })
  const withEnvelopes = async (vs: Voice[]) => {
    if (!(enveloped || posthoc) || !vs.length) return vs
    const es = await envelopes(ctx, note, vs.map((v) => v.pitch))
    es.forEach((e, i) => (enveloped ? (vs[i].envelope = e) : (vs[i].gain = posthocGain(e))))
    return vs
  }

  const voices = await withEnvelopes(note.pitches.map((p, i) => voice(i, p)))
  // The batch of the last run: its rows, in order, and the codes and state the graph gave them.
  let rows: Voice[] = []
  let prev: ort.Tensor = new ort.Tensor('int64', new BigInt64Array(0), [0])
  let state: ort.Tensor = new ort.Tensor('float32', new Float32Array(0), [0, S])
  // Start with a manifest chunk (or the pinned length), then size runs to TARGET_RUN_MS.
  let runLength = fixed ?? a.chunk

  ctx.progress(0, note.total)
  for (;;) {
    await ctx.checkpoint() // between runs: a cancel lands within one run
    // Notes fed since the last run (a key played while this job sounds) join the batch now.
    for (const f of ctx.takeFeeds()) {
      const [v] = await withEnvelopes([voice(voices.length, Number(f.params.pitch ?? note.pitch))])
      voices.push(v)
      f.accept(v.index)
    }
    const live = voices.filter((v) => v.done < note.total)
    if (!live.length) break
    if (live.length !== rows.length || live.some((v, r) => rows[r] !== v)) {
      ;({ prev, state } = gather(rows, prev.data as BigInt64Array, state.data as Float32Array, live, S))
      rows = live
    }
    const b = rows.length
    // A run never passes a voice's end, so every voice ends on a run boundary (runs split a note freely).
    const n = Math.min(runLength, ...rows.map((v) => note.total - v.done))
    const noise = new Float32Array(b * n) // (b, n): row r continues its voice's own stream
    rows.forEach((v, r) => {
      for (let k = r * n, end = k + n; k < end; k++) noise[k] = uniform24(v.rng)
    })
    const t0 = performance.now()
    const out = await session.run({
      instrument: new ort.Tensor('int64', new BigInt64Array(b).fill(BigInt(note.instrument)), [b]),
      pitch: new ort.Tensor('int64', BigInt64Array.from(rows, (v) => BigInt(v.pitch)), [b]),
      temperature: new ort.Tensor('float32', new Float32Array(b).fill(note.temperature), [b]),
      noise: new ort.Tensor('float32', noise, [b, n]),
      prev,
      state,
      ...(enveloped ? conditioning(rows, n, note.velocity) : {}),
    })
    const ms = performance.now() - t0
    const audio = out.audio.data as Float32Array // (b, n) in [-1, 1]
    if (audio.length !== b * n || out.state_out.data.length !== b * S || out.prev_out.data.length !== b) {
      throw new Error(`${m.id}: generate returned audio [${out.audio.dims.join(', ')}], expected [${b}, ${n}]`)
    }
    prev = out.prev_out
    state = out.state_out
    rows.forEach((v, r) => {
      const samples = audio.slice(r * n, (r + 1) * n)
      if (v.gain) for (let i = 0; i < n; i++) samples[i] *= v.gain[v.done + i]
      ctx.emit({ kind: 'audio', voice: v.index, sampleRate: a.sampleRate, offset: v.done, samples, total: note.total })
      v.done += n
    })
    // Samples per voice (a voice that joins late pulls the mean back: it is work still to do).
    ctx.progress(Math.round(voices.reduce((sum, v) => sum + v.done, 0) / voices.length), note.total)
    if (fixed === null && n === runLength && ms > 0) runLength = Math.max(MIN_RUN, Math.min(a.chunk, Math.round((n * TARGET_RUN_MS) / ms)))
  }
}

/** A note fed while the job sounds (`job/feed`) sets its own pitch; the rest are the job's. */
export const wavenet: FamilyRunner = { hiddenParams: wavenetHidden, run, feeds: ['pitch'] }
