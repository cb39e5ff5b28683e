import { describe, expect, it } from 'vitest'
import { MAX_CHORD, parseChord } from './chord'

describe('parseChord', () => {
  it('reads MIDI numbers and note names (C4 = 60) in the order written, with accidentals', () => {
    expect(parseChord('C4 E4 G4', 48, 72)).toEqual([60, 64, 67])
    expect(parseChord('60, 64,67', 48, 72)).toEqual([60, 64, 67])
    expect(parseChord('F#3 Bb4 c♯4 E♭4', 48, 72)).toEqual([54, 70, 61, 63])
    expect(parseChord('  ', 48, 72)).toEqual([])
  })
  it('names the wrong word, a note outside the range, and too many notes', () => {
    expect(() => parseChord('C4 H4', 48, 72)).toThrow(/"H4" is not a note/)
    expect(() => parseChord('C2', 48, 72)).toThrow(/C2 \(MIDI 36\) is outside the trained range MIDI 48…72/)
    expect(() => parseChord(Array(MAX_CHORD + 1).fill('60').join(' '), 48, 72)).toThrow(/at most 8/)
  })
})
