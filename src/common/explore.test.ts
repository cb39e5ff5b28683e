/**
 * The latent operations an artist steers with: a strip starts and ends on its parents exactly, "how
 * different" 0 is the parent and 1 a new sample, a crossbreed takes each dimension from a parent in the
 * weights' proportion, a latent survives its trip through a recipe bit for bit, and each item's recipe
 * names it alone. Bad ops are refused in words.
 */
import { describe, expect, it } from 'vitest'
import {
  crossover, crossRng, describeExplore, exploreItem, exploreLatent, latentFromText, latentToText, mutate, slerp, type Explore,
} from './explore'
import { checkExplore } from './explore-check'
import { imageItemRecipe } from './items'
import { parseRecipe, type Recipe } from './recipe'
import { latentForSeed } from './rng'

const norm = (z: Float32Array) => Math.hypot(...z)
const bits = (z: Float32Array) => Buffer.from(z.buffer, z.byteOffset, z.byteLength)

describe('latent operations', () => {
  const a = latentForSeed(7, 100, Infinity)
  const b = latentForSeed(12, 100, Infinity)

  it('slerp starts on one parent and ends on the other, keeping a prior-like norm between', () => {
    expect(bits(slerp(a, b, 0))).toEqual(bits(a))
    expect(bits(slerp(a, b, 1))).toEqual(bits(b))
    const mid = slerp(a, b, 0.5)
    const lerpMid = a.map((x, i) => (x + b[i]) / 2)
    // Two independent N(0, I) vectors are ~orthogonal: the straight midpoint shrinks by ~1/√2, slerp does not.
    expect(norm(mid)).toBeGreaterThan(0.95 * Math.min(norm(a), norm(b)))
    expect(norm(lerpMid)).toBeLessThan(0.8 * norm(mid))
    // Parallel vectors: a straight line, no division by sin(0).
    expect(Array.from(slerp(a, a.map((x) => 2 * x), 0.5)).every(Number.isFinite)).toBe(true)
  })

  it('"how different" 0 is the parent, 1 the noise, and keeps unit variance between', () => {
    expect(bits(mutate(a, b, 0))).toEqual(bits(a))
    const far = mutate(a, b, 1)
    expect(Math.max(...far.map((x, i) => Math.abs(x - b[i])))).toBeLessThan(1e-5)
    const big = latentForSeed(1, 20000, Infinity)
    const noise = latentForSeed(2, 20000, Infinity)
    const child = mutate(big, noise, 0.5)
    expect(norm(child) / Math.sqrt(20000)).toBeCloseTo(1, 1)
  })

  it('crossover takes each dimension from a parent, in the weights’ proportion', () => {
    const p = [new Float32Array(4000).fill(1), new Float32Array(4000).fill(2), new Float32Array(4000).fill(3)]
    const c = crossover(p, [1, 3, 0], crossRng(5))
    const share = [1, 2, 3].map((v) => c.filter((x) => x === v).length / c.length)
    expect(share[0]).toBeCloseTo(0.25, 1)
    expect(share[1]).toBeCloseTo(0.75, 1)
    expect(share[2]).toBe(0)
    expect(bits(crossover(p, [1, 3, 0], crossRng(5)))).toEqual(bits(c))
  })

  it('a child depends on its mix seed alone: child i of seed s is child 0 of seed s + i', () => {
    const prior = (s: number) => latentForSeed(s, 100, Infinity)
    const e: Explore = { op: 'cross', parents: [{ seed: 7 }, { seed: 12 }], weights: [1, 1], spread: 0.2 }
    expect(bits(exploreLatent(e, [a, b], prior, 40, 3))).toEqual(bits(exploreLatent(e, [a, b], prior, 43, 0)))
    expect(bits(exploreLatent(e, [a, b], prior, 40, 3))).not.toEqual(bits(exploreLatent(e, [a, b], prior, 40, 4)))
  })

  it('an attribute strip runs from the parent to parent + amount × direction, a frame alone by `first`', () => {
    const d = latentForSeed(99, 100, Infinity)
    const e: Explore = { op: 'attribute', parent: { seed: 7 }, direction: { key: 'food', z: latentToText(d) }, amount: -1.5, frames: 4 }
    const prior = (s: number) => latentForSeed(s, 100, Infinity)
    expect(bits(exploreLatent(e, [a], prior, 0, 0))).toEqual(bits(a))
    const last = exploreLatent(e, [a], prior, 0, 3)
    expect(Math.max(...last.map((x, i) => Math.abs(x - (a[i] - 1.5 * d[i]))))).toBeLessThan(1e-6)
    const alone = exploreItem(e, 0, 2)
    expect(bits(exploreLatent(alone.explore, [a], prior, alone.seed, 0))).toEqual(bits(exploreLatent(e, [a], prior, 0, 2)))
    expect(describeExplore(e)).toBe('seed 7 → less food ×1.5, 4 frames')
    expect(checkExplore({ ...e, direction: { key: 'a b', z: 'x' } })).toMatchObject({ ok: false, error: expect.stringMatching(/direction must be \{ key, z \}/) })
  })

  it('a latent survives the recipe as text, bit for bit', () => {
    const z = latentForSeed(3, 64, 4)
    z[0] = -0
    z[1] = 1.401298464324817e-45 // the smallest subnormal
    const t = latentToText(z)
    expect(t).toHaveLength(344)
    expect(bits(latentFromText(t))).toEqual(bits(z))
    expect(() => latentFromText('AAAA=')).toThrow(/not base64|float32/)
    expect(() => latentFromText(latentToText(new Float32Array([NaN])))).toThrow(/finite/)
  })
})

describe('explore recipes', () => {
  const job: Recipe = {
    app: 'latent-studio', appVersion: '1', modelId: 'dcgan-emoji', modelHash: 'abc', seed: 40, ep: 'cpu',
    params: { count: 8, truncation: 1 },
    explore: { op: 'interpolate', from: { seed: 7 }, to: { z: latentToText(latentForSeed(1, 100, 1)) }, frames: 8 },
  }

  it('frame i alone moves `first`; child i alone moves the seed; both make one item', () => {
    expect(imageItemRecipe(job, { index: 5 })).toMatchObject({ seed: 40, params: { count: 1, truncation: 1 }, explore: { first: 5, frames: 8 } })
    const kids = { ...job, explore: { op: 'children', parent: { seed: 7 }, spread: 0.3 } } as Recipe
    expect(imageItemRecipe(kids, { index: 5 })).toMatchObject({ seed: 45, params: { count: 1 }, explore: { op: 'children', spread: 0.3 } })
    expect(exploreItem(kids.explore!, 0xffffffff, 1).seed).toBe(0)
  })

  it('round-trips through a file’s recipe text and refuses a damaged op by name', () => {
    const back = parseRecipe(JSON.stringify(imageItemRecipe(job, { index: 2 })))
    expect(back.ok && back.value.explore).toEqual({ ...job.explore, first: 2 })
    const bad = parseRecipe(JSON.stringify({ ...job, explore: { op: 'interpolate', from: { seed: 7 }, to: { seed: 8 }, frames: 1 } }))
    expect(bad.ok ? '' : bad.error).toMatch(/explore.frames is 1, allowed 2…64/)
  })

  it('refuses malformed ops in words', () => {
    const err = (v: unknown) => {
      const c = checkExplore(v)
      return c.ok ? 'ok' : c.error
    }
    expect(err({ op: 'zoom' })).toMatch(/op must be one of interpolate, children, cross, attribute, encode/)
    expect(err({ op: 'children', parent: { seed: 1, z: 'x' }, spread: 0.5 })).toMatch(/exactly one of seed, z, input/)
    expect(err({ op: 'children', parent: { seed: 1 }, spread: 2 })).toMatch(/how different\) is 2, allowed 0…1/)
    expect(err({ op: 'cross', parents: [{ seed: 1 }], weights: [1], spread: 0 })).toMatch(/2 to 8 parents/)
    expect(err({ op: 'cross', parents: [{ seed: 1 }, { seed: 2 }], weights: [0, 0], spread: 0 })).toMatch(/not all be 0/)
    expect(err({ op: 'children', parent: { input: 'face' }, spread: 0 })).toMatch(/photo or photo2/)
    expect(err({ op: 'encode', frames: 3 })).toMatch(/encode takes nothing else, not frames/)
  })

  it('says what an op did in a line', () => {
    expect(describeExplore(job.explore!)).toBe('interpolate seed 7 → a latent, 8 frames')
    expect(describeExplore({ ...job.explore!, first: 2 } as Explore, 1)).toBe('interpolate seed 7 → a latent, 8 frames (frame 3)')
    expect(describeExplore({ op: 'cross', parents: [{ seed: 1 }, { input: 'photo' }], weights: [2, 1], spread: 0.1 })).toBe(
      'crossbreed seed 1 ×2 + the encoded photo ×1, how different 0.1',
    )
  })
})
