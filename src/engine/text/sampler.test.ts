/**
 * The sampler a writer steers with temperature, top-k and top-p: the odds it reports are the odds it
 * draws with, greedy is the argmax, and a seed always gives the same characters.
 */
import { describe, expect, it } from 'vitest'
import { Rng } from '../../common/rng'
import { Sampler } from './sampler'

const logits = Float32Array.from([2, 1, 0.5, 3, -1, 3]) // token 3 and 5 tie for the top
const sum = (p: Float64Array) => p.reduce((a, b) => a + b, 0)

describe('Sampler', () => {
  it('softmax with temperature: lower temperature sharpens, the odds sum to 1', () => {
    const p1 = Float64Array.from(new Sampler(6, { temperature: 1, topK: 0, topP: 1 }).distribution(logits))
    const exp = [...logits].map((l) => Math.exp(l))
    const z = exp.reduce((a, b) => a + b, 0)
    exp.forEach((e, j) => expect(p1[j]).toBeCloseTo(e / z, 12))
    const cold = new Sampler(6, { temperature: 0.5, topK: 0, topP: 1 }).distribution(logits)
    expect(cold[3]).toBeGreaterThan(p1[3])
    expect(sum(cold)).toBeCloseTo(1, 12)
  })

  it('top-k keeps the k likeliest (lower id first on ties); topK 1 is the argmax', () => {
    const s = new Sampler(6, { temperature: 1, topK: 3, topP: 1 })
    const p = s.distribution(logits)
    expect([...p].map((x) => x > 0)).toEqual([true, false, false, true, false, true])
    expect(sum(p)).toBeCloseTo(1, 12)
    const g = new Sampler(6, { temperature: 1.7, topK: 1, topP: 1 })
    expect([...g.distribution(logits)]).toEqual([0, 0, 0, 1, 0, 0])
    const rng = new Rng(1)
    for (let i = 0; i < 20; i++) expect(g.draw(rng)).toBe(3)
  })

  it('top-p keeps the shortest likeliest-first prefix reaching p', () => {
    const s = new Sampler(6, { temperature: 1, topK: 0, topP: 0.5 })
    const p = s.distribution(logits)
    // Tokens 3 and 5 hold ~0.37 each: the prefix reaching 0.5 is those two.
    expect([...p].map((x) => x > 0)).toEqual([false, false, false, true, false, true])
    expect(p[3]).toBeCloseTo(0.5, 12)
    expect(new Sampler(6, { temperature: 1, topK: 0, topP: 0.05 }).distribution(logits).filter((x) => x > 0)).toHaveLength(1)
  })

  it('applies top-p within the top k, renormalised: topK 3 + topP 0.8 keeps the two holding 84.5 % of the top 3', () => {
    // Top 3: tokens 3, 5 (e^3 each) and 0 (e^2); 3 and 5 hold 40.17 / 47.56 = 84.5 % of that mass
    // (but only 77 % of all mass: top-p over the whole distribution would keep token 0 too).
    const keep = (topP: number) => [...new Sampler(6, { temperature: 1, topK: 3, topP }).distribution(logits)].map((x) => x > 0)
    expect(keep(0.8)).toEqual([false, false, false, true, false, true])
    expect(keep(0.9)).toEqual([true, false, false, true, false, true])
  })

  it('draws follow the odds it reports, and a seed repeats its draws exactly', () => {
    const s = new Sampler(6, { temperature: 1, topK: 0, topP: 1 })
    const p = Float64Array.from(s.distribution(logits))
    const counts = new Array(6).fill(0)
    const rng = new Rng(42)
    const n = 20000
    for (let i = 0; i < n; i++) counts[s.draw(rng)]++
    counts.forEach((c, j) => expect(Math.abs(c / n - p[j])).toBeLessThan(4 * Math.sqrt((p[j] * (1 - p[j])) / n) + 1e-9))
    const a = new Rng(7)
    const b = new Rng(7)
    const draws = (r: Rng) => Array.from({ length: 50 }, () => s.draw(r))
    expect(draws(a)).toEqual(draws(b))
  })

  it('lists the top n likeliest first, leaving out what cannot be drawn', () => {
    const s = new Sampler(6, { temperature: 1, topK: 2, topP: 1 })
    s.distribution(logits)
    expect(s.top(5).map((c) => c.id)).toEqual([3, 5])
    expect(s.top(1)).toEqual([{ id: 3, p: 0.5 }])
  })

  it('refuses settings that have no distribution', () => {
    expect(() => new Sampler(6, { temperature: 0, topK: 0, topP: 1 })).toThrow(/temperature must be above 0/)
    expect(() => new Sampler(6, { temperature: 1, topK: 0, topP: 0 })).toThrow(/topP must be in \(0, 1\]/)
  })
})
