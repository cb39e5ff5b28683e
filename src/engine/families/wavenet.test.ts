/**
 * Notes as a user gets them: the shipped WaveNet's graph matches PyTorch's golden run, and through the
 * engine host a note streams in contiguous chunks, is the same for the same seed, does not depend on
 * how it is split into runs or on how many voices share the batch, stops on cancel keeping what was
 * sent, and refuses bad params by name. The analytic toy fixture (a sine oscillator with the same
 * graph interface, fixtures/wavenet-toy) runs the same checks on any machine and shows the pitch
 * reaches the graph; the shipped model runs them too once it is installed.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHIPPED_DIR, startEngine } from '../testing'
import { decodeInt64, decodeTensor, goldenFeeds, maxAbsDiff, openModel, readGoldens, readManifest } from '../testing-golden'
import { runAudio, same, voice } from './testing-audio'
import { stateSize } from './wavenet'

const FIXTURES = resolve(__dirname, 'fixtures')
const REAL = 'wavenet-notes'
const hasReal = existsSync(join(SHIPPED_DIR, REAL, 'model.json'))

/** Zero crossings per second of a (roughly periodic) note: about 2 × its fundamental. */
function crossingsPerSecond(x: Float32Array, rate: number): number {
  let n = 0
  for (let i = 1; i < x.length; i++) if ((x[i - 1] < 0) !== (x[i] < 0)) n++
  return (n * rate) / x.length
}

describe.skipIf(!hasReal)(`golden parity (${REAL})`, () => {
  it('reproduces PyTorch fast generation: audio within golden.atol, codes and state carried', async () => {
    const dir = join(SHIPPED_DIR, REAL)
    const [golden] = readGoldens(dir)
    expect(golden.graph).toBe('generate')
    const model = await openModel(SHIPPED_DIR, REAL)
    for (const c of golden.cases) {
      const out = await model.sessions.generate.run(goldenFeeds(c.inputs))
      expect(out.audio.dims).toEqual(c.outputs.audio.shape)
      expect(maxAbsDiff(out.audio.data as Float32Array, decodeTensor(c.outputs.audio))).toBeLessThanOrEqual(golden.atol)
      // The sampled codes themselves (prev_out is the last one) must match exactly.
      expect(Array.from(out.prev_out.data as BigInt64Array)).toEqual(Array.from(decodeInt64(c.outputs.prev_out)))
      if (c.outputs.state_out) expect(maxAbsDiff(out.state_out.data as Float32Array, decodeTensor(c.outputs.state_out))).toBeLessThanOrEqual(Math.max(golden.atol, 1e-4))
    }
    expect(stateSize(REAL, readManifest(dir).graphs.generate)).toBeGreaterThan(0)
    await model.dispose()
  })
})

const models = [{ id: 'wavenet-toy', pitch: 69, instrument: 'sine' }, ...(hasReal ? [{ id: REAL, pitch: 0, instrument: '' }] : [])]

describe.each(models)('notes from $id through the engine host', ({ id, pitch: toyPitch, instrument: toyInstrument }) => {
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }, { dir: FIXTURES, source: 'user' }])
  beforeAll(() => engine.start())
  afterAll(() => engine.stop())
  const manifest = readManifest(id === REAL ? join(SHIPPED_DIR, REAL) : join(FIXTURES, id))
  const a = manifest.audio!
  const pitch = toyPitch || Math.round((a.pitchMin + a.pitchMax) / 2)
  const instrument = toyInstrument || a.instruments[0]
  const note = (seed: number, extra: Record<string, number | string> = {}) =>
    runAudio(engine, { modelId: id, seed, params: { instrument, pitch, seconds: 0.5, ...extra }, ep: 'cpu' })

  it('streams each voice in contiguous chunks to the full length, in [-1, 1], with progress', async () => {
    const o = await note(3, { voices: 2 })
    expect(o.failed).toBeUndefined()
    const total = Math.round(0.5 * a.sampleRate)
    for (const v of [0, 1]) {
      const x = voice(o, v)
      expect(x.length).toBe(total)
      expect(o.parts.filter((p) => p.voice === v).every((p) => p.total === total && p.sampleRate === a.sampleRate && p.samples.length <= a.chunk)).toBe(true)
      expect(x.every((s) => s >= -1 && s <= 1)).toBe(true)
      expect(Math.max(...x.map(Math.abs))).toBeGreaterThan(0.01) // not silence
    }
    expect(o.parts.filter((p) => p.voice === 0).length).toBeGreaterThan(1) // streamed, not one lump
    expect(o.progress.at(-1)).toMatchObject({ done: total, total })
    expect(o.done?.recipe).toMatchObject({ modelId: id, seed: 3, params: { instrument, pitch, seconds: 0.5, voices: 2 } })
  })

  it('gives the same samples for the same seed, other samples for another seed', async () => {
    const [x, y, z] = [await note(7), await note(7), await note(8)]
    expect(same(voice(x, 0), voice(y, 0))).toBe(true)
    expect(same(voice(x, 0), voice(z, 0))).toBe(false)
  })

  it('does not depend on how the note is split into graph runs', async () => {
    const whole = voice(await note(11, { runLength: 8000 }), 0)
    for (const runLength of [1000, 777]) expect(same(voice(await note(11, { runLength }), 0), whole), `runLength ${runLength}`).toBe(true)
  })

  it('voice i of a batch is the note of seed + i alone', async () => {
    const batch = await note(20, { voices: 4 })
    const alone = await note(22, { voices: 1 })
    expect(same(voice(batch, 2), voice(alone, 0))).toBe(true)
    expect(same(voice(batch, 1), voice(batch, 2))).toBe(false)
  })

  it('cancel stops the note and keeps the chunks already sent', async () => {
    // 1.5 s: several runs (each ≤ 60 ms of compute), so the cancel lands with most of the note unmade.
    const long = { instrument, pitch, seconds: 1.5 }
    const o = await runAudio(engine, { modelId: id, seed: 1, params: long, ep: 'cpu' }, (o) => {
      if (o.parts.length === 1) void engine.invoke('job/cancel', { jobId: o.jobId })
    })
    expect(o.failed).toMatchObject({ cancelled: true })
    const got = voice(o, 0)
    expect(got.length).toBeGreaterThan(0)
    expect(got.length).toBeLessThan(1.5 * a.sampleRate)
    // What was sent is the start of the very note a full run makes.
    const full = voice(await runAudio(engine, { modelId: id, seed: 1, params: long, ep: 'cpu' }), 0)
    expect(same(got, full.subarray(0, got.length))).toBe(true)
  })

  it('refuses a pitch outside the trained range and an unknown instrument, naming what is allowed', async () => {
    const low = await note(1, { pitch: a.pitchMin - 1 })
    expect(low.failed?.error).toMatch(new RegExp(`pitch.*${a.pitchMin - 1}.*${a.pitchMin}`))
    const odd = await note(1, { instrument: 'kazoo' })
    expect(odd.failed?.error).toMatch(/instrument.*"kazoo".*allowed|not one of/)
    expect((await note(1)).failed).toBeUndefined() // the engine is still fine
  })
})

describe('the toy fixture (pitch reaches the graph)', () => {
  const engine = startEngine([{ dir: FIXTURES, source: 'user' }])
  beforeAll(() => engine.start())
  afterAll(() => engine.stop())
  it('A4 (MIDI 69) oscillates at about 440 Hz, an octave down at about 220 Hz', async () => {
    for (const [pitch, hz] of [[69, 440], [57, 220]]) {
      const o = await runAudio(engine, { modelId: 'wavenet-toy', seed: 1, params: { pitch, temperature: 0.5, seconds: 1 }, ep: 'cpu' })
      expect(crossingsPerSecond(voice(o, 0), 16000) / 2).toBeCloseTo(hz, -1)
    }
  })
})
