import { describe, expect, it } from 'vitest'
import { adsrEnvelope, HOP, naturalEnvelope, peakOf } from './wavenet-envelope'

const SR = 16000
/** Frames of a rendered 1.25-s note: level a over the held second (linear to b), then released to r. */
function frames(a: number, b: number, r: number): Float32Array {
  return Float32Array.from({ length: 126 }, (_, k) => (k <= 100 ? a + ((b - a) * k) / 100 : b + ((r - b) * (k - 100)) / 25))
}

describe('naturalEnvelope', () => {
  it('at the rendered length (1.25 s) is the rendered note, frame for frame', () => {
    const f = frames(0.9, 0.5, 0.1)
    const e = naturalEnvelope(f, 1.25 * SR, SR)
    for (const k of [0, 10, 50, 99, 101, 120]) expect(e[k * HOP]).toBeCloseTo(f[k], 5)
  })
  it('a longer note keeps decaying past 1 s and is released in its last 0.25 s', () => {
    const e = naturalEnvelope(frames(0.9, 0.8, 0.4), 3 * SR, SR)
    expect(e[2 * SR]).toBeLessThan(e[SR - 1]) // the decay goes on
    expect(e[2.7 * SR]).toBeGreaterThan(e[3 * SR - 1] + 0.2) // the release drops it…
    expect(e[3 * SR - 1]).toBeCloseTo(e[2.75 * SR] - 0.4, 1) // …by as much as the rendered release
  })
  it('a held note does not rise when extended, and a short note releases over its last quarter', () => {
    const held = naturalEnvelope(frames(0.5, 0.8, 0.1), 2 * SR, SR)
    expect(held[1.7 * SR]).toBeCloseTo(held[SR - 1], 5)
    const short = naturalEnvelope(frames(0.9, 0.9, 0.1), 0.4 * SR, SR)
    expect(short[0.29 * SR]).toBeCloseTo(0.9, 2)
    expect(short[0.4 * SR - 1]).toBeLessThan(0.3)
  })
})

describe('adsrEnvelope', () => {
  it('rises to the peak over the attack, falls to the sustain level in dB, releases to silence', () => {
    const a = { attack: 0.1, decay: 0.2, sustain: -12, release: 0.3 }
    const e = adsrEnvelope(a, 0.9, SR, SR)
    expect(e[0]).toBe(0)
    expect(e[0.1 * SR]).toBeCloseTo(0.9, 3)
    expect(e[0.5 * SR]).toBeCloseTo(0.9 - 12 / 60, 3)
    expect(e[SR - 1]).toBe(0)
    expect(e[0.85 * SR]).toBeLessThan(e[0.7 * SR])
    expect(peakOf(e)).toBeCloseTo(0.9, 3)
  })
})
