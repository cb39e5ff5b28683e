import { describe, expect, it } from 'vitest'
import { summaryOf } from '../lib/test-models'
import { Catalog } from './Catalog.svelte'
import { ParamForm } from './ParamForm.svelte'

const gan = summaryOf('gan-a')
const other = summaryOf('gan-b')

describe('parameter form', () => {
  it('shows defaults and keeps each model’s values while switching', () => {
    const f = new ParamForm()
    f.load(gan.id, gan.params)
    expect(f.get('count')).toBe(16)
    expect(f.text('count')).toBe('16')
    f.setText('count', '5')
    expect(f.get('count')).toBe(5)
    f.load(other.id, other.params)
    expect(f.get('count')).toBe(16)
    f.set('truncation', 3.5)
    expect(f.text('truncation')).toBe('3.5') // a slider move shows in the number field
    f.load(gan.id, gan.params)
    expect(f.get('count')).toBe(5)
    expect(f.get('truncation')).toBe(2) // gan-b's edit stayed with gan-b
    expect(f.snapshot()).toEqual({ count: 5, truncation: 2 })
  })

  it('keeps a cleared or out-of-range field as typed, says why, and blocks the job until it is fixed', () => {
    const f = new ParamForm()
    f.load(gan.id, gan.params)
    f.setText('count', '')
    expect(f.text('count')).toBe('') // not snapped back to 16
    expect(f.error('count')).toBe('Enter a whole number from 1 to 64')
    expect(f.problem).toBe('Images: Enter a whole number from 1 to 64')
    f.setText('count', '165')
    expect(f.text('count')).toBe('165') // not clamped to 64 behind the user's back
    expect(f.problem).toMatch(/^Images: 165 is above the maximum/)
    f.setText('count', '5')
    expect(f.problem).toBeNull()
    expect(f.snapshot().count).toBe(5)
    f.seedText = 'x'
    expect(f.problem).toMatch(/^Seed: /)
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
