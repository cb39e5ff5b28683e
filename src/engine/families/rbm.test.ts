/**
 * The shipped RBM for real: its Gibbs graph matches PyTorch's golden sweeps, and the chains a user
 * watches are reproducible (same seed same bytes; chain i alone from seed + i equals chain i of a
 * grid), stream frames in step order, stop within 100 ms on cancel, and settle from noise into strokes.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobPart } from '../../common/contract'
import { runJob, SHIPPED_DIR, startEngine } from '../testing'
import { decodeTensor, goldenFeeds, maxAbsDiff, openModel, readGoldens, readManifest } from '../testing-golden'
import { gibbsSizes } from './rbm'

const RBM_ID = 'rbm-mnist'
const dir = join(SHIPPED_DIR, RBM_ID)
const manifest = readManifest(dir)
type Frame = Extract<JobPart, { kind: 'image' }>

/** Indices where a thresholded sample may legitimately differ: the noise sits within 1e-5 of the probability. */
const TIE = 1e-5

describe(`golden parity (${RBM_ID})`, () => {
  it('reproduces PyTorch: v_prob within golden.atol, samples h and v_next exactly except at ties', async () => {
    const [golden] = readGoldens(dir)
    expect(golden.graph).toBe('gibbs')
    expect(golden.cases.length).toBeGreaterThan(0)
    const model = await openModel(SHIPPED_DIR, RBM_ID)
    const session = model.sessions.gibbs
    let compared = 0
    for (const c of golden.cases) {
      const out = await session.run(goldenFeeds(c.inputs))
      const want = (n: string) => decodeTensor(c.outputs[n])
      const got = (n: string) => out[n].data as Float32Array
      expect(out.v_prob.dims).toEqual(c.outputs.v_prob.shape)
      expect(maxAbsDiff(got('v_prob'), want('v_prob'))).toBeLessThanOrEqual(golden.atol)

      // v_next = (u_v < v_prob): compare where u_v is not within TIE of the probability.
      const uV = decodeTensor(c.inputs.u_v)
      const prob = want('v_prob')
      const vNext = got('v_next')
      want('v_next').forEach((w, k) => {
        if (Math.abs(uV[k] - prob[k]) < TIE) return
        expect(vNext[k], `v_next[${k}]`).toBe(w)
        compared++
      })

      // h = (u_h < p_h) and p_h is not an output: nudging u_h by ±TIE through the same graph finds
      // the units whose probability lies within TIE of the noise; every other unit must match.
      const uH = decodeTensor(c.inputs.u_h)
      const lo = await session.run(goldenFeeds(c.inputs, { u_h: uH.map((u) => u - TIE) }))
      const hi = await session.run(goldenFeeds(c.inputs, { u_h: uH.map((u) => u + TIE) }))
      const [hLo, hHi, h] = [lo.h.data, hi.h.data, got('h')] as Float32Array[]
      want('h').forEach((w, k) => {
        if (hLo[k] !== hHi[k]) return
        expect(h[k], `h[${k}]`).toBe(w)
        compared++
      })
    }
    expect(compared).toBeGreaterThan(0.99 * golden.cases.reduce((n, c) => n + decodeTensor(c.outputs.h).length + decodeTensor(c.outputs.v_next).length, 0))
    await model.dispose()
  })
})

describe('the Gibbs graph a manifest promises', () => {
  it('reads V from the image and H from u_h, and names what a manifest gets wrong', () => {
    const g = manifest.graphs.gibbs
    expect(gibbsSizes(RBM_ID, g, 784)).toEqual({ V: 784, H: g.inputs.find((t) => t.name === 'u_h')!.shape[1] })
    expect(() => gibbsSizes(RBM_ID, g, 64 * 64)).toThrow(/visible size 784 does not match the manifest image \(4096 values\)/)
    const free = { ...g, inputs: g.inputs.map((t) => (t.name === 'u_h' ? { ...t, shape: ['batch', 'hidden'] } : t)) }
    expect(() => gibbsSizes(RBM_ID, free, 784)).toThrow(/needs input "u_h" of shape \[batch, n\] with a fixed n/)
    const noProb = { ...g, outputs: g.outputs.filter((t) => t.name !== 'v_prob') }
    expect(() => gibbsSizes(RBM_ID, noProb, 784)).toThrow(/needs output "v_prob"/)
  })
})

/** Share of pixels that are near black or near white (a settled chain draws strokes on a background). */
function decided(f: Frame): number {
  let n = 0
  for (let p = 0; p < f.rgba.length; p += 4) if (f.rgba[p] <= 25 || f.rgba[p] >= 230) n++
  return n / (f.width * f.height)
}
const framesOf = (frames: Frame[], index: number) => frames.filter((f) => f.index === index)
const bytes = (frames: Frame[]) => frames.map((f) => [f.index, f.step, Buffer.from(f.rgba).toString('base64')])

describe(`Gibbs chains with ${RBM_ID} through the engine host`, () => {
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }])
  beforeAll(() => engine.start())
  afterAll(() => engine.stop())
  const chains = (seed: number, params: Record<string, number>) => runJob(engine, { modelId: RBM_ID, seed, params, ep: 'cpu' })

  it('streams grey frames per chain at multiples of `every`, in step order, ending at the last step', async () => {
    // Long enough (≈ 1 s) for several frames: between frames the engine waits ~33 ms, so a fast
    // chain streams about what a screen can show; the last step always arrives.
    const o = await chains(5, { count: 3, steps: 3000, every: 10 })
    expect(o.failed).toBeUndefined()
    const { width, height } = manifest.image!
    for (let i = 0; i < 3; i++) {
      const f = framesOf(o.images, i)
      const steps = f.map((x) => x.step!)
      expect(f.length).toBeGreaterThan(2)
      expect(steps.every((s, k) => k === 0 || s > steps[k - 1])).toBe(true)
      expect(steps.every((s) => s % 10 === 0 || s === 3000)).toBe(true)
      expect(steps.at(-1)).toBe(3000)
      expect(f.every((x) => x.seed === 5 + i && x.width === width && x.height === height && x.rgba.length === width * height * 4)).toBe(true)
      // Grey (R = G = B) and opaque: p(v | h) drawn as MNIST is, white strokes on black.
      expect(f.every((x) => x.rgba.every((v, k) => (k % 4 === 3 ? v === 255 : v === x.rgba[k - (k % 4)])))).toBe(true)
    }
    expect(o.progress.at(-1)).toMatchObject({ done: 3000, total: 3000 })
    expect(o.progress.map((p) => p.done)).toEqual([...o.progress.map((p) => p.done)].sort((a, b) => a - b))
    expect(o.done?.recipe).toMatchObject({ modelId: RBM_ID, seed: 5, params: { count: 3, steps: 3000, every: 10 }, ep: 'cpu' })
  })

  it('gives identical frames for the same seed, and chain i of a grid alone from seed + i', async () => {
    const params = { count: 4, steps: 400, every: 1 }
    const [a, b, c] = [await chains(11, params), await chains(11, params), await chains(12, params)]
    const last = (o: typeof a, i: number) => Buffer.from(framesOf(o.images, i).at(-1)!.rgba)
    for (let i = 0; i < 4; i++) expect(last(a, i).equals(last(b, i)), `chain ${i}`).toBe(true)
    expect(last(c, 0).equals(last(a, 0))).toBe(false)
    // Whatever frames both runs streamed (frame pacing is by time), each step shows the same pixels.
    const sameSteps = (x: Frame[], y: Frame[]) => {
      let n = 0
      for (const f of x) {
        const g = y.find((h) => h.index === f.index && h.step === f.step)
        if (g) expect(Buffer.from(f.rgba).equals(Buffer.from(g.rgba)), `chain ${f.index} step ${f.step}`).toBe(true), n++
      }
      return n
    }
    expect(sameSteps(a.images, b.images)).toBeGreaterThanOrEqual(4)
    // Chain 2 of the seed-11 grid is seed 13: alone (batch 1) it runs the very same sweeps.
    const alone = await chains(13, { count: 1, steps: 400, every: 1 })
    expect(framesOf(alone.images, 0).every((f) => f.seed === 13)).toBe(true)
    expect(last(alone, 0).equals(last(a, 2))).toBe(true)
    expect(sameSteps(alone.images, framesOf(a.images, 2).map((f) => ({ ...f, index: 0 })))).toBeGreaterThanOrEqual(1)
  })

  it('cancels a running chain within 100 ms and reports it cancelled', async () => {
    let cancelledAt = 0
    const o = await runJob(engine, { modelId: RBM_ID, seed: 1, params: { count: 16, steps: 5000, every: 1 }, ep: 'cpu' }, {
      onPartial: (o) => {
        if (cancelledAt || o.images.length < 16) return // the first frame of every chain is on screen
        cancelledAt = performance.now()
        void engine.invoke('job/cancel', { jobId: o.jobId })
      },
    })
    const ms = performance.now() - cancelledAt
    expect(o.failed).toMatchObject({ cancelled: true })
    expect(Math.max(...o.images.map((f) => f.step!))).toBeLessThan(5000)
    console.log(`rbm cancel took ${ms.toFixed(1)} ms`)
    expect(ms).toBeLessThan(100)
  })

  it('settles from noise into strokes: after 300 steps most pixels are near black or near white', async () => {
    const o = await chains(21, { count: 8, steps: 300, every: 1 })
    const mean = (step: number) => {
      const fs = o.images.filter((f) => f.step === step)
      expect(fs).toHaveLength(8)
      return fs.reduce((s, f) => s + decided(f), 0) / fs.length
    }
    const [start, end] = [mean(1), mean(300)]
    console.log(`decided pixels: step 1 ${start.toFixed(2)}, step 300 ${end.toFixed(2)}`)
    expect(end).toBeGreaterThan(0.7)
    expect(end - start).toBeGreaterThan(0.1)
  })
})
