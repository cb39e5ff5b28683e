/**
 * A music job as the roll follows it: the prime comes first, written notes join by start, held notes are
 * drawn until the next part, progress counts seconds written after the prime, a regenerated range lands
 * in the range (moved there, cut at its end) between the kept notes, and the piece's recipe is the job's.
 */
import { describe, expect, it } from 'vitest'
import type { JobPart } from '../../common/contract'
import type { MidiNote } from '../../common/midi'
import { packNotes } from '../../common/music-part'
import { musicSummary } from '../lib/music-test-model'
import { MusicJob } from './MusicJob.svelte'

const model = musicSummary()
const request = { modelId: model.id, seed: 7, params: { temperature: 1, bars: 2, tempo: 120, program: 40 } }
const n = (pitch: number, startS: number, durS = 0.25): MidiNote => ({ pitch, velocity: 80, startS, durS, program: 40 })
const part = (source: 'prime' | 'new', notes: MidiNote[], timeS: number, totalS: number, held: MidiNote[] = []): JobPart => ({
  kind: 'music', source, notes: packNotes(notes), program: 40, held: packNotes(held), timeS, totalS, events: 0,
})

describe('a streaming music job', () => {
  it('shows the prime, then written notes by start and held ones, counting seconds after the prime', () => {
    const job = new MusicJob(request, model)
    job.attach('j')
    job.started()
    expect([job.bpm, job.program, job.totalS]).toEqual([120, 40, 4]) // 2 bars of 4 beats at 120 bpm
    const first: number[] = []
    job.onFirstNote = (s) => first.push(s)
    job.receive(part('prime', [n(60, 0), n(64, 0.5)], 1, 5))
    expect(job.notes.map((x) => x.pitch)).toEqual([60, 64])
    expect([job.primeCount, job.progressShown]).toEqual([2, { done: 0, total: 4, unit: 'seconds' }])
    job.receive(part('new', [n(67, 1.5), n(65, 1.25)], 2, 5, [n(72, 1.75, 0.25)]))
    expect(job.notes.map((x) => x.pitch)).toEqual([60, 64, 65, 67])
    expect(job.held.map((x) => x.pitch)).toEqual([72])
    expect(first).toEqual([1.25]) // once, at the first written note
    job.receive(part('new', [n(72, 1.75, 2)], 5, 5))
    expect([job.notes.length, job.held, job.progressShown.done]).toEqual([5, [], 4])
    expect(first).toEqual([1.25])
  })

  it('puts a regenerated range between the kept notes: moved to the range, cut at its end', () => {
    const before = [n(60, 0), n(62, 0.5, 0.5)] // the second was cut at the range start (1 s)
    const after = [n(70, 3)]
    const job = new MusicJob(request, model, undefined, { before, after, startS: 1, endS: 2, primeEndS: 0 })
    expect(job.notes.map((x) => x.pitch)).toEqual([60, 62, 70])
    expect(job.progressShown).toEqual({ done: 0, total: 1, unit: 'seconds' })
    job.receive(part('prime', before, 0.9, 4.9)) // the model's clock stood at 0.9 s after the prime
    job.receive(part('new', [n(64, 1.0), n(65, 1.8, 0.5), n(66, 2.5)], 2.5, 4.9))
    // +0.1 s: 64 at 1.1, 65 at 1.9 cut to 0.1 s, 66 at 2.6 is past the range
    expect(job.notes.map((x) => [x.pitch, +x.startS.toFixed(6), +x.durS.toFixed(6)])).toEqual([[60, 0, 0.25], [62, 0.5, 0.5], [64, 1.1, 0.25], [65, 1.9, 0.1], [70, 3, 0.25]])
    expect(job.progressShown.done).toBe(1)
  })

  it('exports with the job recipe (one piece, seed + 0) and marks edits', () => {
    const job = new MusicJob(request, model)
    job.attach('j')
    expect(job.pieceRecipe('9.9.9')).toMatchObject({ app: 'latent-studio', appVersion: '9.9.9', modelId: model.id, seed: 7, params: request.params })
    job.setNotes([n(60, 0)])
    expect([job.notes.length, job.edited]).toEqual([1, true])
  })

  it('opens a MIDI file as a finished job with its notes and tempo; one without a recipe has none to export', () => {
    const opened = new MusicJob({ modelId: model.id, seed: 0, params: {} }, model, { file: 'song.mid', notes: [n(60, 0, 1)], bpm: 90, recipe: null })
    expect([opened.state, opened.file, opened.bpm, opened.totalS, opened.notes.length]).toEqual(['done', 'song.mid', 90, 1, 1])
    expect(() => opened.pieceRecipe('1')).toThrow('song.mid has no Latent Studio recipe')
  })
})
