/**
 * A finished job kept in history and opened again shows what it showed: every item becomes the file an
 * export writes (named by its seed, its own recipe inside), and those files become the same tiles, drafts
 * and voices again (pixels exact; sound within one 16-bit step).
 */
import { describe, expect, it } from 'vitest'
import { CODECS } from '../../common/codecs'
import { packNotes } from '../../common/music-part'
import type { JobPart } from '../../common/contract'
import type { HistoryEntry, HistoryFile } from '../../common/history'
import type { Modality } from '../../common/modality'
import { wavenetSummary } from '../lib/audio-test-model'
import { summaryOf } from '../lib/test-models'
import { musicSummary } from '../lib/music-test-model'
import { lstmSummary } from '../lib/text-test-models'
import { AudioJob } from './AudioJob.svelte'
import { HISTORY_FILES } from './history-files'
import { ImageJob } from './ImageJob.svelte'
import type { Job } from './Job.svelte'
import { MusicJob } from './MusicJob.svelte'
import { TextJob } from './TextJob.svelte'

const V = '0.1.0'

/** Feed parts, end the job as the engine would, and keep it as the studio does. */
async function keep<J extends Job>(job: J, parts: JobPart[]): Promise<{ entry: HistoryEntry; files: HistoryFile[] }> {
  job.attach('j1')
  job.started()
  for (const p of parts) job.receive(p)
  job.flush()
  job.finish({ jobId: 'j1', ep: 'cpu', ms: 5, recipe: job.jobRecipe(V), warnings: [] })
  expect(await job.settled()).toBe('done')
  const codec = HISTORY_FILES[job.modality as Modality] as unknown as { files(j: Job, v: string): Promise<HistoryFile[]>; summary(j: Job): string }
  const files = await codec.files(job, V)
  const infos = files.map((f) => {
    const d = CODECS[job.modality].decode(f.name, f.bytes)
    if (!d.ok) throw new Error(d.error)
    return { name: f.name, seed: d.recipe.seed, size: f.bytes.length }
  })
  const entry: HistoryEntry = {
    id: 'e', createdAt: 0, modelId: job.model.id, modelTitle: job.model.title, modality: job.modality, seed: job.request.seed,
    recipe: job.recipe!, ms: 5, files: infos, bytes: 0, summary: codec.summary(job),
  }
  return { entry, files }
}

describe('history files', () => {
  it('an image job: one PNG per tile with its recipe, back to the same pixels', async () => {
    const gan = summaryOf('dcgan-test')
    const job = new ImageJob({ modelId: gan.id, seed: 7, params: { count: 3, truncation: 1 } }, gan)
    const parts: JobPart[] = [0, 1, 2].map((i) => ({ kind: 'image', index: i, seed: 7 + i, width: 8, height: 8, rgba: new Uint8Array(256).map((_, k) => (k * 31 + i * 7) & 255) }))
    const { entry, files } = await keep(job, parts)
    expect(files.map((f) => f.name)).toEqual(['dcgan-test-7.png', 'dcgan-test-8.png', 'dcgan-test-9.png'])
    expect(entry.files.map((f) => f.seed)).toEqual([7, 8, 9])
    expect(entry.summary).toBe('3 image(s)')

    const back = new ImageJob({ modelId: gan.id, seed: 7, params: entry.recipe.params }, gan)
    for (const p of await HISTORY_FILES.image.parts(entry, files)) back.receive(p)
    back.flush()
    expect(back.tiles.map((t) => [t.seed, t.image?.rgba])).toEqual(job.tiles.map((t) => [t.seed, t.image?.rgba]))
  })

  it('a text job: one .md per draft (prime + draft), back to the same drafts', async () => {
    const lstm = lstmSummary()
    const job = new TextJob({ modelId: lstm.id, seed: 40, params: { prime: 'It is', length: 6, temperature: 0.8, topK: 0, topP: 1, drafts: 2, stop: '' } }, lstm)
    const { entry, files } = await keep(job, [
      { kind: 'text', draft: 0, text: ' a ba', end: 'length' },
      { kind: 'text', draft: 1, text: 'ab', end: 'stop' },
    ])
    expect(files.map((f) => f.name)).toEqual(['lstm-test-40.md', 'lstm-test-41.md'])
    expect(new TextDecoder().decode(files[1].bytes)).toContain('It isab')
    const back = new TextJob({ modelId: lstm.id, seed: 40, params: entry.recipe.params }, lstm)
    for (const p of await HISTORY_FILES.text.parts(entry, files)) back.receive(p)
    back.flush()
    expect(back.drafts.map((d) => d.text)).toEqual([' a ba', 'ab'])
  })

  it('an audio job: one WAV per voice, back to the same sound within a 16-bit step', async () => {
    const wn = wavenetSummary()
    const job = new AudioJob({ modelId: wn.id, seed: 3, params: { instrument: 'sine', pitch: 60, seconds: 0.01, temperature: 1, voices: 2 } }, wn)
    const voice = (v: number) => new Float32Array(160).map((_, i) => Math.sin(i / (5 + v)) * 0.5)
    const { entry, files } = await keep(job, [0, 1].map((v) => ({ kind: 'audio', voice: v, sampleRate: 16000, offset: 0, samples: voice(v), total: 160 })))
    expect(files.map((f) => f.name)).toEqual(['wavenet-toy-3.wav', 'wavenet-toy-4.wav'])
    expect(entry.summary).toBe('sine C4')
    const back = new AudioJob({ modelId: wn.id, seed: 3, params: entry.recipe.params }, wn)
    for (const p of await HISTORY_FILES.audio.parts(entry, files)) back.receive(p)
    for (const v of [0, 1]) {
      const got = back.slice(v)
      expect(got.length).toBe(160)
      expect(Math.max(...got.map((x, i) => Math.abs(x - voice(v)[i])))).toBeLessThan(1 / 32767 + 1e-6)
    }
  })

  it('a music job: one .mid of the piece at its tempo, back to the same notes', async () => {
    const music = musicSummary()
    const job = new MusicJob({ modelId: music.id, seed: 11, params: { temperature: 1, bars: 1, tempo: 120, program: 33 } }, music)
    // On the tick grid of 480 per beat at 120 bpm (1/960 s), so the file gives them back exactly.
    const notes = [40, 47, 52].map((pitch, i) => ({ pitch, velocity: 99, startS: i * 0.5, durS: 0.375, program: 33 }))
    const { entry, files } = await keep(job, [{ kind: 'music', source: 'new', notes: packNotes(notes), program: 33, held: new Float64Array(), timeS: 2, totalS: 2, events: 9 }])
    expect(files.map((f) => f.name)).toEqual(['music-test-11.mid'])
    expect(entry.summary).toBe('3 notes · 1 bars at 120 bpm')
    const back = new MusicJob({ modelId: music.id, seed: 11, params: entry.recipe.params }, music)
    for (const p of await HISTORY_FILES.music.parts(entry, files)) back.receive(p)
    expect(back.notes).toEqual(notes)
  })
})
