/**
 * An audio job as the wave pane follows it: chunks land in their voice in order, progress counts the
 * slowest voice, a region is cut in seconds, each voice exports with the recipe that makes it alone,
 * and a WAV opened from disk is a finished one-voice job.
 */
import { describe, expect, it } from 'vitest'
import type { JobPart } from '../../common/contract'
import type { Recipe } from '../../common/recipe'
import { wavenetSummary } from '../lib/audio-test-model'
import { AudioJob } from './AudioJob.svelte'

const model = wavenetSummary()
const request = { modelId: model.id, seed: 4294967295, params: { instrument: 'sine', pitch: 60, seconds: 0.5, temperature: 1, voices: 2 } }
const part = (voice: number, offset: number, n: number, value: number): JobPart => ({
  kind: 'audio', voice, sampleRate: 16000, offset, samples: new Float32Array(n).fill(value), total: 8000,
})

describe('a streaming audio job', () => {
  it('fills each voice chunk by chunk and counts progress by the slowest voice', () => {
    const job = new AudioJob(request, model)
    job.attach('j')
    job.started()
    expect(job.voiceCount).toBe(2)
    expect(job.totalSamples).toBe(8000)
    expect(job.progressShown).toEqual({ done: 0, total: 0.5, unit: 'seconds' })
    job.receive(part(0, 0, 2000, 0.5))
    job.receive(part(0, 2000, 2000, -0.5))
    job.receive(part(1, 0, 2000, 0.25))
    expect(job.filled).toEqual([4000, 2000])
    expect(job.progressShown.done).toBe(0.125) // 2000 of voice 1's samples at 16 kHz
    expect(job.voices[0].length).toBe(8000)
    expect(job.slice(0)).toHaveLength(4000)
    expect([job.slice(0)[1999], job.slice(0)[2000], job.voices[0][4000]]).toEqual([0.5, -0.5, 0])
    // A region in seconds, clamped to what has arrived.
    expect(job.slice(0, { start: 0.1, end: 0.2 })).toHaveLength(1600)
    expect(job.slice(1, { start: 0.1, end: 0.9 })).toHaveLength(400)
  })

  it('refuses a chunk that does not follow the last one (it would draw garbage)', () => {
    const job = new AudioJob(request, model)
    job.receive(part(0, 0, 100, 0.1))
    expect(() => job.receive(part(0, 200, 100, 0.1))).toThrow(/chunk at 200 \(\+100\) does not follow sample 100/)
    expect(() => job.receive(part(0, 100, 8000, 0.1))).toThrow(/does not follow/)
  })

  it('exports voice i with seed + i (wrapping at 2^32) and one voice, from the engine recipe once done', () => {
    const job = new AudioJob(request, model)
    job.attach('j')
    job.started()
    expect(job.recipeForVoice(1, '9.9.9')).toMatchObject({ modelId: model.id, seed: 0, params: { voices: 1, pitch: 60 }, appVersion: '9.9.9' })
    const recipe: Recipe = { app: 'latent-studio', appVersion: '1', modelId: model.id, modelHash: 'h', seed: 10, params: { ...request.params }, ep: 'cpu' }
    job.finish({ jobId: 'j', ep: 'cpu', ms: 5, recipe, warnings: [] })
    expect(job.recipeForVoice(1, '9.9.9')).toEqual({ ...recipe, seed: 11, params: { ...request.params, voices: 1 } })
  })
})

describe('keys played while the job runs (job/feed)', () => {
  it('grow the job by a voice with its own pitch: a lane, its chunks heard as they come, its own recipe', () => {
    const job = new AudioJob({ ...request, seed: 10, params: { ...request.params, voices: 1 } }, model)
    job.attach('j')
    job.started()
    const heard: [number, number][] = []
    job.listen((v, samples) => heard.push([v, samples.length]))
    job.receive(part(0, 0, 2000, 0.5))
    // A fed voice's first chunk may beat the engine's answer: its lane appears with it.
    job.receive(part(1, 0, 500, 0.25))
    expect(job.voiceCount).toBe(2)
    job.addVoice(1, { pitch: 67 })
    job.addVoice(2, { pitch: 64 })
    expect(job.voiceCount).toBe(3)
    expect([job.paramsOf(0).pitch, job.paramsOf(1).pitch, job.paramsOf(2).pitch]).toEqual([60, 67, 64])
    expect(heard).toEqual([[0, 2000], [1, 500]])
    const recipe: Recipe = { app: 'latent-studio', appVersion: '1', modelId: model.id, modelHash: 'h', seed: 10, params: { ...request.params, voices: 1 }, ep: 'cpu' }
    job.finish({ jobId: 'j', ep: 'cpu', ms: 5, recipe, warnings: [] })
    expect(job.recipeForVoice(0, 'x')).toMatchObject({ seed: 10, params: { pitch: 60, voices: 1 } })
    expect(job.recipeForVoice(1, 'x')).toMatchObject({ seed: 11, params: { pitch: 67, voices: 1, instrument: 'sine' } })
    expect(job.recipeForVoice(2, 'x')).toMatchObject({ seed: 12, params: { pitch: 64 } })
    expect(job.work).toBe(3 * 8000)
  })
})

describe('a WAV opened from disk', () => {
  it('is a finished one-voice job holding the file’s samples and recipe', () => {
    const recipe: Recipe = { app: 'latent-studio', appVersion: '1', modelId: model.id, modelHash: 'h', seed: 7, params: { ...request.params, voices: 1 }, ep: 'cpu' }
    const samples = Float32Array.from({ length: 1234 }, (_, i) => Math.sin(i))
    const job = new AudioJob({ ...request, seed: 7 }, model, { file: 'n.wav', samples, sampleRate: 16000, recipe })
    expect(job.state).toBe('done')
    expect(job.active).toBe(false)
    expect([job.voiceCount, job.totalSamples, job.filled[0], job.file]).toEqual([1, 1234, 1234, 'n.wav'])
    expect(job.slice(0)).toEqual(samples)
    expect(job.recipeForVoice(0, 'x')).toEqual(recipe)
  })
})

describe('a chord job', () => {
  const chord = { ...request, seed: 10, params: { ...request.params, voices: 1, chord: 'C4 E4 G4' } }
  it('has one voice per note, each named by its note, with a recipe that makes that note alone', () => {
    const job = new AudioJob(chord, model)
    expect(job.voiceCount).toBe(3)
    expect(job.isChord).toBe(true)
    expect(job.paramsOf(1)).toMatchObject({ pitch: 64, chord: '' })
    const r = job.recipeForVoice(2, '1.0.0')
    expect(r.seed).toBe(12)
    expect(r.params).toMatchObject({ pitch: 67, chord: '', voices: 1 })
    expect(new AudioJob(request, model).isChord).toBe(false)
  })
  it('mixes the voices over what all of them have, scaled down only when the sum would clip', () => {
    const job = new AudioJob(chord, model)
    job.attach('j')
    job.started()
    job.receive(part(0, 0, 4000, 0.2))
    job.receive(part(1, 0, 2000, 0.1))
    job.receive(part(2, 0, 3000, 0.1))
    expect(job.mix()).toHaveLength(2000)
    expect(job.mix()[0]).toBeCloseTo(0.4, 6)
    job.receive(part(1, 2000, 2000, 0.6))
    job.receive(part(2, 3000, 1000, 0.6))
    const m = job.mix()
    expect(m).toHaveLength(4000)
    expect(Math.max(...m)).toBeCloseTo(0.99, 6) // 0.2 + 0.6 + 0.6 = 1.4 → scaled to 0.99
    expect(job.mix({ start: 0, end: 0.05 })).toHaveLength(800)
  })
})
