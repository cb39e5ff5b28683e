/**
 * Explore jobs on the shipped models, through the engine host as a user's window drives them: a strip's
 * ends are exactly the two seeds' tiles, each frame and child is remade alone from its own recipe, a
 * child at "how different" 0 is its parent, a crossbreed of a tile with itself is that tile, and a photo
 * encodes into a latent whose image looks more like the photo than the prior's samples do. Bad requests
 * get a sentence.
 */
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobRequest } from '../../common/contract'
import { deflateSync } from 'node:zlib'
import { latentFromText, latentToText, type Explore } from '../../common/explore'
import { encodePng } from '../../common/png'
import { imageItemRecipe } from '../../common/items'
import { FAMILIES } from '../../common/manifest'
import { latentExplore } from '../../common/modality'
import { GAN_ID, runJob, SHIPPED_DIR, startEngine } from '../testing'
import { FAMILY_RUNNERS } from './index'

const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }])
beforeAll(() => engine.start())
afterAll(() => engine.stop())

const run = (modelId: string, seed: number, params: Record<string, number>, explore?: Explore, inputs?: JobRequest['inputs']) =>
  runJob(engine, { modelId, seed, params, ep: 'cpu', ...(explore ? { explore } : {}), ...(inputs ? { inputs } : {}) })
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
/** A job's images remade one by one from each item's recipe. */
async function alone(o: Awaited<ReturnType<typeof run>>) {
  const out: string[] = []
  for (const img of o.images) {
    const r = imageItemRecipe(o.done!.recipe, { index: img.index })
    const one = await run(r.modelId, r.seed, r.params as Record<string, number>, r.explore)
    out.push(hex(one.images[0].rgba))
  }
  return out
}

it('the studio offers exploring (FAMILY_INFO.explore) for exactly the families whose runners take it', () => {
  for (const f of FAMILIES) {
    const ops = FAMILY_RUNNERS[f]?.explore
    expect(latentExplore(f), f).toEqual(ops ? { encode: ops.includes('encode') } : null)
  }
})

describe('interpolate and breed (dcgan-emoji)', () => {
  it('a strip runs from one seed’s tile to the other’s, and every frame remakes itself alone', async () => {
    const grid = await run(GAN_ID, 7, { count: 6, truncation: 1 })
    const strip = await run(GAN_ID, 0, { count: 6, truncation: 1, batchSize: 4 }, { op: 'interpolate', from: { seed: 7 }, to: { seed: 12 }, frames: 6 })
    expect(strip.failed).toBeUndefined()
    expect(strip.images).toHaveLength(6)
    expect(hex(strip.images[0].rgba)).toBe(hex(grid.images[0].rgba))
    expect(hex(strip.images[5].rgba)).toBe(hex(grid.images[5].rgba))
    expect(new Set(strip.images.map((i) => hex(i.rgba))).size).toBe(6)
    expect(strip.done!.recipe.explore).toEqual({ op: 'interpolate', from: { seed: 7 }, to: { seed: 12 }, frames: 6 })
    expect(await alone(strip)).toEqual(strip.images.map((i) => hex(i.rgba)))
  })

  it('children: 0 is the parent, more is further away; each child alone from its recipe; any tile’s latent is a parent', async () => {
    const parent = (await run(GAN_ID, 7, { count: 1, truncation: 1 })).images[0]
    const same = await run(GAN_ID, 100, { count: 2, truncation: 1 }, { op: 'children', parent: { seed: 7 }, spread: 0 })
    expect(same.images.map((i) => hex(i.rgba))).toEqual([hex(parent.rgba), hex(parent.rgba)])
    const diff = (a: Uint8Array, b: Uint8Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length
    const near = await run(GAN_ID, 100, { count: 4, truncation: 1 }, { op: 'children', parent: { seed: 7 }, spread: 0.2 })
    const far = await run(GAN_ID, 100, { count: 4, truncation: 1 }, { op: 'children', parent: { seed: 7 }, spread: 0.8 })
    const mean = (o: typeof near) => o.images.reduce((s, i) => s + diff(i.rgba, parent.rgba), 0) / o.images.length
    expect(mean(near)).toBeGreaterThan(0)
    expect(mean(near)).toBeLessThan(mean(far))
    expect(await alone(near)).toEqual(near.images.map((i) => hex(i.rgba)))
    // The same parent named by its latent (as the studio does for any tile) makes the same children.
    const byLatent = await run(GAN_ID, 100, { count: 4, truncation: 1 }, { op: 'children', parent: { z: latentToText(parent.latent!) }, spread: 0.2 })
    expect(byLatent.images.map((i) => hex(i.rgba))).toEqual(near.images.map((i) => hex(i.rgba)))
  })

  it('crossbreed: weights all on one parent at 0 is that parent; mixes are deterministic and alone', async () => {
    const [p7, p12] = (await run(GAN_ID, 7, { count: 6, truncation: 1 })).images.filter((i) => i.seed === 7 || i.seed === 12)
    const only12 = await run(GAN_ID, 3, { count: 2, truncation: 1 }, { op: 'cross', parents: [{ seed: 7 }, { seed: 12 }], weights: [0, 1], spread: 0 })
    expect(only12.images.map((i) => hex(i.rgba))).toEqual([hex(p12.rgba), hex(p12.rgba)])
    const mix: Explore = { op: 'cross', parents: [{ seed: 7 }, { seed: 12 }], weights: [1, 1], spread: 0.1 }
    const a = await run(GAN_ID, 3, { count: 3, truncation: 1 }, mix)
    const b = await run(GAN_ID, 3, { count: 3, truncation: 1, batchSize: 1 }, mix)
    expect(a.images.map((i) => hex(i.rgba))).toEqual(b.images.map((i) => hex(i.rgba)))
    expect(a.images.every((i) => hex(i.rgba) !== hex(p7.rgba) && hex(i.rgba) !== hex(p12.rgba))).toBe(true)
    expect(await alone(a)).toEqual(a.images.map((i) => hex(i.rgba)))
  })

  it('refuses what it cannot do, in a sentence', async () => {
    const fail = async (modelId: string, params: Record<string, number>, explore: unknown, inputs?: JobRequest['inputs']) =>
      (await run(modelId, 1, params, explore as Explore, inputs)).failed?.error
    expect(await fail(GAN_ID, { count: 1 }, { op: 'encode' })).toMatch(/encode needs an encoder, which a gan model has not/)
    expect(await fail(GAN_ID, { count: 1 }, { op: 'children', parent: { z: latentToText(new Float32Array(64)) }, spread: 0 })).toMatch(
      /latent of 64 values does not fit this model, whose latents have 100/,
    )
    expect(await fail(GAN_ID, { count: 5 }, { op: 'interpolate', from: { seed: 1 }, to: { seed: 2 }, frames: 4 })).toMatch(/set count to at most 4/)
    expect(await fail('rbm-mnist', {}, { op: 'children', parent: { seed: 1 }, spread: 0 })).toMatch(/does not explore a latent space/)
  })
})

describe('encode (vae-emoji)', () => {
  // A yellow face on a transparent 240×160 canvas: not square, with alpha, as a user's file might be.
  const face = () =>
    sharp(Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="160"><circle cx="120" cy="80" r="70" fill="#ffcc33"/>` +
        `<circle cx="95" cy="65" r="9" fill="#402000"/><circle cx="145" cy="65" r="9" fill="#402000"/>` +
        `<path d="M85 100 Q120 135 155 100" stroke="#402000" stroke-width="7" fill="none"/></svg>`,
    )).png().toBuffer()
  const photo = async () => ({ photo: { kind: 'image' as const, bytes: new Uint8Array(await face()), fileName: 'face.png' } })
  const target = async () => new Uint8Array(
    await sharp(await face()).flatten({ background: '#ffffff' }).resize(64, 64, { fit: 'cover' }).removeAlpha().raw().toBuffer(),
  )
  const rgbDist = (rgba: Uint8Array, rgb: Uint8Array) => {
    let s = 0
    for (let p = 0; p < rgb.length / 3; p++) for (let c = 0; c < 3; c++) s += (rgba[4 * p + c] - rgb[3 * p + c]) ** 2
    return s / rgb.length
  }

  it('a dropped photo comes back as its reconstruction and latent, closer to it than any prior sample', async () => {
    const o = await run('vae-emoji', 0, { count: 1 }, { op: 'encode' }, await photo())
    expect(o.failed).toBeUndefined()
    expect(o.images).toHaveLength(1)
    expect(o.images[0].latent).toHaveLength(64)
    expect(o.done!.warnings.join()).toMatch(/centre-cropped and resized from 240×160 to 64×64/)
    expect(o.done!.warnings.join()).toMatch(/transparent parts were filled with white #ffffff/)
    expect(o.done!.recipe.inputs?.photo).toMatchObject({ kind: 'image', fileName: 'face.png' })
    const want = await target()
    const samples = await run('vae-emoji', 1, { count: 16 })
    const best = Math.min(...samples.images.map((i) => rgbDist(i.rgba, want)))
    expect(rgbDist(o.images[0].rgba, want)).toBeLessThan(best)
    // Same photo, same bytes; its latent as a parent is the same image.
    const again = await run('vae-emoji', 0, { count: 1 }, { op: 'encode' }, await photo())
    expect(hex(again.images[0].rgba)).toBe(hex(o.images[0].rgba))
    const viaZ = await run('vae-emoji', 0, { count: 1 }, { op: 'children', parent: { z: latentToText(o.images[0].latent!) }, spread: 0 })
    expect(hex(viaZ.images[0].rgba)).toBe(hex(o.images[0].rgba))
  })

  it('interpolates between a photo and a seed; a non-image is refused by name', async () => {
    const strip = await run('vaegan-emoji', 0, { count: 4 }, { op: 'interpolate', from: { input: 'photo' }, to: { seed: 5 }, frames: 4 }, await photo())
    expect(strip.failed).toBeUndefined()
    const seed5 = await run('vaegan-emoji', 5, { count: 1 })
    expect(hex(strip.images[3].rgba)).toBe(hex(seed5.images[0].rgba))
    const bad = await run('vae-emoji', 0, { count: 1 }, { op: 'encode' }, { photo: { kind: 'image', bytes: new TextEncoder().encode('hello, not a picture'), fileName: 'notes.txt' } })
    expect(bad.failed?.error).toMatch(/"notes.txt" is not an image we can read/)
    const none = await run('vae-emoji', 0, { count: 1 }, { op: 'encode' })
    expect(none.failed?.error).toMatch(/needs a photo as input "photo"/)
  })
})

describe('attribute directions (vae-emoji)', () => {
  it('ships directions; a strip toward "more face" starts on the tile and ends where the encoder reads more face', async () => {
    const model = (await engine.invoke('models/list', undefined)).find((m) => m.id === 'vae-emoji')!
    expect(model.directions?.map((d) => d.key)).toEqual(expect.arrayContaining(['face', 'food', 'animal', 'flag']))
    const face = model.directions!.find((d) => d.key === 'face')!
    const e: Explore = { op: 'attribute', parent: { seed: 21 }, direction: { key: 'face', z: face.z }, amount: 2, frames: 4 }
    const strip = await run('vae-emoji', 0, { count: 4 }, e)
    expect(strip.failed).toBeUndefined()
    expect(hex(strip.images[0].rgba)).toBe(hex((await run('vae-emoji', 21, { count: 1 })).images[0].rgba))
    expect(await alone(strip)).toEqual(strip.images.map((i) => hex(i.rgba)))
    // Read the first and last frames back through the encoder: the last sits further along the direction.
    const d = latentFromText(face.z)
    const along = async (rgba: Uint8Array) => {
      const png = await encodePng(rgba, 64, 64, {}, async (b) => deflateSync(b))
      const o = await run('vae-emoji', 0, { count: 1 }, { op: 'encode' }, { photo: { kind: 'image', bytes: png } })
      return o.images[0].latent!.reduce((s, v, i) => s + v * d[i], 0)
    }
    expect(await along(strip.images[3].rgba)).toBeGreaterThan((await along(strip.images[0].rgba)) + 0.5 * d.reduce((s, v) => s + v * v, 0))
    const bad = await run('vae-emoji', 0, { count: 1 }, { ...e, direction: { key: 'face', z: latentToText(new Float32Array(100)) } } as Explore)
    expect(bad.failed?.error).toMatch(/latent of 100 values does not fit this model, whose latents have 64/)
  })
})
