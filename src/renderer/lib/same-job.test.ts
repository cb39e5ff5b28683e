/** A repeated Generate with the same seed and settings moves to the next free seeds instead of queuing a copy. */
import { describe, expect, it } from 'vitest'
import { freeSeed, sameJob } from './same-job'

const req = (seed: number, params: Record<string, number | string> = { count: 4, truncation: 1 }) => ({ modelId: 'dcgan-emoji', seed, params })

describe('same job', () => {
  it('is the same model, seed and params in any key order; a branch never is', () => {
    expect(sameJob(req(7), { modelId: 'dcgan-emoji', seed: 7, params: { truncation: 1, count: 4 } })).toBe(true)
    expect(sameJob(req(7), req(8))).toBe(false)
    expect(sameJob(req(7), req(7, { count: 4, truncation: 1.5 }))).toBe(false)
    expect(sameJob(req(7), { ...req(7), modelId: 'vae-emoji' })).toBe(false)
    expect(sameJob({ ...req(7), branch: { jobId: 'j', draft: 0, at: 3 } }, req(7))).toBe(false)
  })

  it('moves past every batch already made with these settings, by the batch size', () => {
    expect(freeSeed(req(7), [], 4)).toBeNull()
    expect(freeSeed(req(7), [req(7, { count: 4, truncation: 2 })], 4)).toBeNull()
    expect(freeSeed(req(7), [req(7)], 4)).toBe(11)
    expect(freeSeed(req(7), [req(7), req(11)], 4)).toBe(15)
    expect(freeSeed(req(4294967295), [req(4294967295)], 4)).toBe(3) // uint32 wraps
  })
})
