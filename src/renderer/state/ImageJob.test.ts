/**
 * A job as the grid follows it, for chains (RBM) beside one-shot images: the latest frame of a tile
 * wins, a tile counts as done only at its last step, progress never runs ahead of the grid, and a
 * frame exported mid-chain carries the recipe that regenerates exactly that frame.
 */
import { describe, expect, it, vi } from 'vitest'
import type { JobPart } from '../../common/contract'
import { rbmManifest, summaryOf } from '../lib/test-models'
import { resolveRecipe } from '../lib/recipe-restore'
import { ImageJob, PARTS_PER_FRAME } from './ImageJob.svelte'

const rbm = summaryOf('rbm-test', { manifest: rbmManifest('rbm-test'), family: 'rbm' })
const gan = summaryOf('dcgan-test')

function frame(index: number, step: number | undefined, fill: number): JobPart {
  const rgba = new Uint8Array(28 * 28 * 4).fill(fill)
  return { kind: 'image', index, seed: 40 + index, width: 28, height: 28, rgba, step }
}

describe('a chain job in the grid', () => {
  const start = () => {
    const job = new ImageJob({ modelId: rbm.id, seed: 40, params: { count: 2, steps: 30, every: 10 } }, rbm)
    job.attach('j')
    job.started()
    return job
  }

  it('shows the latest frame per tile and counts steps every chain has reached', () => {
    const job = start()
    expect(job.tiles).toHaveLength(2)
    expect(job.progressShown).toEqual({ done: 0, total: 30, unit: 'steps' })
    for (const f of [frame(0, 10, 1), frame(1, 10, 1), frame(0, 20, 2)]) job.receive(f)
    job.flush()
    expect(job.tiles.map((t) => [t.image?.step, t.image?.rgba[0]])).toEqual([[20, 2], [10, 1]])
    expect(job.progressShown.done).toBe(10)
    expect(job.tiles.map((t) => job.isDone(t))).toEqual([false, false])
    job.receive(frame(0, 30, 3))
    job.flush()
    expect(job.tiles.map((t) => job.isDone(t))).toEqual([true, false])
  })

  it('a frame exported at step k restores as that chain alone, run for k steps', () => {
    const job = start()
    job.receive(frame(1, 20, 5))
    job.flush()
    job.fail('cancelled', true) // a cancel leaves the step-20 frame on screen
    const recipe = job.recipeFor(job.tiles[1], '0.1.0')
    expect(recipe).toMatchObject({ modelId: rbm.id, seed: 41, params: { count: 1, steps: 20, every: 10 } })
    const r = resolveRecipe(recipe, [rbm])
    expect(r).toMatchObject({ ok: true, seed: 41, params: { count: 1, steps: 20, every: 10 }, notes: [] })
    expect(job.progressShown).toEqual({ done: 0, total: 30, unit: 'steps' }) // tile 0 never drew a frame
  })

  it('marks every drawn tile done when the job finishes', () => {
    const job = start()
    for (const f of [frame(0, 30, 1), frame(1, 30, 1)]) job.receive(f)
    job.flush()
    job.finish({ jobId: 'j', ep: 'cpu', ms: 5, warnings: [], recipe: { app: 'latent-studio', appVersion: '0.1.0', modelId: rbm.id, modelHash: rbm.hash, seed: 40, params: { count: 2, steps: 30, every: 10 }, ep: 'cpu' } })
    expect(job.tiles.every((t) => job.isDone(t))).toBe(true)
    expect(job.progressShown).toEqual({ done: 30, total: 30, unit: 'steps' })
    expect(job.recipeFor(job.tiles[1], '0.1.0').params).toEqual({ count: 1, steps: 30, every: 10 })
  })
})

describe('a one-shot image job in the grid', () => {
  it('counts images and a tile is done as soon as its image arrives', () => {
    const job = new ImageJob({ modelId: gan.id, seed: 40, params: { count: 3, truncation: 2 } }, gan)
    job.attach('j')
    job.started()
    expect(job.steps).toBeNull()
    job.receive(frame(2, undefined, 9))
    job.flush()
    expect(job.progressShown).toEqual({ done: 1, total: 3, unit: 'images' })
    expect(job.tiles.map((t) => job.isDone(t))).toEqual([false, false, true])
    expect(job.recipeFor(job.tiles[2], '0.1.0').params).toEqual({ count: 1, truncation: 2 })
  })

  it('draws a burst of 64 images over several frames, a bounded number each, and all of them by the end', () => {
    vi.useFakeTimers()
    try {
      const job = new ImageJob({ modelId: gan.id, seed: 40, params: { count: 64, truncation: 2 } }, gan)
      job.attach('j')
      job.started()
      for (let i = 0; i < 64; i++) job.receive(frame(i, undefined, i))
      const drawn = () => job.tiles.filter((t) => t.image).length
      expect(drawn()).toBe(0)
      vi.advanceTimersToNextTimer()
      expect(drawn()).toBe(PARTS_PER_FRAME)
      vi.advanceTimersToNextTimer()
      expect(drawn()).toBe(2 * PARTS_PER_FRAME)
      // The job ends while 32 are queued: they keep their pace, and the job is done after the last frame.
      job.finish({ jobId: 'j', ep: 'cpu', ms: 5, warnings: [], recipe: { app: 'latent-studio', appVersion: '0.1.0', modelId: gan.id, modelHash: gan.hash, seed: 40, params: { count: 64, truncation: 2 }, ep: 'cpu' } })
      expect([drawn(), job.state]).toEqual([2 * PARTS_PER_FRAME, 'running'])
      vi.advanceTimersToNextTimer()
      expect([drawn(), job.state]).toEqual([3 * PARTS_PER_FRAME, 'running'])
      vi.advanceTimersToNextTimer()
      expect([drawn(), job.state]).toEqual([64, 'done'])
      expect(job.tiles[63].image?.rgba[0]).toBe(63)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('a Deep Dream job (steps per octave, one photo)', () => {
  const dream = { ...summaryOf('dream-test', { family: 'deepdream' }), inputs: { photo: { kind: 'image' as const } } }
  const photo = { kind: 'image' as const, sha256: 'ab'.repeat(32), size: 90_000, fileName: 'beach.jpg' }

  it('counts the steps of every octave, and a frame cancelled mid-octave keeps the job’s recipe with the photo’s hash', () => {
    const params = { layers: 'mixed4', octaves: 2, steps: 4, maxSide: 128 }
    const job = new ImageJob({ modelId: dream.id, seed: 7, params }, dream)
    job.inputRecords = { photo }
    job.attach('j')
    job.started()
    job.progress({ jobId: 'j', done: 0, total: 8 }) // 2 octaves × 4 steps
    job.receive(frame(0, 3, 1))
    job.receive(frame(0, 5, 2))
    job.flush()
    expect([job.steps, job.progressShown, job.isDone(job.tiles[0])]).toEqual([8, { done: 5, total: 8, unit: 'steps' }, false])
    job.fail('cancelled', true)
    // Step 5 is a preview of the second octave, not a shorter dream: the recipe is the job's as asked.
    expect(job.recipeFor(job.tiles[0], '0.1.0')).toMatchObject({ seed: 7, params, inputs: { photo } })
  })
})
