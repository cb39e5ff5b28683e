import { describe, expect, it } from 'vitest'
import { parseSeed, randomSeed, SEED_MAX } from './seed'

describe('seed field', () => {
  it('accepts whole numbers 0..2^32-1 and nothing else', () => {
    expect(parseSeed('0')).toBe(0)
    expect(parseSeed(' 4242 ')).toBe(4242)
    expect(parseSeed(String(SEED_MAX))).toBe(SEED_MAX)
    expect(parseSeed(String(SEED_MAX + 1))).toBeNull()
    for (const bad of ['', '-1', '1.5', '1e3', 'abc', '12345678901']) expect(parseSeed(bad), bad).toBeNull()
  })

  it('draws random seeds across the whole uint32 range', () => {
    const seeds = Array.from({ length: 64 }, randomSeed)
    for (const s of seeds) expect(parseSeed(String(s))).toBe(s)
    expect(new Set(seeds).size).toBeGreaterThan(60)
    expect(Math.max(...seeds)).toBeGreaterThan(2 ** 31) // not a 31-bit or small-int generator
  })
})
