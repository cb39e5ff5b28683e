/**
 * The event encoding is the model's language: a prime encoded differently from training, or sampled
 * tokens decoded differently from the card's statistics, would be heard. The golden list is what the
 * Python encoder writes (training/tests/test_music_events_golden.py).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { MidiNote } from './midi'
import { binVelocity, decodeEvents, encodeEvents, EventDecoder, NOTE_OFF, NOTE_ON, START, TIME_SHIFT, velocityBin, VELOCITY, VOCAB } from './music-events'

type Row = [number, number, number, number] // start s, end s, pitch, velocity
const golden = JSON.parse(readFileSync(new URL('./music-events.golden.json', import.meta.url), 'utf8')) as {
  notes: Row[]
  encode: { stretch: number; tokens: number[] }[]
  decode: { stretch: number; tokens: number[]; notes: Row[] }[]
}
const toNote = ([startS, end, pitch, velocity]: Row): MidiNote => ({ pitch, velocity, startS, durS: end - startS, program: 0 })

describe('music events (PerformanceRNN)', () => {
  it('have the Python vocabulary', () => {
    expect([NOTE_ON, NOTE_OFF, TIME_SHIFT, VELOCITY, START, VOCAB]).toEqual([0, 128, 256, 356, 388, 389])
    expect([velocityBin(1), velocityBin(4), velocityBin(5), velocityBin(127), velocityBin(0), binVelocity(31)]).toEqual([0, 0, 1, 31, 0, 127])
  })

  it('encode notes as the Python encoder does, token for token, at every stretch', () => {
    const notes = golden.notes.map(toNote)
    for (const { stretch, tokens } of golden.encode) expect(encodeEvents(notes, stretch), `stretch ${stretch}`).toEqual(tokens)
  })

  it('decode any token stream as the Python decoder does, note for note', () => {
    for (const { stretch, tokens, notes } of golden.decode) {
      const got = decodeEvents(tokens, stretch).map((n): Row => [n.startS, n.startS + n.durS, n.pitch, n.velocity])
      expect(got.length, `stretch ${stretch}`).toBe(notes.length)
      got.forEach((row, i) => {
        expect(row[0]).toBe(notes[i][0])
        expect(row[1]).toBeCloseTo(notes[i][1], 12) // start + (end - start): within an ulp of end
        expect(row.slice(2)).toEqual(notes[i].slice(2))
      })
    }
  })

  it('stream: notes come out when they end, held ones grow, and the whole equals the batch decode', () => {
    const d = new EventDecoder(1, 40)
    expect(d.push(VELOCITY + 20)).toEqual([])
    expect(d.push(NOTE_ON + 60)).toEqual([])
    d.push(TIME_SHIFT + 49) // 50 steps = 0.5 s
    expect(d.timeS).toBeCloseTo(0.5)
    expect(d.sounding()).toEqual([{ pitch: 60, velocity: 83, startS: 0, durS: 0.5, program: 40 }])
    expect(d.push(NOTE_OFF + 60)).toEqual([{ pitch: 60, velocity: 83, startS: 0, durS: 0.5, program: 40 }])
    expect(d.push(NOTE_OFF + 61)).toEqual([]) // a silent pitch: ignored
    expect(d.push(START)).toEqual([])
    d.push(NOTE_ON + 62)
    expect(d.finish()).toEqual([{ pitch: 62, velocity: 83, startS: 0.5, durS: expect.closeTo(0.01, 12), program: 40 }]) // ≥ one step
    d.push(NOTE_ON + 64)
    for (let i = 0; i < 12; i++) d.push(TIME_SHIFT + 99) // 12 s held
    expect(d.finish()[0].durS).toBeCloseTo(8, 9) // cut at MAX_NOTE_S, as the training data
  })
})
