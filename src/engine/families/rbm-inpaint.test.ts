/**
 * Inpainting with the shipped RBM, as a user gets it: a digit (one the model drew itself, binarized)
 * with its lower half masked comes back with the upper half untouched in every streamed frame and the
 * lower half redrawn — closer to the original than free chains get, so the kept pixels steer it; the
 * same inputs and seed give the same bytes; a drawing alone keeps its strokes; a dark-on-light scan is
 * inverted; bad inputs (wrong mask size, non-images, giant images) fail with the reader's message.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobInput } from '../../common/contract'
import { centreDigit } from '../../common/inpaint-digit'
import { runJob, SHIPPED_DIR, startEngine, type JobOutcome } from '../testing'
import { claiming } from '../testing-images'

const ID = 'rbm-mnist'
const S = 28
const V = S * S

/** (S, S) 0/1 → a grey PNG (1 = white). */
const png = (bits: ArrayLike<number>, w = S, h = S, invert = false) =>
  sharp(Buffer.from(Array.from(bits, (b) => ((b >= 0.5) !== invert ? 255 : 0))), { raw: { width: w, height: h, channels: 1 } }).png().toBuffer()
const input = async (bytes: Uint8Array | Buffer, fileName: string): Promise<JobInput> => ({ kind: 'image', bytes: new Uint8Array(bytes), fileName })
/** The last frame of chain i as 0/1 pixels (v_prob thresholded; clamped pixels are exactly 0 or 255). */
const last = (o: JobOutcome, i: number) => {
  const f = o.images.filter((x) => x.index === i).at(-1)!
  return Float32Array.from({ length: V }, (_, p) => (f.rgba[4 * p] >= 128 ? 1 : 0))
}
const TOP = (p: number) => p < V / 2 // rows 0..13
const agree = (a: Float32Array, b: Float32Array, where: (p: number) => boolean) => {
  let n = 0
  let same = 0
  for (let p = 0; p < V; p++) if (where(p)) (n++, (same += a[p] === b[p] ? 1 : 0))
  return same / n
}

describe(`inpainting with ${ID} through the engine host`, () => {
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }])
  let digit: Float32Array // (V,) 0/1: a digit the model drew (free chain, seed 100, 500 steps)
  let digitPng: Buffer
  let lowerMask: Buffer // white = repaint: the lower half
  const job = (seed: number, params: Record<string, number>, inputs?: Record<string, JobInput>) =>
    runJob(engine, { modelId: ID, seed, params, ep: 'cpu', ...(inputs ? { inputs } : {}) })

  beforeAll(async () => {
    await engine.start()
    digit = last(await job(100, { count: 1, steps: 500, every: 500 }), 0)
    digitPng = await png(digit)
    lowerMask = await png(Float32Array.from({ length: V }, (_, p) => (TOP(p) ? 0 : 1)))
  })
  afterAll(() => engine.stop())

  it('keeps the unmasked half in every frame and redraws the masked half from it, the same bytes again', async () => {
    const inputs = { image: await input(digitPng, 'digit.png'), mask: await input(lowerMask, 'mask.png') }
    const params = { count: 8, steps: 200, every: 1 }
    const o = await job(7, params, inputs)
    expect(o.failed).toBeUndefined()
    expect(o.done?.warnings).toEqual([])
    // Every streamed frame shows the kept half exactly as given (p(v|h) there is the clamp: 0 or 255).
    expect(o.images.length).toBeGreaterThan(8)
    for (const f of o.images) {
      for (let p = 0; p < V / 2; p++) if (f.rgba[4 * p] !== digit[p] * 255) throw new Error(`chain ${f.index} step ${f.step}: kept pixel ${p} changed`)
    }
    // The recipe carries both pictures (tiny PNGs ride inline), so an exported frame makes itself again.
    expect(o.done?.recipe.inputs?.image).toMatchObject({ kind: 'image', fileName: 'digit.png', size: digitPng.length, base64: digitPng.toString('base64') })
    expect(o.done?.recipe.inputs?.mask).toMatchObject({ kind: 'image', fileName: 'mask.png', base64: lowerMask.toString('base64') })
    const again = await job(7, params, inputs)
    for (let i = 0; i < 8; i++) expect(Buffer.from(last(again, i)).equals(Buffer.from(last(o, i))), `chain ${i}`).toBe(true)

    // The lower half is drawn anew (the chains differ from each other) but follows the kept strokes:
    // closer to the original's lower half than free chains of the same seeds get.
    const free = await job(7, params)
    const mean = (r: JobOutcome) => Array.from({ length: 8 }, (_, i) => agree(last(r, i), digit, (p) => !TOP(p))).reduce((a, b) => a + b) / 8
    const [inpainted, unguided] = [mean(o), mean(free)]
    console.log(`lower half agreeing with the original: inpainted ${inpainted.toFixed(3)}, free chains ${unguided.toFixed(3)}`)
    expect(inpainted).toBeGreaterThan(unguided + 0.03)
    expect(new Set(Array.from({ length: 8 }, (_, i) => Buffer.from(last(o, i)).toString('base64'))).size).toBeGreaterThan(1)
  })

  it('keeps a drawing’s strokes without a mask, and inverts a dark-on-light scan of them', async () => {
    const stroke = Float32Array.from({ length: V }, (_, p) => (p % S === 14 && p >= 4 * S && p < 24 * S ? 1 : 0)) // a vertical bar
    const lit = (o: JobOutcome, i: number) => [...last(o, i)].every((v, p) => !stroke[p] || v === 1)
    const a = await job(3, { count: 2, steps: 50, every: 50 }, { image: await input(await png(stroke), 'bar.png') })
    expect(a.done?.warnings).toEqual([])
    expect(lit(a, 0) && lit(a, 1)).toBe(true)
    // The same bar, black on white and 10× larger: read back to the same 28×28 strokes.
    const big = await sharp(await png(stroke, S, S, true)).resize(280, 280, { kernel: 'nearest' }).png().toBuffer()
    const b = await job(3, { count: 2, steps: 50, every: 50 }, { image: await input(big, 'scan.png') })
    expect(b.done?.warnings).toEqual([
      '"scan.png" was downscaled from 280×280 to 28×28',
      '"scan.png" is dark on light: inverted to light strokes on dark, as the model draws',
    ])
    expect(Buffer.from(last(b, 0)).equals(Buffer.from(last(a, 0)))).toBe(true)
    // White strokes on a transparent sheet (RGBA): the sheet is ground, and no note about transparency.
    const rgba = Buffer.from(Array.from(stroke).flatMap((v) => (v ? [255, 255, 255, 255] : [0, 0, 0, 0])))
    const sheet = await sharp(rgba, { raw: { width: S, height: S, channels: 4 } }).png().toBuffer()
    const c = await job(3, { count: 2, steps: 50, every: 50 }, { image: await input(sheet, 'sheet.png') })
    expect(c.done?.warnings).toEqual([])
    expect(Buffer.from(last(c, 0)).equals(Buffer.from(last(a, 0)))).toBe(true)
  })

  it('refuses a mask of the wrong size, a non-image and a giant image with the reason', async () => {
    const image = await input(digitPng, 'digit.png')
    const fail = async (inputs: Record<string, JobInput>) => (await job(1, { count: 1, steps: 5, every: 5 }, inputs)).failed?.error
    expect(await fail({ image, mask: await input(await png(new Float32Array(30 * 30), 30, 30), 'm.png') }))
      .toBe('"m.png" is 30×30; a mask must be the size of the image (28×28) or the model (28×28)')
    const wide = await input(await png(new Float32Array(56 * 28), 56, 28), 'wide.png')
    expect(await fail({ image: wide, mask: await input(await png(new Float32Array(40 * 20), 40, 20), 'm.png') }))
      .toBe('"m.png" is 40×20; a mask must be the size of the image (56×28) or the model (28×28)')
    expect(await fail({ mask: await input(Buffer.from('not a picture'), 'mask.txt') })).toMatch(/^"mask.txt" is not an image we can read/)
    expect(await fail({ image: await input(claiming(readFileSync(join(SHIPPED_DIR, 'deepdream-inception/photos/coffee.jpg')), 20000, 20000), 'huge.jpg') }))
      .toBe('"huge.jpg" is 20000×20000 (400 megapixels); at most 100 megapixels are accepted: make it smaller first')
    // A mask of the image's size, over a non-square image, is fine; one keeping everything says so.
    const keepAll = await job(1, { count: 1, steps: 5, every: 5 }, { image: wide, mask: await input(await png(new Float32Array(56 * 28), 56, 28), 'm.png') })
    expect(keepAll.done?.warnings).toContain('the mask keeps every pixel, so nothing is redrawn: paint white where the model should draw')
  })
})

describe('centreDigit', () => {
  it('centres a small picture on the ground and inverts a light one', () => {
    const d = centreDigit(Float32Array.of(1, 1, 1, 0), 2, 2, 4)
    expect(d.inverted).toBe(true)
    expect(Array.from(d.grey)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0].map((_, p) => (p === 10 ? 1 : 0)))
    expect(centreDigit(Float32Array.of(1, 1, 1, 0), 2, 2, 4, false).inverted).toBe(false)
    expect(() => centreDigit(new Float32Array(25), 5, 5, 4)).toThrow(/does not fit 4×4/)
  })
})
