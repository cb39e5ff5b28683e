import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { readPngText } from '../../common/png'
import { parseRecipe, RECIPE_KEY, type Recipe } from '../../common/recipe'
import { encodeImagesZip, zipFileName } from './zip-export'

const recipe = (seed: number): Recipe => ({
  app: 'latent-studio',
  appVersion: '0.1.0',
  modelId: 'dcgan-test',
  modelHash: '0123456789abcdef',
  seed,
  params: { count: 1, truncation: 1.5 },
  ep: 'cpu',
})
const image = (fill: number) => ({ width: 2, height: 2, rgba: new Uint8Array(16).fill(fill) })

describe('Export all', () => {
  it('writes one PNG per image into the ZIP, each carrying its own recipe', async () => {
    const zip = await encodeImagesZip('dcgan-test', [5, 6, 7].map((s) => ({ image: image(s), seed: s, recipe: recipe(s) })), 2)
    const files = unzipSync(zip)
    expect(Object.keys(files)).toEqual(['dcgan-test-seed-5-x2.png', 'dcgan-test-seed-6-x2.png', 'dcgan-test-seed-7-x2.png'])
    for (const [name, bytes] of Object.entries(files)) {
      const seed = Number(/seed-(\d+)/.exec(name)![1])
      const r = parseRecipe(readPngText(bytes)[RECIPE_KEY])
      expect(r.ok && r.value).toEqual(recipe(seed))
      const dv = new DataView(bytes.buffer, bytes.byteOffset)
      expect([dv.getUint32(16), dv.getUint32(20)]).toEqual([4, 4]) // ×2
    }
  })

  it('keeps two images of the same seed apart, and names the ZIP after the job', async () => {
    const zip = await encodeImagesZip('m', [0, 1].map((i) => ({ image: image(i), seed: 9, recipe: recipe(9) })), 1)
    expect(Object.keys(unzipSync(zip))).toEqual(['m-seed-9-x1.png', 'm-seed-9-x1-2.png'])
    expect(zipFileName('dcgan-emoji', 1234, 16, 1)).toBe('dcgan-emoji-seed-1234-16-images-x1.zip')
  })
})
