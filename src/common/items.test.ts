/** One item's recipe: chain frames that are prefixes of a shorter chain say so; last frames keep the job's params. */
import { describe, expect, it } from 'vitest'
import { audioItemRecipe, imageItemRecipe } from './items'
import type { Recipe } from './recipe'

const job = (params: Recipe['params']): Recipe => ({ app: 'latent-studio', appVersion: '0', modelId: 'm', modelHash: '0123456789abcdef', seed: 9, params, ep: 'cpu' })

describe('imageItemRecipe', () => {
  it('gives an RBM frame at step k the recipe of the chain run for k steps, and the last frame the job’s', () => {
    expect(imageItemRecipe(job({ count: 4, steps: 300 }), { index: 1, step: 20 })).toMatchObject({ seed: 10, params: { count: 1, steps: 20 } })
    expect(imageItemRecipe(job({ count: 4, steps: 300 }), { index: 0, step: 300 }).params).toEqual({ count: 1, steps: 300 })
  })

  it('keeps a Deep Dream result’s params: its last frame counts the steps of every octave', () => {
    const dream = { layers: 'mixed4', octaves: 4, steps: 10, maxSide: 512 }
    expect(imageItemRecipe(job(dream), { index: 0, step: 40 }).params).toEqual(dream)
    expect(imageItemRecipe(job(dream), { index: 0 }).params).toEqual(dream)
  })
})

describe('audioItemRecipe', () => {
  it('gives voice i of a chord the recipe of its note alone (seed + i, its pitch, no chord); other jobs keep their params', () => {
    const chord = job({ pitch: 60, chord: 'C4 E4 G4', voices: 1 })
    expect(audioItemRecipe(chord, { index: 2 })).toMatchObject({ seed: 11, params: { pitch: 67, chord: '', voices: 1 } })
    expect(audioItemRecipe(job({ pitch: 60, voices: 3 }), { index: 1 })).toMatchObject({ seed: 10, params: { pitch: 60, voices: 1 } })
    expect(audioItemRecipe(job({ pitch: 60, voices: 1 }), { index: 1, params: { pitch: 62 } }).params.pitch).toBe(62)
  })
})
