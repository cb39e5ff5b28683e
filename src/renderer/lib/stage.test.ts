import { describe, expect, it } from 'vitest'
import { stageText } from './stage'

describe('stageText', () => {
  it('says what the engine does and how far, with thousands separated', () => {
    expect(stageText({ label: 'reading the prime', unit: 'characters', done: 12_000, total: 20_000 })).toBe('Reading the prime… 12,000 / 20,000 characters')
    expect(stageText({ label: 'reading the prime', unit: 'characters', done: 0, total: 7 })).toBe('Reading the prime… 0 / 7 characters')
  })
})
