/** The keyboard a user picks notes on: names as DAWs print them, keys laid out like a piano. */
import { describe, expect, it } from 'vitest'
import { envelope, isBlackKey, keyLayout, midiToHz, noteName } from './audio-keys'

describe('note names and pitches', () => {
  it('names MIDI notes in scientific pitch notation (60 = C4, 69 = A4 = 440 Hz)', () => {
    expect([21, 48, 60, 61, 69, 71, 72, 108].map(noteName)).toEqual(['A0', 'C3', 'C4', 'C♯4', 'A4', 'B4', 'C5', 'C8'])
    expect(midiToHz(69)).toBe(440)
    expect(midiToHz(57)).toBeCloseTo(220, 9)
    expect([60, 61, 62, 63, 64, 65, 66].map(isBlackKey)).toEqual([false, true, false, true, false, false, true])
  })
})

describe('keyLayout', () => {
  it('puts two octaves and a C side by side as 15 white keys, black keys over the gaps', () => {
    const { keys, whites } = keyLayout(48, 72)
    expect(whites).toBe(15)
    expect(keys).toHaveLength(25)
    expect(keys.find((k) => k.pitch === 48)!.x).toBe(0)
    expect(keys.find((k) => k.pitch === 72)!.x).toBe(14)
    expect(keys.find((k) => k.pitch === 49)!.x).toBeCloseTo(0.7) // C♯ straddles C|D
    expect(keys.find((k) => k.pitch === 54)!.x).toBeCloseTo(3.7) // F♯ straddles F|G
  })

  it('keeps a range that starts or ends on a black key fully on the keyboard', () => {
    const { keys, whites } = keyLayout(49, 54)
    expect(keys[0]).toEqual({ pitch: 49, x: 0.2 })
    expect(Math.min(...keys.map((k) => k.x))).toBeGreaterThanOrEqual(0)
    expect(Math.max(...keys.map((k) => k.x + (isBlackKey(k.pitch) ? 0.6 : 1)))).toBeLessThanOrEqual(whites)
  })
})

describe('envelope', () => {
  it('gives the peak per slice of the whole note; slices not generated yet are 0', () => {
    const x = Float32Array.from({ length: 50 }, (_, i) => (i < 25 ? 0.8 : -0.2) * (i % 2 ? 1 : -1))
    expect(envelope(x, 100, 4).map((v) => Math.round(v * 10) / 10)).toEqual([0.8, 0.2, 0, 0])
  })
})
