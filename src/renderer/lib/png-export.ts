/**
 * Export one grid image as a PNG whose tEXt chunk carries the recipe that regenerates exactly that
 * image (its own seed, count 1: see tile-recipe.ts), so dropping the file back restores it.
 * Loaded on first export (it pulls in recipe.ts and with it zod).
 */
import { encodePng, upscaleNearest } from '../../common/png'
import { RECIPE_KEY, type Recipe } from '../../common/recipe'
import { EXPORT_SCALES } from './tile-recipe'
import type { TileImage } from './tiles'

/** zlib-wrapped deflate via the platform's CompressionStream (off the JS thread in browsers). */
export async function deflateStream(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** PNG bytes of `image` upscaled ×scale (nearest neighbour) with the recipe in tEXt RECIPE_KEY. */
export async function encodeTilePng(image: TileImage, scale: number, recipe: Recipe): Promise<Uint8Array> {
  if (!EXPORT_SCALES.includes(scale as (typeof EXPORT_SCALES)[number])) throw new Error(`export scale must be 1..8, got ${scale}`)
  // slice(): frames decoded off the wire may sit at an unaligned offset; upscaleNearest views them as Uint32.
  const src = image.rgba.slice()
  const up = upscaleNearest(src, image.width, image.height, scale)
  return encodePng(up, image.width * scale, image.height * scale, { [RECIPE_KEY]: JSON.stringify(recipe) }, deflateStream)
}

/** e.g. `dcgan-emoji-seed-1234-x4.png` */
export function exportFileName(modelId: string, seed: number, scale: number): string {
  return `${modelId}-seed-${seed}-x${scale}.png`
}
