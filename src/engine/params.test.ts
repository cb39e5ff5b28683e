import { describe, expect, it } from 'vitest'
import type { ParamSpec } from '../common/manifest'
import { validateParams } from './params'

const specs: ParamSpec[] = [
  { key: 'count', label: 'Images', type: 'int', min: 1, max: 64, default: 16 },
  { key: 'truncation', label: 'Truncation', type: 'float', min: 0.5, max: 4, default: 2 },
  { key: 'style', label: 'Style', type: 'enum', options: ['a', 'b'], default: 'a' },
]
const hidden: ParamSpec[] = [{ key: 'batchSize', label: 'Batch', type: 'int', min: 1, max: 64, default: 8 }]

describe('validateParams', () => {
  it('fills defaults from the manifest so a recipe records every value used', () => {
    expect(validateParams(specs, { count: 4 })).toEqual({ ok: true, params: { count: 4, truncation: 2, style: 'a' }, hidden: {} })
  })

  it('accepts numeric strings (CLI --param key=value)', () => {
    const r = validateParams(specs, { count: '3', truncation: '1.5' })
    expect(r.ok && r.params).toMatchObject({ count: 3, truncation: 1.5 })
  })

  it('refuses out-of-range, wrong-type and unknown parameters with the key and the allowed range', () => {
    const r = validateParams(specs, { count: 65, truncation: 'x', style: 'c', colour: 1 })
    expect(r.ok).toBe(false)
    const error = !r.ok ? r.error : ''
    expect(error).toContain('parameter "count" is 65, allowed 1…64')
    expect(error).toContain('parameter "truncation" must be a number')
    expect(error).toContain('parameter "style" is "c", allowed: a, b')
    expect(error).toContain('unknown parameter "colour" (this model takes: count, truncation, style)')
    expect(validateParams(specs, { count: 2.5 }).ok).toBe(false)
  })

  it('refuses values that are neither numbers nor strings, and params that are not an object, in words (issue 17 item 9)', () => {
    for (const v of [null, {}, [], true]) {
      const r = validateParams(specs, { count: v, style: v } as never)
      expect(!r.ok && r.error).toBe(`parameter "count" must be a number, got ${JSON.stringify(v)}; parameter "style" must be text, got ${JSON.stringify(v)}`)
    }
    expect(validateParams(specs, [] as never)).toEqual({ ok: false, error: 'params must be an object of name → value, got []' })
  })

  it('keeps engine-only knobs out of the recorded params', () => {
    const r = validateParams(specs, { batchSize: 1 }, hidden)
    expect(r.ok && r.hidden).toEqual({ batchSize: 1 })
    expect(r.ok && r.params).not.toHaveProperty('batchSize')
    expect(validateParams(specs, { batchSize: 65 }, hidden).ok).toBe(false)
    expect(validateParams(specs, { batchSize: 2 }).ok).toBe(false) // not a hidden knob of this family
  })
})
