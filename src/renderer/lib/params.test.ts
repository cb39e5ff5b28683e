import { describe, expect, it } from 'vitest'
import { checkNumber, checkText, coerceParam, defaultValues, imageCount, normalizeParams, stepNumber, stepOf } from './params'
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

describe('number fields as typed', () => {
  it('accepts a value exactly as typed, never clamped or rounded', () => {
    expect(checkNumber(count, '5')).toEqual({ ok: true, value: 5 })
    expect(checkNumber(count, ' 64 ')).toEqual({ ok: true, value: 64 })
    expect(checkNumber(truncation, '.75')).toEqual({ ok: true, value: 0.75 })
    expect(checkNumber(truncation, '1e0')).toEqual({ ok: true, value: 1 })
  })

  it('says why a value cannot be sent: empty, not a number, not whole, out of range', () => {
    const err = (spec: ParamSpec, t: string) => {
      const c = checkNumber(spec, t)
      return c.ok ? null : c.error
    }
    expect(err(count, '')).toBe('Enter a whole number from 1 to 64')
    expect(err(count, '165')).toBe('165 is above the maximum: 1 to 64')
    expect(err(count, '1e9')).toBe('1e9 is above the maximum: 1 to 64')
    expect(err(count, '0')).toBe('0 is below the minimum: 1 to 64')
    expect(err(count, '2.5')).toBe('A whole number from 1 to 64')
    expect(err(truncation, '0.805')).toBeNull()
    expect(err(truncation, '9')).toMatch(/above the maximum: 0.5 to 4/)
    expect(err(truncation, '1,5')).toMatch(/not a number/)
    expect(err(truncation, '0x10')).toMatch(/not a number/)
    expect(err(truncation, '1e999')).toMatch(/not a number/)
  })

  it('refuses an empty prime (the model continues it) but not an empty stop list', () => {
    const prime: ParamSpec = { key: 'prime', label: 'Prime', type: 'text', maxLength: 100, default: 'It' }
    expect(checkText(prime, '')).toMatch(/Write a prime/)
    expect(checkText(prime, ' ')).toBeNull()
    expect(checkText(prompt, '')).toBeNull()
  })

  it('steps with the arrow keys by the manifest step, inside the range, without float dust', () => {
    expect(stepNumber(count, 64, 1)).toBe(64)
    expect(stepNumber(count, 5, -1)).toBe(4)
    expect(stepNumber({ ...truncation, step: 0.05 } as ParamSpec, 0.6, 1)).toBe(0.65)
    expect(stepNumber({ ...truncation, step: 0.25 } as ParamSpec, 0.75, 1)).toBe(1)
  })
})
