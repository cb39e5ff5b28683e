/**
 * music-lstm family: an event LSTM (PerformanceRNN events, common/music-events.ts) writes `bars` bars of
 * one polyphonic part, from nothing or continuing a MIDI clip (input `prime`), streamed as `music` parts.
 *
 * Two graphs over the same weights. The `step` graph is the char-LSTM's (token (b,) int64, h/c (layers, b,
 * hidden) → logits (b, events), h_out, c_out): the prime ([START] and the clip's events) but its last event is
 * read through it at batch 1 by text/lstm-step.ts's readText (progress as a job stage, cancel at its
 * checkpoints). The `generate` graph (music/event-writer.ts) then feeds that last event and draws CHUNK events
 * per call in-graph, each with one Rng(seed) uniform drawn here (same seed and params → same events, the events
 * text/sampler.ts would draw from the step graph's logits); they are decoded into notes (EventDecoder) and
 * streamed (NoteStream). The job stops when the model's clock passes the length (bars at the reference tempo):
 * the rest of that chunk is dropped, and notes still sounding are released there. Times are piece seconds at the
 * job's tempo (music-params.ts).
 */
import { programLabel, SOUNDFONT_PROGRAMS } from '../../common/gm-programs'
import type { MidiNote } from '../../common/midi'
import { EventDecoder, STEP_S, TIME_SHIFT, VELOCITY } from '../../common/music-events'
import { Rng } from '../../common/rng'
import { checkLayout, musicParams, readPrime, type MusicParams } from '../music/music-params'
import { EventWriter } from '../music/event-writer'
import { NoteStream } from '../music/note-stream'
import { LstmStepper, lstmShape, readText } from '../text/lstm-step'
import { modelKey, textStates } from '../text/states'
import type { FamilyRunner, RunContext } from './types'

/** Prime-reading progress goes out at most this often (ms). */
const PRIME_REPORT_MS = 50
/**
 * A model may write events without ever moving its clock (notes on and off at one instant): the job
 * stops after this many events per 10 ms step of its length (real music has ~1), saying so.
 */
const MAX_EVENTS_PER_STEP = 8
/**
 * Events per generate call: ~6 ms of work at ~200 µs an event, so cancel and streaming stay prompt, while the
 * call's own cost (~40 µs) is spread thin. At the end at most CHUNK − 1 drawn events go unused.
 */
export const CHUNK = 32

/** Notes clipped to end by `endS` and to the longest note the model learned (as Python's decode). */
function clip(notes: readonly MidiNote[], endS: number, mp: MusicParams): MidiNote[] {
  return notes.map((n) => ({ ...n, durS: Math.min(n.durS, mp.maxNoteS, endS - n.startS) })).filter((n) => n.durS > 0)
}

async function run(ctx: RunContext): Promise<void> {
  const m = ctx.manifest
  const ev = m.events!
  checkLayout(m.id, ev)
  const shape = lstmShape(m, { count: ev.size, what: `events.size is ${ev.size}` })
  const mp = musicParams(ev, ctx.params)
  if (!SOUNDFONT_PROGRAMS.includes(mp.program)) {
    const has = SOUNDFONT_PROGRAMS.map(programLabel).join(', ')
    ctx.warn(`${programLabel(mp.program)} is not in the studio's soundfont: playback and WAV export use a stand-in preset (it has ${has}); the MIDI file names ${mp.program}`)
  }
  const prime = readPrime(ctx.inputs.prime, mp)
  for (const w of prime.warnings) ctx.warn(w)
  const stepper = new LstmStepper(ctx.model.sessions.step, shape)
  EventWriter.check(m, shape)
  const writer = new EventWriter(ctx.model.sessions.generate, shape)
  const totalS = prime.endS + mp.steps * STEP_S * mp.stretch
  const stream = new NoteStream(mp.program, totalS, ctx.emit, ctx.progress)
  const checkpoint = async () => {
    try {
      await ctx.checkpoint()
    } catch (e) {
      stream.flush() // a cancelled job's client keeps every note written so far
      throw e
    }
  }

  // Reading the prime but its last event (the generate graph feeds that one): one step per event at batch 1
  // (~0.2 ms each), reported as a stage.
  const P = prime.tokens.length
  let reported = -Infinity
  const read = (k: number) => {
    if (k < P - 1 && performance.now() - reported < PRIME_REPORT_MS) return
    reported = performance.now()
    ctx.progress(0, totalS, { label: 'reading the prime', unit: 'events', done: k, total: P })
  }
  const head = prime.tokens.slice(0, -1)
  let { h, c } = stepper.zeros(1)
  if (head.length) {
    // Tokens as one UTF-16 unit each: readText keys kept states by text (none are kept for music jobs).
    const text = String.fromCharCode(...head)
    ;({ h, c } = (await readText(stepper, Uint32Array.from(head), text, { cache: textStates, modelKey: modelKey(m, ctx.model), checkpoint, read })).state)
  }
  let token = prime.tokens[P - 1]
  if (prime.notes.length) stream.prime(prime.notes, prime.endS)
  ctx.progress(0, totalS)

  const rng = new Rng(ctx.seed >>> 0)
  const decoder = new EventDecoder(mp.stretch, mp.program)
  const offset = (notes: MidiNote[]) => notes.map((n) => ({ ...n, startS: n.startS + prime.endS }))
  const endS = totalS
  const held = () => clip(offset(decoder.sounding()), endS, mp)
  const maxEvents = mp.steps * MAX_EVENTS_PER_STEP + 64
  const uniforms = new Float64Array(CHUNK)
  let steps = 0
  let n = 0
  let last = performance.now()
  for (;;) {
    for (let j = 0; j < CHUNK; j++) uniforms[j] = rng.uniform() // event n + j + 1 draws with the (n + j + 1)th uniform
    const out = await writer.run(token, h, c, mp.temperature, uniforms)
    ;({ h, c } = out)
    token = out.tokens[CHUNK - 1]
    let ended = false
    for (const id of out.tokens) {
      stream.events = ++n
      // A note released at the instant it began (on then off, or struck twice, at one step) has no length in
      // the model's time. The decoder gives it one step, which can overlap the same pitch struck again at
      // that step: a MIDI file cannot hold both, so such notes are left out and the roll shows what exports.
      const done = decoder.push(id)
      if (done.length) stream.add(clip(offset(done.filter((x) => Math.abs(x.startS - decoder.timeS) > 1e-9)), endS, mp))
      if (id >= TIME_SHIFT && id < VELOCITY) {
        steps += id - TIME_SHIFT + 1
        stream.timeS = prime.endS + Math.min(steps, mp.steps) * STEP_S * mp.stretch
      }
      if (steps >= mp.steps) ended = true
      else if (n >= maxEvents) {
        ctx.warn(`the model wrote ${n.toLocaleString('en')} events without reaching ${mp.bars} bars; the piece ends there`)
        ended = true
      }
      if (ended) break
    }
    if (ended) break
    stream.tick(held)
    if (performance.now() - last >= 10) {
      await checkpoint()
      last = performance.now()
    }
  }
  stream.add(clip(offset(decoder.finish()), endS, mp))
  stream.flush()
}

/** A MIDI clip to continue, optional; nothing is kept between jobs. */
export const musicLstm: FamilyRunner = { hiddenParams: [], inputs: { prime: { kind: 'midi', optional: true } }, run }
