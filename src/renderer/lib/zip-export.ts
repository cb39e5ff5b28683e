/**
 * "Export all" of an image job: every finished image as a PNG carrying its own recipe, in one ZIP (a
 * browser download, or the desktop app's save dialog). fflate writes the ZIP: PNGs are deflated already,
 * so entries are stored (level 0), which keeps a 64-image ZIP to a few milliseconds of work.
 * Loaded on first use, with png-export.
 */
import { zipSync, type Zippable } from 'fflate'
import type { Recipe } from '../../common/recipe'
import { encodeTilePng, exportFileName } from './png-export'
import type { TileImage } from './tiles'

/** One finished image of a job and the recipe that makes exactly it. */
export interface ZipImage {
  image: TileImage
  seed: number
  recipe: Recipe
}

/** ZIP bytes of `images` as `<model>-seed-<seed>-x<scale>.png` entries (a repeated seed gets `-2`, `-3`…). */
export async function encodeImagesZip(modelId: string, images: readonly ZipImage[], scale: number): Promise<Uint8Array> {
  const files: Zippable = {}
  for (const { image, seed, recipe } of images) {
    const base = exportFileName(modelId, seed, scale)
    let name = base
    for (let k = 2; name in files; k++) name = base.replace(/\.png$/, `-${k}.png`)
    files[name] = [await encodeTilePng(image, scale, recipe), { level: 0 }]
  }
  return zipSync(files)
}

/** e.g. `dcgan-emoji-seed-1234-16-images-x1.zip`: the job's seed and how many images it holds. */
export function zipFileName(modelId: string, seed: number, count: number, scale: number): string {
  return `${modelId}-seed-${seed}-${count}-image${count === 1 ? '' : 's'}-x${scale}.zip`
}
