/** A key on the on-screen keyboard plays its own note even with a chord typed in the panel (Generate plays that). */
import { describe, expect, it } from 'vitest'
import { keyParams } from './KeyNotes.svelte'

describe('keyParams', () => {
  it('drops a typed chord and keeps every other param; a model without chords is untouched', () => {
    expect(keyParams({ pitch: 62, chord: 'C4 E4 G4', seconds: 1 })).toEqual({ pitch: 62, chord: '', seconds: 1 })
    const plain = { pitch: 62, seconds: 1 }
    expect(keyParams(plain)).toBe(plain)
  })
})
