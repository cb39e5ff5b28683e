import { describe, expect, it } from 'vitest'
import { summaryOf } from '../lib/test-models'
import { Catalog } from './Catalog.svelte'
import { ParamForm } from './ParamForm.svelte'

const gan = summaryOf('gan-a')
const other = summaryOf('gan-b')

describe('parameter form', () => {
  it('shows defaults, keeps each model’s values while switching, and sends clamped values', () => {
    const f = new ParamForm()
    f.load(gan.id, gan.params)
    expect(f.get('count')).toBe(16)
    f.set('count', 200) // typed, not yet committed
    expect(f.get('count')).toBe(200)
    f.set('truncation', null) // a cleared field keeps the last value
    expect(f.get('truncation')).toBe(2)
    f.load(other.id, other.params)
    expect(f.get('count')).toBe(16)
    f.set('truncation', 3.5)
    f.load(gan.id, gan.params)
    expect(f.get('count')).toBe(64) // remembered, and made valid on the way back
    expect(f.get('truncation')).toBe(2) // gan-b's edit stayed with gan-b
    f.set('count', 0)
    expect(f.snapshot()).toEqual({ count: 1, truncation: 2 })
    expect(f.get('count')).toBe(1) // the panel shows what was sent
  })

  it('takes a restored recipe’s values over remembered ones, and parses the seed', () => {
    const f = new ParamForm()
    f.load(gan.id, gan.params)
    f.set('count', 5)
    f.load(gan.id, gan.params, { count: 1, truncation: 0.75 })
    expect(f.snapshot()).toEqual({ count: 1, truncation: 0.75 })
    f.setSeed(77)
    expect(f.seed).toBe(77)
    f.seedText = 'x'
    expect(f.seed).toBeNull()
    f.randomizeSeed()
    expect(f.seed).not.toBeNull()
  })
})

describe('model catalog', () => {
  it('never selects a broken model and keeps the selection across a rescan', () => {
    const c = new Catalog()
    const broken = summaryOf('a-broken', { error: 'generator.onnx: bad' })
    c.set([broken, gan, other])
    expect(c.selected?.id).toBe('gan-a')
    expect(c.select('a-broken')).toBe(false)
    expect(c.select('gan-b')).toBe(true)
    c.set([gan, other])
    expect(c.selected?.id).toBe('gan-b')
    c.set([gan])
    expect(c.selected?.id).toBe('gan-a')
  })
})
