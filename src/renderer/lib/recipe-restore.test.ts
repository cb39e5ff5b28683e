import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { encodePng } from '../../common/png'
import { RECIPE_KEY, type Recipe } from '../../common/recipe'
import { encodeTilePng } from './png-export'
import { imageItemRecipe } from '../../common/items'
import { restoreFromPng } from './recipe-restore'
import { summaryOf } from './test-models'

const models = [summaryOf('dcgan-test'), summaryOf('broken-gan', { error: 'generator.onnx: not an ONNX model' })]
const base: Recipe = {
  app: 'latent-studio',
  appVersion: '0.1.0',
  modelId: 'dcgan-test',
  modelHash: '0123456789abcdef',
  seed: 100,
  params: { count: 16, truncation: 1.25 },
  ep: 'cpu',
}
const pixel = { width: 1, height: 1, rgba: Uint8Array.of(10, 20, 30, 255) }
const pngWith = (text: Record<string, string>) => encodePng(pixel.rgba, 1, 1, text, (d) => deflateSync(d))

describe('restoring a dropped PNG', () => {
  it('an exported tile restores its model, its own seed, its params and count 1', async () => {
    const png = await encodeTilePng(pixel, 2, imageItemRecipe(base, { index: 7 }))
    const r = restoreFromPng('tile.png', png, models)
    expect(r).toMatchObject({ ok: true, seed: 107, params: { count: 1, truncation: 1.25 }, notes: [] })
    expect(r.ok && r.model.id).toBe('dcgan-test')
  })

  it('a recipe with an index means seed + index', async () => {
    const r = restoreFromPng('x.png', await pngWith({ [RECIPE_KEY]: JSON.stringify({ ...base, index: 5 }) }), models)
    expect(r.ok && r.seed).toBe(105)
  })

  it('seed + index wraps to uint32 like the engine (4294967295 with index 5 is seed 4)', async () => {
    const r = restoreFromPng('x.png', await pngWith({ [RECIPE_KEY]: JSON.stringify({ ...base, seed: 4294967295, index: 5 }) }), models)
    expect(r.ok && r.seed).toBe(4)
  })

  it('a 300 KB text chunk beside the recipe reads without overflowing the stack', async () => {
    const png = await pngWith({ Comment: 'x'.repeat(300_000), [RECIPE_KEY]: JSON.stringify(base) })
    const r = restoreFromPng('big.png', png, models)
    expect(r.ok && r.seed).toBe(100)
  })

  it('out-of-range values are clamped and other weights are reported, not refused', async () => {
    const recipe = { ...base, modelHash: 'ffffffffffffffff', params: { count: 500, truncation: 1 } }
    const r = restoreFromPng('x.png', await pngWith({ [RECIPE_KEY]: JSON.stringify(recipe) }), models)
    expect(r.ok && r.params).toEqual({ count: 64, truncation: 1 })
    expect(r.ok && r.notes.join('\n')).toMatch(/other weights[\s\S]*500/)
  })

  it('refuses, naming the file, a PNG without a recipe, a non-PNG and a damaged recipe', async () => {
    const plain = restoreFromPng('holiday.png', await pngWith({ Comment: 'hi' }), models)
    expect(plain).toEqual({ ok: false, error: expect.stringMatching(/holiday\.png.*no Latent Studio recipe/) })
    const text = restoreFromPng('notes.txt', new TextEncoder().encode('hello there'), models)
    expect(text).toEqual({ ok: false, error: expect.stringMatching(/notes\.txt is not a readable PNG/) })
    const junk = restoreFromPng('j.png', await pngWith({ [RECIPE_KEY]: '{"app":"other"}' }), models)
    expect(junk).toEqual({ ok: false, error: expect.stringMatching(/j\.png has a damaged recipe/) })
  })

  it('refuses a recipe for a model that is not installed or cannot load', async () => {
    const missing = restoreFromPng('m.png', await pngWith({ [RECIPE_KEY]: JSON.stringify({ ...base, modelId: 'gone' }) }), models)
    expect(missing).toEqual({ ok: false, error: expect.stringMatching(/m\.png.*"gone".*not installed/) })
    const broken = restoreFromPng('b.png', await pngWith({ [RECIPE_KEY]: JSON.stringify({ ...base, modelId: 'broken-gan' }) }), models)
    expect(broken).toEqual({ ok: false, error: expect.stringMatching(/cannot load: generator\.onnx/) })
  })
})
