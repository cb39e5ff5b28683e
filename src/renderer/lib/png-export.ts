/**
 * Export one grid image as a PNG whose tEXt chunk carries the recipe that regenerates exactly that
 * image (its own seed, count 1: common/items.ts), so dropping the file back restores it. The image
 * codec writes the bytes; the browser's CompressionStream deflates. Loaded on first export (zod).
 */
import { CODECS } from '../../common/codecs'
import type { Recipe } from '../../common/recipe'
import type { TileImage } from './tiles'

/** zlib-wrapped deflate via the platform's CompressionStream (off the JS thread in browsers). */
export async function deflateStream(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** PNG bytes of `image` upscaled ×scale (nearest neighbour, EXPORT_SCALES) with the recipe inside. */
export function encodeTilePng(image: TileImage, scale: number, recipe: Recipe): Promise<Uint8Array> {
  return CODECS.image.encode(image, recipe, { scale, deflate: deflateStream })
}

/** e.g. `dcgan-emoji-seed-1234-x4.png` */
export function exportFileName(modelId: string, seed: number, scale: number): string {
  return `${modelId}-seed-${seed}-x${scale}.png`
}
