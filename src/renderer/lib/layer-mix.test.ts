import { describe, expect, it } from 'vitest'
import { readLayerMix, writeLayerMix } from './layer-mix'

const LAYERS = ['mixed0', 'mixed1', 'mixed2', 'mixed3', 'mixed4', 'mixed5']

describe('layer mix text ⇄ sliders', () => {
  it('reads the text the engine reads, and writes it back in model order', () => {
    expect(readLayerMix('mixed3:1, mixed4:0.5', LAYERS)).toEqual({ ok: true, weights: [0, 0, 0, 1, 0.5, 0] })
    expect(readLayerMix('mixed5', LAYERS)).toEqual({ ok: true, weights: [0, 0, 0, 0, 0, 1] })
    expect(writeLayerMix([0, 0, 0, 1, 0.5, 0], LAYERS)).toBe('mixed3:1,mixed4:0.5')
    expect(writeLayerMix([0.333333, 0, 0, 0, 0, 0], LAYERS)).toBe('mixed0:0.33')
    expect(writeLayerMix([0, 0, 0, 0, 0, 0], LAYERS)).toBe('')
  })

  it('says what it cannot read, as the engine would', () => {
    expect(readLayerMix('mixed9:1', LAYERS)).toEqual({ ok: false, error: '"mixed9" is not a layer of this model (it has: mixed0, mixed1, mixed2, mixed3, mixed4, mixed5)' })
    expect(readLayerMix('mixed3:1,mixed3:2', LAYERS)).toMatchObject({ ok: false, error: '"mixed3" is named twice' })
    expect(readLayerMix('mixed3:lots', LAYERS)).toMatchObject({ ok: false, error: 'the weight of mixed3 must be a number, got "lots"' })
    expect(readLayerMix('mixed3 mixed4', LAYERS)).toMatchObject({ ok: false })
  })
})
