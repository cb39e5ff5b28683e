/**
 * Offline rendering through the shipped soundfont (assets/soundfonts): notes sound at their pitch and
 * time, silence where there are none, the same notes give the same samples (CLI and studio agree).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { MidiNote } from './midi'
import { channelsFor, renderNotes } from './music-render'

const file = readFileSync(new URL('../../assets/soundfonts/latent-gm-small.sf3', import.meta.url))
const soundfont = () => file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer
const SR = 22_050
const note = (pitch: number, startS: number, durS: number, program: number): MidiNote => ({ pitch, velocity: 96, startS, durS, program })
const rms = (x: Float32Array, fromS: number, toS: number) => {
  const s = x.subarray(Math.round(fromS * SR), Math.round(toS * SR))
  return Math.sqrt(s.reduce((a, v) => a + v * v, 0) / s.length)
}
/** Fundamental by autocorrelation over 60..1000 Hz (the best lag). */
function pitchHz(x: Float32Array, fromS: number, toS: number): number {
  const s = x.subarray(Math.round(fromS * SR), Math.round(toS * SR))
  let best = 0
  let bestLag = 0
  for (let lag = Math.floor(SR / 1000); lag <= SR / 60; lag++) {
    let c = 0
    for (let i = 0; i + lag < s.length; i++) c += s[i] * s[i + lag]
    if (c > best) (best = c), (bestLag = lag)
  }
  return SR / bestLag
}

describe('renderNotes', () => {
  it('plays each note at its pitch and time, silent before and after, scaled to −1 dBFS', async () => {
    // a flute A4 (440 Hz) at 0.5..1.5 s, a fingered bass A2 (110 Hz) at 2..3 s
    const notes = [note(69, 0.5, 1, 73), note(45, 2, 1, 33)]
    const x = await renderNotes(soundfont(), notes, { sampleRate: SR, tailS: 1 })
    expect(x.length).toBe(4 * SR)
    expect(x.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeCloseTo(0.89, 5)
    expect(rms(x, 0, 0.45)).toBeLessThan(1e-4)
    expect(rms(x, 0.7, 1.3)).toBeGreaterThan(0.05)
    expect(pitchHz(x, 0.8, 1.2) / 440).toBeCloseTo(1, 1)
    expect(pitchHz(x, 2.3, 2.8) / 110).toBeCloseTo(1, 1)
    expect(rms(x, 3.7, 4)).toBeLessThan(rms(x, 2.3, 2.8) / 30) // released: only a reverb tail is left
  })

  it('give the same samples for the same notes, on any program the soundfont has', async () => {
    const notes = [0, 4, 11, 20, 24, 33, 40, 56, 73, 80].map((p, i) => note(60, i * 0.1, 0.3, p))
    const a = await renderNotes(soundfont(), notes, { sampleRate: SR, tailS: 0.2 })
    expect(await renderNotes(soundfont(), notes, { sampleRate: SR, tailS: 0.2 })).toEqual(a)
    expect(channelsFor(notes).get(80)).toBe(10) // channel 10 (index 9) is the drums': skipped
  })

  it('refuse a piece too long to write as one WAV', async () => {
    await expect(renderNotes(soundfont(), [note(60, 700, 1, 0)])).rejects.toThrow('the piece lasts 701 s; at most 600 s are rendered to WAV')
  })
})
