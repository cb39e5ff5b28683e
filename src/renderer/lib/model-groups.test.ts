import { describe, expect, it } from 'vitest'
import { firstUsable, groupByFamily } from './model-groups'
import { summaryOf } from './test-models'

describe('model browser groups', () => {
  const models = [
    summaryOf('zz-broken', { error: 'model.json: latentSize: required', family: 'unknown' }),
    summaryOf('b-gan', { error: 'generator.onnx: not an ONNX file' }),
    summaryOf('c-gan'),
    summaryOf('a-vae', { family: 'vae' }),
  ]

  it('groups by family in a fixed order, unreadable models last, broken ones after usable ones', () => {
    const g = groupByFamily(models)
    expect(g.map((x) => x.label)).toEqual(['GAN', 'VAE', 'Unreadable'])
    expect(g[0].models.map((m) => m.id)).toEqual(['c-gan', 'b-gan'])
  })

  it('names the image families as a user reads them', () => {
    const all = (['rbm', 'vaegan', 'vae', 'gan'] as const).map((family) => summaryOf(`m-${family}`, { family }))
    expect(groupByFamily(all).map((x) => x.label)).toEqual(['GAN', 'VAE', 'VAE-GAN', 'RBM'])
  })

  it('never picks a broken model by default', () => {
    expect(firstUsable(models)?.id).toBe('c-gan')
    expect(firstUsable([models[0], models[1]])).toBeNull()
  })
})
