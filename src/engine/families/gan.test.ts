/**
 * The shipped GAN for real: ONNX parity with PyTorch's golden outputs, and what a user relies on
 * when generating — same seed same pixels, every tile reproducible from its own seed, a recipe that
 * pins the weights, and clear refusals for bad parameters.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GAN_ID, runJob, SHIPPED_DIR, startEngine } from '../testing'
import { decodeTensor, goldenFeeds, maxAbsDiff, openModel, readGoldens, readManifest } from '../testing-golden'

const dir = join(SHIPPED_DIR, GAN_ID)
const manifest = readManifest(dir)
const defaultOf = (key: string) => manifest.params.find((p) => p.key === key)?.default

describe(`golden parity (${GAN_ID})`, () => {
  it('ONNX Runtime reproduces every PyTorch golden case within golden.atol', async () => {
    const [golden] = readGoldens(dir)
    expect(golden.cases.length).toBeGreaterThan(0)
    // The engine's own loading path (registry + session cache: same options, signature check).
    const model = await openModel(SHIPPED_DIR, GAN_ID)
    const session = model.sessions[golden.graph]
    for (const c of golden.cases) {
      const out = await session.run(goldenFeeds(c.inputs))
      for (const [name, want] of Object.entries(c.outputs)) {
        expect(out[name].dims).toEqual(want.shape)
        expect(maxAbsDiff(out[name].data as Float32Array, decodeTensor(want))).toBeLessThanOrEqual(golden.atol)
      }
    }
    await model.dispose()
  })
})

describe(`generating with ${GAN_ID} through the engine host`, () => {
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }])
  beforeAll(() => engine.start())
  afterAll(() => engine.stop())
  const gen = (seed: number, params: Record<string, number | string> = {}) =>
    runJob(engine, { modelId: GAN_ID, seed, params: { count: 4, ...params }, ep: 'cpu' })

  it('streams one RGBA tile per image with its own seed, then a recipe pinning the weights', async () => {
    const o = await gen(7)
    expect(o.failed).toBeUndefined()
    const { width, height } = manifest.image!
    expect(o.images.map((i) => [i.index, i.seed, i.width, i.height, i.rgba.length])).toEqual(
      [0, 1, 2, 3].map((i) => [i, 7 + i, width, height, width * height * 4]),
    )
    expect(o.images.every((i) => i.rgba.every((v, k) => k % 4 !== 3 || v === 255))).toBe(true)
    expect(o.progress.at(-1)).toMatchObject({ done: 4, total: 4 })

    const files = Object.keys(manifest.graphs).sort().map((r) => readFileSync(join(dir, manifest.graphs[r].file)))
    const hash = createHash('sha256').update(Buffer.concat(files)).digest('hex').slice(0, 16)
    const listed = (await engine.invoke('models/list', undefined)).find((m) => m.id === GAN_ID)
    expect(listed?.hash).toBe(hash)
    expect(o.done?.ep).toBe('cpu')
    expect(o.done?.recipe).toEqual({
      app: 'latent-studio', appVersion: '0.0.0-test', modelId: GAN_ID, modelHash: hash, seed: 7,
      params: { count: 4, truncation: defaultOf('truncation') }, ep: 'cpu', epPref: 'cpu',
    })
  })

  it('gives identical bytes for the same seed, different ones for another seed', async () => {
    const [a, b, c] = [await gen(7), await gen(7), await gen(8)]
    expect(a.images.map((i) => Buffer.from(i.rgba))).toEqual(b.images.map((i) => Buffer.from(i.rgba)))
    for (let i = 0; i < 4; i++) expect(Buffer.from(c.images[i].rgba).equals(Buffer.from(a.images[i].rgba))).toBe(false)
  })

  it('reproduces any tile of a grid alone from its seed, whatever the batch size', async () => {
    const grid = await gen(7, { count: 5, batchSize: 2 })
    const alone = await gen(9, { count: 1 })
    expect(Buffer.from(alone.images[0].rgba).equals(Buffer.from(grid.images[2].rgba))).toBe(true)
  })

  it('truncation changes the images (it is really fed to the latent)', async () => {
    const a = await gen(7, { count: 1, truncation: 0.5 })
    const b = await gen(7, { count: 1, truncation: 4 })
    expect(Buffer.from(a.images[0].rgba).equals(Buffer.from(b.images[0].rgba))).toBe(false)
  })

  it('refuses bad parameters, seeds and models with a message naming what is wrong', async () => {
    const range = await gen(7, { truncation: 9 })
    expect(range.failed?.error).toMatch(/parameter "truncation" is 9, allowed/)
    expect((await gen(7, { colour: 1 })).failed?.error).toMatch(/unknown parameter "colour"/)
    expect((await gen(-1)).failed?.error).toMatch(/seed must be a whole number/)
    const none = await runJob(engine, { modelId: 'no-such-model', seed: 1, params: {} })
    expect(none.failed?.error).toMatch(new RegExp(`no model "no-such-model" \\(available: .*${GAN_ID}`))
    expect(range.failed?.cancelled).toBe(false)
  })
})
