/**
 * The shipped Deep Dream model for real: its gradient graph reproduces PyTorch autograd (golden pairs),
 * the worker thread gives the host session's numbers, and a dream through the engine host streams a
 * preview per step, ends full size, changes the photo, repeats byte for byte, cancels within 100 ms and
 * refuses bad photos with the decoder's message.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobRequest } from '../../common/contract'
import { parseManifest } from '../../common/manifest'
import { tileGradFor } from '../dream/grad-source'
import { GradWorker } from '../dream/grad-worker'
import { decodePhoto } from '../image-input'
import { runJob, SHIPPED_DIR, startEngine } from '../testing'
import { decodeTensor, goldenFeeds, maxAbsDiff, openModel, readGoldens, readManifest } from '../testing-golden'
import { PREVIEW_SIDE } from './deepdream'
import type { RunContext } from './types'

const MODELS = SHIPPED_DIR
const ID = 'deepdream-inception'
const dir = join(MODELS, ID)
const manifest = readManifest(dir)
const photo = new Uint8Array(readFileSync(join(dir, 'photos', 'chelsea.jpg')))

describe(`golden parity (${ID})`, () => {
  it('reproduces PyTorch autograd: loss and d loss / d image within golden.atol', async () => {
    const [golden] = readGoldens(dir)
    expect(golden.graph).toBe('grad')
    const model = await openModel(MODELS, ID)
    for (const c of golden.cases) {
      const out = await model.sessions.grad.run(goldenFeeds(c.inputs))
      expect(out.grad.dims).toEqual(c.outputs.grad.shape)
      expect(maxAbsDiff(out.grad.data as Float32Array, decodeTensor(c.outputs.grad))).toBeLessThanOrEqual(golden.atol)
      expect(maxAbsDiff(out.loss.data as Float32Array, decodeTensor(c.outputs.loss))).toBeLessThanOrEqual(golden.atol)
    }
    await model.dispose()
  })

  it('gives the same gradient in the worker thread as in the host session, to the bit', async () => {
    const [golden] = readGoldens(dir)
    const model = await openModel(MODELS, ID)
    const worker = await GradWorker.open(join(dir, manifest.graphs.grad.file), { ep: 'cpu', threads: 2 })
    try {
      for (const c of golden.cases) {
        const [, , h, w] = c.inputs.image.shape
        const host = (await model.sessions.grad.run(goldenFeeds(c.inputs))).grad.data as Float32Array
        const off = await worker.grad(decodeTensor(c.inputs.image), h, w, decodeTensor(c.inputs.weights))
        expect(Buffer.from(off.buffer).equals(Buffer.from(host.buffer, host.byteOffset, host.byteLength))).toBe(true)
      }
    } finally {
      await worker.close()
      await model.dispose()
    }
  })

  it('falls back to the host session, saying so, when the worker cannot load the graph', async () => {
    const [golden] = readGoldens(dir)
    const c = golden.cases[0]
    const model = await openModel(MODELS, ID)
    const warnings: string[] = []
    const ctx = {
      model: { sessions: model.sessions, ep: 'cpu', hash: '', warnings: [], notes: [], origin: { files: { grad: join(dir, 'missing.onnx') }, threads: 1 } },
      warn: (w: string) => warnings.push(w),
      checkpoint: async () => {},
    } as unknown as RunContext
    try {
      const tileGrad = await tileGradFor(ctx, decodeTensor(c.inputs.weights))
      const [, , h, w] = c.inputs.image.shape
      expect(maxAbsDiff(await tileGrad(decodeTensor(c.inputs.image), h, w), decodeTensor(c.outputs.grad))).toBeLessThanOrEqual(golden.atol)
      expect(warnings).toEqual([expect.stringMatching(/gradient worker could not load .*missing.onnx.*; dreaming on the engine thread instead/)])
    } finally {
      await model.dispose()
    }
  })
})

describe('the deepdream manifest', () => {
  it('is refused when its layers do not match the graph, or its sizes do not fit', () => {
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'))
    expect(parseManifest(json)).toMatchObject({ ok: true, value: { layers: ['mixed0', 'mixed1', 'mixed2', 'mixed3', 'mixed4', 'mixed5'], input: { range: [-1, 1] } } })
    const errors = (patch: object) => { const r = parseManifest({ ...json, ...patch }); return r.ok ? [] : r.errors }
    expect(errors({ layers: ['mixed0', 'mixed1'] })).toEqual([expect.stringMatching(/layers: 2 names, but graphs.grad input "weights" has shape \[6\]/)])
    expect(errors({ tile: 40 })).toEqual([expect.stringMatching(/tile: .*64/)])
    expect(errors({ input: { ...json.input, minSide: 600 }, minOctaveSide: 600 })).toEqual([expect.stringMatching(/input.minSide: 600 is larger than tile 512/)])
    expect(errors({ input: undefined })).toEqual([expect.stringMatching(/input: required for family "deepdream"/)])
    expect(errors({ photos: [{ file: '../../etc/passwd', title: 'x', license: 'y' }] })).toEqual([expect.stringMatching(/photos.0.file: photos\/<name>/)])
  })
})

/** Mean |a − b| over RGB of two RGBA images of the same size, in 0..255 units. */
function meanDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0
  let n = 0
  for (let i = 0; i < a.length; i++) if (i % 4 !== 3) (s += Math.abs(a[i] - b[i])), n++
  return s / n
}

describe(`dreaming with ${ID} through the engine host`, () => {
  const engine = startEngine([{ dir: MODELS, source: 'shipped' }], { host: { modelDirs: [{ dir: MODELS, source: 'shipped' }], appVersion: '0.0.0-test', threads: 2 } })
  beforeAll(() => engine.start())
  afterAll(() => engine.stop())
  // 160 px keeps a test dream to seconds: chelsea (451×300) becomes 160×106, octaves 114×76 and 160×106.
  const small = { maxSide: 160, octaves: 2, steps: 3 }
  const dream = (seed: number, params: JobRequest['params'] = small, bytes = photo, hooks?: Parameters<typeof runJob>[2]) =>
    runJob(engine, { modelId: ID, seed, params, ep: 'cpu', inputs: { photo: { kind: 'image', bytes, fileName: 'chelsea.jpg' } } }, hooks)

  it('streams a preview after every step, then the full-size result, and the recipe names the photo', async () => {
    const o = await dream(3)
    expect(o.failed).toBeUndefined()
    const want = await decodePhoto(photo, { maxSide: 160 })
    expect(o.images.map((f) => f.step)).toEqual([1, 2, 3, 4, 5, 6])
    const last = o.images.at(-1)!
    expect([last.width, last.height]).toEqual([want.width, want.height])
    expect(o.images.every((f) => Math.max(f.width, f.height) <= PREVIEW_SIDE && f.seed === 3 && f.index === 0)).toBe(true)
    expect(o.progress.at(-1)).toMatchObject({ done: 6, total: 6 })
    expect(o.done?.recipe).toMatchObject({ modelId: ID, seed: 3, params: { ...small, layers: 'mixed3:1,mixed4:0.5' }, inputs: { photo: { kind: 'image', size: photo.length, fileName: 'chelsea.jpg' } } })
    expect(o.done?.recipe.inputs?.photo.sha256).toMatch(/^[0-9a-f]{64}$/)
    // The dream moves away from the photo, further with more steps.
    const rgba = new Uint8Array(want.width * want.height * 4).map((_, i) => (i % 4 === 3 ? 255 : Math.round(want.data[(i % 4) * want.width * want.height + (i >> 2)] * 255)))
    const longer = await dream(3, { ...small, steps: 6 })
    const [d6, d12] = [meanDiff(last.rgba, rgba), meanDiff(longer.images.at(-1)!.rgba, rgba)]
    console.log(`mean |dream − photo| (of 255): ${d6.toFixed(2)} after 6 steps, ${d12.toFixed(2)} after 12`)
    expect(d6).toBeGreaterThan(1)
    expect(d12).toBeGreaterThan(1.2 * d6)
  })

  it('gives the same bytes for the same photo, recipe and seed, and other bytes for another seed', async () => {
    const [a, b, c] = [await dream(7), await dream(7), await dream(8)]
    expect(a.images.length).toBe(b.images.length)
    a.images.forEach((f, i) => expect(Buffer.from(f.rgba).equals(Buffer.from(b.images[i].rgba)), `step ${f.step}`).toBe(true))
    expect(Buffer.from(a.images.at(-1)!.rgba).equals(Buffer.from(c.images.at(-1)!.rgba))).toBe(false)
  })

  it('cancels within 100 ms, even while a 512 px tile is computing', async () => {
    let cancelledAt = 0
    const o = await dream(1, { maxSide: 512, octaves: 1, steps: 20 }, photo, {
      onPartial: (o) => {
        if (cancelledAt || o.images.length < 1) return
        cancelledAt = performance.now()
        void engine.invoke('job/cancel', { jobId: o.jobId })
      },
    })
    const ms = performance.now() - cancelledAt
    expect(o.failed).toMatchObject({ cancelled: true })
    console.log(`deepdream cancel took ${ms.toFixed(1)} ms`)
    expect(ms).toBeLessThan(100)
  })

  it('refuses what it cannot dream on with a message, and keeps working', async () => {
    const text = await dream(1, small, new TextEncoder().encode('not a photo'))
    expect(text.failed?.error).toMatch(/"chelsea.jpg" is not an image we can read .*use a JPEG, PNG/)
    const cut = await dream(1, small, photo.subarray(0, photo.length >> 1))
    expect(cut.failed?.error).toMatch(/could not be decoded: .*truncated or damaged/)
    const layers = await dream(1, { ...small, layers: 'mixed9:1' })
    expect(layers.failed?.error).toMatch(/"mixed9" is not a layer of this model \(it has: mixed0, .*mixed5\)/)
    const none = await runJob(engine, { modelId: ID, seed: 1, params: small, ep: 'cpu' })
    expect(none.failed?.error).toMatch(/needs an input "photo"/)
    expect((await dream(1, { ...small, steps: 1 })).done).toBeDefined()
  })
})
