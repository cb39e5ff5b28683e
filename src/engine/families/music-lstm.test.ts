/**
 * The music LSTM for real, through the engine host as the studio drives it: the step graph writes
 * PyTorch's golden greedy rollout, the generate graph draws PyTorch's golden tokens and, over long runs, exactly
 * the events the step graph and the engine's Sampler draw with the same uniforms, a piece lasts exactly its bars at its tempo, the same seed writes the
 * same notes, notes stream in small parts from the first note on, a MIDI prime is continued after its
 * end, a bad prime is refused naming the file, and cancel keeps what was written. Expected notes come
 * from golden.json or from another run (the weights will be replaced by better ones).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobRequest } from '../../common/contract'
import { encodeMidi, type MidiNote } from '../../common/midi'
import { decodeEvents, START } from '../../common/music-events'
import { Rng } from '../../common/rng'
import { EventWriter } from '../music/event-writer'
import { MUSIC_MODEL, runMusicJob } from '../music/testing-music'
import { startEngine } from '../testing'
import { decodeInt64, decodeTensor, goldenFeeds, maxAbsDiff, openModel, readGoldens, readManifest } from '../testing-golden'
import { LstmStepper, lstmShape } from '../text/lstm-step'
import { Sampler } from '../text/sampler'

const model = MUSIC_MODEL
const end = (notes: readonly MidiNote[]) => notes.reduce((m, n) => Math.max(m, n.startS + n.durS), 0)

describe.skipIf(!model)(`music-lstm ${model?.id ?? '(no music model: set MUSIC_MODELS_DIR)'}`, () => {
  const { dir, id } = model!
  const golden = JSON.parse(readFileSync(join(dir, id, 'golden.json'), 'utf8')) as {
    greedy: { prime: number[]; length: number; tokens: number[] }
    decode: { tokens: number[]; tempo: number; notes: [number, number, number, number][] }
  }
  const engine = startEngine([{ dir, source: 'shipped' }])
  beforeAll(() => engine.start())
  afterAll(() => engine.stop())
  const job = (seed: number, params: JobRequest['params'], extra: Partial<JobRequest> = {}) => runMusicJob(engine, { modelId: id, seed, params, ep: 'cpu', ...extra })

  it('the step graph writes the golden greedy rollout from START, and golden tokens decode to the golden notes', async () => {
    const manifest = readManifest(join(dir, id))
    const m = await openModel(dir, id)
    const stepper = new LstmStepper(m.sessions.step, lstmShape(manifest, { count: manifest.events!.size, what: 'events.size' }))
    let s = stepper.zeros(1)
    let out = await stepper.run(golden.greedy.prime, s.h, s.c)
    const tokens: number[] = []
    for (let i = 0; i < golden.greedy.length; i++) {
      let best = 0
      for (let j = 1; j < out.logits.length; j++) if (out.logits[j] > out.logits[best]) best = j
      tokens.push(best)
      s = { h: out.h, c: out.c }
      out = await stepper.run([best], s.h, s.c)
    }
    await m.dispose()
    expect(golden.greedy.prime).toEqual([START])
    expect(tokens).toEqual(golden.greedy.tokens)
    const notes = decodeEvents(golden.decode.tokens, manifest.events!.referenceBpm / golden.decode.tempo)
    expect(notes.map((n) => [n.startS, n.startS + n.durS, n.pitch, n.velocity].map((x) => Math.round(x * 1e6) / 1e6))).toEqual(golden.decode.notes)
  })

  it('the generate graph draws the golden tokens of PyTorch (the step graph\'s twin + the same draw), state within atol', async () => {
    const m = await openModel(dir, id)
    const gold = readGoldens(join(dir, id)).find((g) => g.graph === 'generate')!
    expect(gold.cases.length).toBeGreaterThan(0)
    for (const { inputs, outputs } of gold.cases) {
      const out = await m.sessions.generate.run(goldenFeeds(inputs))
      expect(Array.from(out.tokens.data as BigInt64Array, Number)).toEqual(Array.from(decodeInt64(outputs.tokens), Number))
      for (const k of ['h_out', 'c_out']) expect(maxAbsDiff(out[k].data as Float32Array, decodeTensor(outputs[k]))).toBeLessThanOrEqual(gold.atol)
    }
    await m.dispose()
  })

  it('the generate graph writes, chunk after chunk, exactly the events of the step graph + Sampler with the same uniforms', async () => {
    const manifest = readManifest(join(dir, id))
    const m = await openModel(dir, id)
    const shape = lstmShape(manifest, { count: manifest.events!.size, what: 'events.size' })
    const stepper = new LstmStepper(m.sessions.step, shape)
    const writer = new EventWriter(m.sessions.generate, shape)
    const N = 400
    for (const [seed, temperature] of [[1, 1], [2, 0.5], [3, 1.6]]) {
      // Reference: one step per event, the Sampler draws with one uniform each (how the family wrote before).
      const sampler = new Sampler(shape.vocab, { temperature, topK: 0, topP: 1 })
      let rng = new Rng(seed)
      let s = stepper.zeros(1)
      let out = await stepper.run([START], s.h, s.c)
      const want: number[] = []
      while (want.length < N) {
        sampler.distribution(out.logits)
        want.push(sampler.draw(rng))
        out = await stepper.run([want.at(-1)!], out.h, out.c)
      }
      // Generate graph: START fed in-graph, chunks of uneven sizes, the state and last token carried between calls.
      rng = new Rng(seed)
      s = stepper.zeros(1)
      let token = START
      const got: number[] = []
      for (let k = 0; got.length < N; k++) {
        const u = Float64Array.from({ length: [1, 7, 32, 100][k % 4] }, () => rng.uniform())
        const r = await writer.run(token, s.h, s.c, temperature, u)
        got.push(...r.tokens)
        s = { h: r.h, c: r.c }
        token = r.tokens.at(-1)!
      }
      expect(got.slice(0, N)).toEqual(want)
    }
    await m.dispose()
  })

  it('writes exactly `bars` bars at the tempo, with the program, and the same notes for the same seed', async () => {
    const a = await job(3, { bars: 4, tempo: 110, program: 0 })
    expect(a.failed).toBeUndefined()
    const totalS = (4 * 4 * 60) / 110
    expect(a.parts.at(-1)?.totalS).toBeCloseTo(totalS, 9)
    expect(a.notes.length).toBeGreaterThan(4)
    for (const n of a.notes) {
      expect(n.startS).toBeGreaterThanOrEqual(0)
      expect(n.startS + n.durS).toBeLessThanOrEqual(totalS + 1e-9)
      expect(n.durS).toBeGreaterThan(0)
      expect(n.program).toBe(0)
    }
    expect(a.done?.recipe).toMatchObject({ modelId: id, seed: 3, params: { bars: 4, tempo: 110 } })
    expect((await job(3, { bars: 4, tempo: 110, program: 0 })).notes).toEqual(a.notes)
    expect((await job(4, { bars: 4, tempo: 110, program: 0 })).notes).not.toEqual(a.notes)
    // A program the soundfont lacks still writes (the MIDI file names it) and says playback uses a stand-in.
    const program = readManifest(join(dir, id)).params.find((p) => p.key === 'program')
    if (program?.type === 'int') {
      const organ = await job(3, { bars: 1, program: 17 })
      expect(organ.notes.every((n) => n.program === 17)).toBe(true)
      expect(organ.done?.warnings.join('\n')).toMatch(/Percussive Organ \(17\) is not in the studio's soundfont: playback and WAV export use a stand-in/)
    }
    // Tempo only scales the clock: the same events at 55 bpm last twice as long.
    const slow = await job(3, { bars: 4, tempo: 55, program: 0 })
    expect(slow.notes.map((n) => [n.pitch, n.startS / 2])).toEqual(a.notes.map((n) => [n.pitch, expect.closeTo(n.startS, 9)]))
  })

  it('streams notes in a few parts, the first as soon as a note is written, with progress to the end', async () => {
    const o = await job(5, { bars: 16, tempo: 120 })
    expect(o.parts.length).toBeGreaterThan(1)
    expect(o.parts.length).toBeLessThan(o.notes.length)
    expect(o.parts.findIndex((p) => p.notes.length > 0)).toBe(0) // the first part carries the first note(s)
    const last = o.progress.at(-1)!
    expect(last.done).toBeCloseTo(last.total, 9)
    console.log(`music: first part after ${o.at[0].toFixed(0)} ms, ${o.parts.length} parts for ${o.notes.length} notes`)
  })

  it('continues a MIDI clip after its end; the clip comes back first, played by the job program', async () => {
    const clip: MidiNote[] = [60, 64, 67, 72, 67, 64].map((pitch, i) => ({ pitch, velocity: 80, startS: i * 0.5, durS: 0.45, program: 40 }))
    const prime = { kind: 'midi' as const, bytes: encodeMidi(clip, 120, null), fileName: 'clip.mid' }
    const o = await job(7, { bars: 2, tempo: 120, program: 0 }, { inputs: { prime } })
    expect(o.failed).toBeUndefined()
    expect(o.parts[0].source).toBe('prime')
    expect(o.prime.map((n) => [n.pitch, n.startS, n.program])).toEqual(clip.map((n) => [n.pitch, expect.closeTo(n.startS, 6), 0]))
    const clipEnd = end(clip)
    expect(Math.min(...o.notes.map((n) => n.startS))).toBeGreaterThanOrEqual(clipEnd - 1e-6)
    expect(o.parts.at(-1)!.totalS).toBeCloseTo(clipEnd + 4, 2) // 2 bars of 4 beats at 120 bpm after the clip
    expect(o.done?.recipe.inputs?.prime).toMatchObject({ kind: 'midi', fileName: 'clip.mid', size: prime.bytes.length })
    expect((await job(7, { bars: 2, tempo: 120, program: 0 }, { inputs: { prime } })).notes).toEqual(o.notes)
    expect((await job(7, { bars: 2, tempo: 120, program: 0 })).notes).not.toEqual(o.notes)
  })

  it('refuses a prime that is no usable MIDI file, naming it; a drum-only clip says why', async () => {
    const bad = await job(1, { bars: 1 }, { inputs: { prime: { kind: 'midi', bytes: new TextEncoder().encode('not midi at all'), fileName: 'x.mid' } } })
    expect(bad.failed?.error).toMatch(/"x\.mid" is not a usable MIDI file: it does not start with MThd/)
    const drums = encodeMidi([{ pitch: 36, velocity: 100, startS: 0, durS: 0.1, program: 0 }], 120, null)
    drums[drums.indexOf(0x90)] = 0x99 // the note-on moves to channel 10
    const d = await job(1, { bars: 1 }, { inputs: { prime: { kind: 'midi', bytes: drums, fileName: 'd.mid' } } })
    expect(d.failed?.error).toMatch(/only drum notes/)
  })

  it('cancel stops within 100 ms and keeps the notes written', async () => {
    let cancelledAt = 0
    const o = await runMusicJob(engine, { modelId: id, seed: 9, params: { bars: 64, tempo: 40 }, ep: 'cpu' }, {
      onPart: (o) => {
        if (cancelledAt || o.notes.length < 10) return
        cancelledAt = performance.now()
        void engine.invoke('job/cancel', { jobId: o.jobId })
      },
    })
    const ms = performance.now() - cancelledAt
    console.log(`music-lstm cancel took ${ms.toFixed(1)} ms`)
    expect(o.failed).toMatchObject({ cancelled: true })
    expect(ms).toBeLessThan(100)
    expect(o.notes.length).toBeGreaterThanOrEqual(10)
  })
})
