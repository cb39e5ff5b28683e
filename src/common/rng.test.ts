/**
 * The seeded stream is part of every recipe: seed 7 must give these numbers forever. If this test
 * fails, every PNG, draft and WAV ever exported restores to something else.
 */
import { describe, expect, it } from 'vitest'
import { latentForSeed, Rng } from './rng'

describe('Rng stream', () => {
  it('is pinned: the same uint32s and latents for a seed as when the first models shipped', () => {
    const r = new Rng(7)
    expect([r.nextU32(), r.nextU32(), r.nextU32()]).toEqual([1004282400, 2200021487, 1928073449])
    expect(new Rng(0).nextU32()).toBe(3809008728)
    expect(Array.from(latentForSeed(7, 3, 4))).toEqual([-1.6997666358947754, 0.5907177329063416, -1.0527406930923462])
  })
})
