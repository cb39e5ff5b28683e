/**
 * The shipped GAN for real: ONNX parity with PyTorch's golden outputs, and what a user relies on
 * when generating — same seed same pixels, every tile reproducible from its own seed, a recipe that
 * pins the weights, and clear refusals for bad parameters.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseManifest, type Manifest } from '../../common/manifest'
import { ModelRegistry } from '../registry'
import { SessionCache } from '../sessions'
import { GAN_ID, runJob, SHIPPED_DIR, startEngine } from '../testing'

const dir = join(SHIPPED_DIR, GAN_ID)
const manifest = (() => {
  const r = parseManifest(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')))
  if (!r.ok) throw new Error(r.errors.join('; '))
  return r.value as Manifest
})()
const defaultOf = (key: string) => manifest.params.find((p) => p.key === key)?.default

type T = { dtype: 'float32'; shape: number[]; b64: string }
const decode = (t: T) => {
  const b = Buffer.from(t.b64, 'base64')
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))
}

describe(`golden parity (${GAN_ID})`, () => {
  it('ONNX Runtime reproduces every PyTorch golden case within golden.atol', async () => {
    const golden = JSON.parse(readFileSync(join(dir, 'golden.json'), 'utf8')) as {
      graph: string
      atol: number
      cases: { inputs: Record<string, T>; outputs: Record<string, T> }[]
    }
    expect(golden.cases.length).toBeGreaterThan(0)
    // The engine's own loading path (registry + session cache: same options, signature check).
    const registry = new ModelRegistry([{ dir: SHIPPED_DIR, source: 'shipped' }])
    await registry.scan()
    const cache = new SessionCache(registry, { threads: 2 })
    const session = (await cache.load(registry.get(GAN_ID)!, 'cpu')).sessions[golden.graph]
    for (const c of golden.cases) {
      const feeds = Object.fromEntries(Object.entries(c.inputs).map(([n, t]) => [n, new ort.Tensor('float32', decode(t), t.shape)]))
      const out = await session.run(feeds)
      for (const [name, want] of Object.entries(c.outputs)) {
        const got = out[name]
        expect(got.dims).toEqual(want.shape)
        const w = decode(want)
        const g = got.data as Float32Array
        let max = 0
        for (let i = 0; i < w.length; i++) max = Math.max(max, Math.abs(g[i] - w[i]))
        expect(max).toBeLessThanOrEqual(golden.atol)
      }
    }
    await cache.disposeAll()
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
