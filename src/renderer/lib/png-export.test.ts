import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { readPngText } from '../../common/png'
import { parseRecipe, RECIPE_KEY, type Recipe } from '../../common/recipe'
import { encodeTilePng, exportFileName } from './png-export'
import { imageItemRecipe } from '../../common/items'
import { ImageJob } from '../state/ImageJob.svelte'
import { summaryOf } from './test-models'

const jobRecipe: Recipe = {
  app: 'latent-studio',
  appVersion: '0.1.0',
  modelId: 'dcgan-test',
  modelHash: '0123456789abcdef',
  seed: 4242,
  params: { count: 16, truncation: 1.5 },
  ep: 'cpu',
  epPref: 'auto',
  index: 3,
}

/** Decode our own encoder's output (filter 0 on every row) back to RGBA with zlib. */
function decode(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const dv = new DataView(png.buffer, png.byteOffset)
  const width = dv.getUint32(16)
  const height = dv.getUint32(20)
  const idat: Uint8Array[] = []
  for (let o = 8; o < png.length; ) {
    const len = dv.getUint32(o)
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8))
    if (type === 'IDAT') idat.push(png.subarray(o + 8, o + 8 + len))
    o += 12 + len
  }
  const raw = inflateSync(Buffer.concat(idat))
  const rgba = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0)
    rgba.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4)
  }
  return { width, height, rgba }
}

describe('PNG export of one tile', () => {
  it('pins the recipe to exactly that image: its own seed, one image, no index', () => {
    const r = imageItemRecipe(jobRecipe, { index: 3 })
    expect(r.seed).toBe(4245)
    expect(r.params).toEqual({ count: 1, truncation: 1.5 })
    expect('index' in r).toBe(false)
    expect(r.ep).toBe('cpu')
    expect(jobRecipe.params.count).toBe(16) // the job's own recipe is untouched
  })

  it('builds a valid recipe for a job that never finished', () => {
    const job = new ImageJob({ modelId: 'dcgan-test', seed: 9, params: { count: 4, truncation: 2 } }, summaryOf('dcgan-test'))
    const r = job.recipeFor(job.tiles[2], '0.1.0')
    expect(parseRecipe(JSON.stringify(r)).ok).toBe(true)
    expect(r).toMatchObject({ modelHash: '0123456789abcdef', seed: 11, params: { count: 1, truncation: 2 }, ep: 'unknown' })
  })

  it('writes a nearest-neighbour ×3 PNG whose tEXt recipe parses back', async () => {
    // 3×2 image with a distinct colour per pixel; an unaligned view, as frames off the wire can be.
    const backing = new Uint8Array(1 + 3 * 2 * 4)
    const rgba = backing.subarray(1)
    for (let i = 0; i < 6; i++) rgba.set([i * 40, 255 - i * 40, i * 7, 255], i * 4)
    const recipe = imageItemRecipe(jobRecipe, { index: 3 })
    const png = await encodeTilePng({ width: 3, height: 2, rgba }, 3, recipe)

    const img = decode(png)
    expect([img.width, img.height]).toEqual([9, 6])
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 9; x++) {
        const src = (Math.floor(y / 3) * 3 + Math.floor(x / 3)) * 4
        expect([...img.rgba.subarray((y * 9 + x) * 4, (y * 9 + x) * 4 + 4)]).toEqual([...rgba.subarray(src, src + 4)])
      }
    const back = parseRecipe(readPngText(png)[RECIPE_KEY])
    expect(back).toEqual({ ok: true, value: recipe })
  })

  it('refuses scales outside ×1…×8', async () => {
    await expect(encodeTilePng({ width: 1, height: 1, rgba: new Uint8Array(4) }, 9, jobRecipe)).rejects.toThrow(/1\.\.8/)
  })

  it('names the file after model, seed and scale', () => {
    expect(exportFileName('dcgan-emoji', 12, 4)).toBe('dcgan-emoji-seed-12-x4.png')
  })
})
