/** Dropping a WAV: its recipe and sound come back, or the user is told exactly why not. */
import { describe, expect, it } from 'vitest'
import { encodeWav } from '../../common/wav'
import { audioFileName, restoreFromWav } from './audio-restore'
import { wavenetSummary } from './audio-test-model'
import { summaryOf } from './test-models'

const toy = wavenetSummary()
const gan = summaryOf('dcgan-test')
const models = [toy, gan]
const recipe = (over: object = {}) =>
  JSON.stringify({ app: 'latent-studio', appVersion: '0.1.0', modelId: toy.id, modelHash: toy.hash, seed: 42, params: { instrument: 'bright sine', pitch: 64, seconds: 1, temperature: 0.9, voices: 1, chord: '' }, ep: 'cpu', ...over })
const samples = Float32Array.from({ length: 800 }, (_, i) => Math.sin(i / 5) * 0.5)

describe('restoreFromWav', () => {
  it('gives back model, seed, params and the samples', () => {
    const r = restoreFromWav('n.wav', encodeWav(samples, 16000, recipe()), models)
    if (!r.ok) throw new Error(r.error)
    if (!r.recipe) throw new Error('no recipe read')
    expect(r.model.id).toBe(toy.id)
    expect(r.seed).toBe(42)
    expect(r.params).toMatchObject({ instrument: 'bright sine', pitch: 64, seconds: 1, temperature: 0.9, voices: 1 })
    expect(r.sampleRate).toBe(16000)
    expect(r.samples).toHaveLength(800)
    expect(Math.abs(r.samples[7] - samples[7])).toBeLessThan(1e-4)
    expect(r.notes).toEqual([])
  })

  it('says when the weights or the sample rate differ', () => {
    const r = restoreFromWav('n.wav', encodeWav(samples, 8000, recipe({ modelHash: 'ffffffffffffffff' })), models)
    expect(r.ok && r.notes).toEqual([expect.stringMatching(/other weights/), 'n.wav is at 8000 Hz; Toy oscillator (test fixture) makes 16000 Hz'])
  })

  it('opens a WAV made elsewhere without a recipe: its sound, and a note saying it has none', () => {
    const r = restoreFromWav('field.wav', encodeWav(samples, 44100, null), models)
    expect(r).toMatchObject({ ok: true, recipe: null, sampleRate: 44100, notes: ['field.wav has no Latent Studio recipe: it plays, but the model, seed and settings that made it are not known'] })
    expect(r.ok && r.samples).toHaveLength(800)
    expect('model' in r).toBe(false)
  })

  it('refuses, naming the file: not a WAV, damaged recipe, missing model, a model without sound', () => {
    const no = (bytes: Uint8Array, why: RegExp) => {
      const r = restoreFromWav('x.wav', bytes, models)
      expect(r.ok).toBe(false)
      expect(!r.ok && r.error).toMatch(why)
    }
    no(new TextEncoder().encode('hello, not audio at all'), /^x\.wav is not a usable WAV: it does not start with RIFF/)
    no(encodeWav(samples, 16000, '{"app":"latent-studio"'), /^x\.wav has a damaged recipe: the recipe is not valid JSON/)
    no(encodeWav(samples, 16000, recipe({ modelId: 'wavenet-gone' })), /^Cannot restore x\.wav: .*"wavenet-gone", which is not installed/)
    no(encodeWav(samples, 16000, recipe({ modelId: gan.id, params: {} })), /^Cannot restore x\.wav: its recipe is for GAN dcgan-test, which does not make sound/)
  })

})

describe('audioFileName', () => {
  it('names a voice by model and seed, a region by its seconds too', () => {
    expect(audioFileName('wavenet-notes', 5)).toBe('wavenet-notes-seed-5.wav')
    expect(audioFileName('wavenet-notes', 5, { start: 0.25, end: 0.756 })).toBe('wavenet-notes-seed-5-0.25-0.76s.wav')
  })
})
