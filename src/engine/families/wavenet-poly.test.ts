/**
 * Chords and envelopes as a user gets them through the engine host, on the analytic toy fixtures
 * (fixtures/wavenet-toy: a sine per voice; fixtures/wavenet-toy-env: its amplitude IS the envelope input,
 * so these tests see what the runner feeds a trained model): a chord is one voice per note in one batch,
 * each voice the note it would be alone; the natural envelope follows the instrument's table (a struck
 * 'sine' decays, a held 'bright sine' holds), is released at the end of the note, softer at low velocity;
 * ADSR params shape it instead. fixtures/wavenet-toy-posthoc (the plain toy graph with an envelope table)
 * shows the interim post-hoc envelope: `none` is the model's note untouched, `natural` that note times the
 * envelope's gain, sample for sample.
 */
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEngine } from '../testing'
import { runAudio, same, voice } from './testing-audio'
import { naturalEnvelope, posthocGain } from './wavenet-envelope'

const FIXTURES = resolve(__dirname, 'fixtures')
const SR = 16000
const rms = (x: Float32Array, a: number, b: number) => {
  let s = 0
  for (let i = Math.round(a * SR); i < Math.round(b * SR); i++) s += x[i] * x[i]
  return Math.sqrt(s / (Math.round(b * SR) - Math.round(a * SR)))
}
const crossingsHz = (x: Float32Array) => {
  let n = 0
  for (let i = 1; i < x.length; i++) if ((x[i - 1] < 0) !== (x[i] < 0)) n++
  return (n * SR) / x.length / 2
}

describe('wavenet chords and envelopes (toy fixtures)', () => {
  const engine = startEngine([{ dir: FIXTURES, source: 'user' }])
  beforeAll(() => engine.start())
  afterAll(() => engine.stop())
  const job = (modelId: string, seed: number, params: Record<string, number | string>) =>
    runAudio(engine, { modelId, seed, params: { instrument: 'sine', pitch: 60, seconds: 0.5, temperature: 0.5, ...params }, ep: 'cpu' })

  it('a chord plays one voice per note in one job, each the note of seed + i alone', async () => {
    const chord = await job('wavenet-toy', 5, { chord: 'A3 C#4 E4' })
    expect(chord.failed).toBeUndefined()
    expect(new Set(chord.parts.map((p) => p.voice))).toEqual(new Set([0, 1, 2]))
    for (const [v, hz] of [[0, 220], [1, 277.2], [2, 329.6]]) expect(crossingsHz(voice(chord, v))).toBeCloseTo(hz, -1)
    const alone = await job('wavenet-toy', 6, { pitch: 61 })
    expect(same(voice(chord, 1), voice(alone, 0))).toBe(true)
    expect(chord.done?.recipe).toMatchObject({ params: { chord: 'A3 C#4 E4' } })
  })

  it('refuses a chord word that is not a note, and a chord with several voices, by name', async () => {
    expect((await job('wavenet-toy', 1, { chord: 'C4 X9' })).failed?.error).toMatch(/"X9" is not a note/)
    expect((await job('wavenet-toy', 1, { chord: 'C4 E4', voices: 2 })).failed?.error).toMatch(/one voice per note; set voices to 1/)
  })

  it('the natural envelope: a struck note decays, a held one holds, both are released, softer at low velocity', async () => {
    const struck = voice(await job('wavenet-toy-env', 1, { seconds: 1.25 }), 0)
    const held = voice(await job('wavenet-toy-env', 1, { seconds: 1.25, instrument: 'bright sine' }), 0)
    expect(rms(struck, 0.7, 0.9) / rms(struck, 0.1, 0.3)).toBeLessThan(0.8)
    expect(rms(held, 0.7, 0.9) / rms(held, 0.1, 0.3)).toBeGreaterThan(0.95)
    expect(rms(held, 1.2, 1.25)).toBeLessThan(0.3 * rms(held, 0.7, 0.9)) // released at the note's end
    const soft = voice(await job('wavenet-toy-env', 1, { seconds: 1.25, instrument: 'bright sine', velocity: 50 }), 0)
    expect(rms(soft, 0.1, 0.3)).toBeLessThan(0.8 * rms(held, 0.1, 0.3))
  })

  it('ADSR params shape the note instead: slow attack, sustain level, release to silence', async () => {
    const x = voice(await job('wavenet-toy-env', 2, { seconds: 1, instrument: 'bright sine', envelope: 'adsr', attack: 0.3, decay: 0.1, sustain: -20, release: 0.2 }), 0)
    expect(rms(x, 0, 0.05)).toBeLessThan(0.3 * rms(x, 0.25, 0.3))
    expect(rms(x, 0.5, 0.7)).toBeLessThan(0.85 * rms(x, 0.28, 0.3))
    expect(rms(x, 0.97, 1)).toBeLessThan(0.2 * rms(x, 0.5, 0.7))
  })

  it('post-hoc (a model without the envelope input): none leaves the note, natural scales it by the envelope gain', async () => {
    const params = { seconds: 1.25 }
    const plain = voice(await job('wavenet-toy', 3, params), 0)
    expect(same(voice(await job('wavenet-toy-posthoc', 3, { ...params, envelope: 'none' }), 0), plain)).toBe(true)
    const shaped = voice(await job('wavenet-toy-posthoc', 3, { ...params, envelope: 'natural' }), 0)
    expect(rms(shaped, 0.7, 0.9) / rms(shaped, 0.1, 0.3)).toBeLessThan(0.8) // the struck toy's table decays
    // the same frames the engine reads: the toy table's 'sine' row at velocity 90 (fixtures/wavenet-toy/make.py)
    const t = Array.from({ length: 126 }, (_, k) => k / 100)
    const frames = Float32Array.from(t, (x) => Math.round(255 * Math.min(1, Math.max(0, (x < 1 ? 0.9 - 0.6 * x : (0.9 - 0.6 * 0.99) * Math.min(1, Math.max(0, (1.25 - x) / 0.25))) - 37 / 400))) / 255)
    const gain = posthocGain(naturalEnvelope(frames, 20000, SR))
    let worst = 0
    for (let i = 0; i < shaped.length; i++) worst = Math.max(worst, Math.abs(shaped[i] - plain[i] * gain[i]))
    expect(worst).toBeLessThan(1e-5)
  })
})
