import { describe, expect, it } from 'vitest'
import { coerceParam, defaultValues, imageCount, normalizeParams, stepOf } from './params'
import { ganManifest } from './test-models'
import type { ParamSpec } from '../../common/manifest'

const specs = ganManifest().params
const [count, truncation] = specs
const style: ParamSpec = { key: 'style', label: 'Style', type: 'enum', options: ['a', 'b'], default: 'a' }
const prompt: ParamSpec = { key: 'prompt', label: 'Prompt', type: 'text', maxLength: 5, default: 'hi' }

describe('parameter panel values', () => {
  it('starts from the manifest defaults', () => {
    expect(defaultValues(specs)).toEqual({ count: count.default, truncation: truncation.default })
  })

  it('clamps numbers into range and rounds ints, so the engine never gets a value the manifest forbids', () => {
    expect(coerceParam(count, 500).value).toBe(64)
    expect(coerceParam(count, 0).value).toBe(1)
    expect(coerceParam(count, 7.6).value).toBe(8)
    expect(coerceParam(count, '12').value).toBe(12)
    expect(coerceParam(truncation, 0.1).value).toBe(0.5)
    expect(coerceParam(truncation, 1.25)).toEqual({ value: 1.25, changed: false })
  })

  it('falls back to the default for unreadable input', () => {
    expect(coerceParam(count, 'lots')).toEqual({ value: 16, changed: true })
    expect(coerceParam(count, '')).toEqual({ value: 16, changed: true })
    expect(coerceParam(truncation, Number.NaN).value).toBe(2)
    expect(coerceParam(style, 'c')).toEqual({ value: 'a', changed: true })
    expect(coerceParam(style, 'b')).toEqual({ value: 'b', changed: false })
    expect(coerceParam(prompt, 'abcdefgh')).toEqual({ value: 'abcde', changed: true })
    expect(coerceParam(prompt, 3).value).toBe('hi')
  })

  it('normalises a foreign value set: unknown keys dropped, missing ones defaulted, each change explained', () => {
    const r = normalizeParams(specs, { count: 99, extra: 1 })
    expect(r.values).toEqual({ count: 64, truncation: 2 })
    expect(r.notes.some((n) => n.includes('99'))).toBe(true)
    expect(r.notes.some((n) => n.includes('extra'))).toBe(true)
    expect(r.notes.some((n) => n.includes('Truncation'))).toBe(true)
    expect(normalizeParams(specs, { count: 3, truncation: 1.5 })).toEqual({ values: { count: 3, truncation: 1.5 }, notes: [] })
  })

  it('uses the manifest step, else a round step a slider can hit', () => {
    expect(stepOf(truncation)).toBe(0.05)
    expect(stepOf(count)).toBe(1)
    expect(stepOf({ ...truncation, step: undefined, min: 0, max: 4 } as ParamSpec)).toBe(0.01)
  })

  it('counts images from the count parameter', () => {
    expect(imageCount({ count: 9 })).toBe(9)
    expect(imageCount({})).toBe(1)
  })
})
