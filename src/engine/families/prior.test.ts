/**
 * The shipped VAE and VAE-GAN for real: both graphs match PyTorch's golden pairs, and sampling from
 * the prior behaves as the GAN does for a user — a tile is the decoder's image of
 * z = latentForSeed(seed + i, latentSize, 4) × temperature, same seed same bytes, any tile alone from
 * its seed, and temperature really changes the images.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latentForSeed } from '../../common/rng'
import { runJob, SHIPPED_DIR, startEngine } from '../testing'
import { decodeTensor, goldenFeeds, maxAbsDiff, openModel, readGoldens, readManifest } from '../testing-golden'
import { imageToRgba } from './image'

const MODELS_DIR = SHIPPED_DIR
const PRIOR_MODELS = ['vae-emoji', 'vaegan-emoji']

describe.each(PRIOR_MODELS)('%s', (id) => {
  const dir = join(MODELS_DIR, id)
  if (!existsSync(join(dir, 'model.json'))) {
    // Loud on purpose: these models are part of the product, a missing export must not pass as green.
    it('is exported', () => expect.fail(`${dir}/model.json is missing: export the model (training/) before shipping`))
    return
  }
  const manifest = readManifest(dir)
  const temperatureSpec = manifest.params.find((p) => p.key === 'temperature')
  const defaultTemperature = temperatureSpec?.type === 'float' ? temperatureSpec.default : 1

  it('reproduces PyTorch on the encoder and the decoder within golden.atol', async () => {
    const goldens = readGoldens(dir)
    expect(goldens.map((g) => g.graph).sort()).toEqual(expect.arrayContaining(['decoder', 'encoder']))
    const model = await openModel(MODELS_DIR, id)
    for (const g of goldens) {
      expect(g.cases.length, g.graph).toBeGreaterThan(0)
      for (const c of g.cases) {
        const out = await model.sessions[g.graph].run(goldenFeeds(c.inputs))
        for (const [name, want] of Object.entries(c.outputs)) {
          expect(out[name].dims, `${g.graph}.${name}`).toEqual(want.shape)
          expect(maxAbsDiff(out[name].data as Float32Array, decodeTensor(want)), `${g.graph}.${name}`).toBeLessThanOrEqual(g.atol)
        }
      }
    }
    await model.dispose()
  })

  describe('sampling the prior through the engine host', () => {
    const engine = startEngine([{ dir: MODELS_DIR, source: 'shipped' }])
    beforeAll(() => engine.start())
    afterAll(() => engine.stop())
    const gen = (seed: number, params: Record<string, number> = {}) =>
      runJob(engine, { modelId: id, seed, params: { count: 4, ...params }, ep: 'cpu' })
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b))

    it('streams one tile per image with its own seed: the decoder image of its seed’s latent', async () => {
      const o = await gen(7)
      expect(o.failed).toBeUndefined()
      const { width, height } = manifest.image!
      expect(o.images.map((i) => [i.index, i.seed, i.width, i.height, i.rgba.length, i.step])).toEqual(
        [0, 1, 2, 3].map((i) => [i, 7 + i, width, height, width * height * 4, undefined]),
      )
      expect(o.done?.recipe).toMatchObject({ modelId: id, seed: 7, params: { count: 4, temperature: defaultTemperature }, ep: 'cpu' })
      // The seed means what the docs say: decode z for seed 9 directly and compare with tile 2.
      const n = manifest.latentSize!
      const z = latentForSeed(9, n, 4).map((v) => v * defaultTemperature)
      const model = await openModel(MODELS_DIR, id)
      const graph = manifest.graphs.decoder
      const out = await model.sessions.decoder.run({ [graph.inputs[0].name]: new ort.Tensor('float32', z, [1, n]) })
      expect(same(imageToRgba(out[graph.outputs[0].name].data as Float32Array, 0, manifest.image!), o.images[2].rgba)).toBe(true)
      await model.dispose()
    })

    it('gives identical bytes for the same seed, and any tile alone from its seed', async () => {
      const [a, b, c] = [await gen(7), await gen(7), await gen(8)]
      expect(a.images.map((i) => Buffer.from(i.rgba))).toEqual(b.images.map((i) => Buffer.from(i.rgba)))
      expect(same(c.images[0].rgba, a.images[0].rgba)).toBe(false)
      const grid = await gen(7, { count: 5, batchSize: 2 })
      const alone = await gen(9, { count: 1 })
      expect(same(alone.images[0].rgba, grid.images[2].rgba)).toBe(true)
    })

    it('temperature changes the images (it scales the latent)', async () => {
      const spec = temperatureSpec
      if (spec?.type !== 'float') return expect.fail('model.json params: temperature must be a float parameter')
      const [lo, hi] = [spec.min, spec.max]
      const a = await gen(7, { count: 1, temperature: lo })
      const b = await gen(7, { count: 1, temperature: hi })
      expect(same(a.images[0].rgba, b.images[0].rgba)).toBe(false)
    })
  })
})
