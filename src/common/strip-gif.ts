/**
 * An interpolation strip as one looping animated GIF, its recipe inside (the job's: every frame of the
 * strip), written the same by the studio's export and the CLI. Ping-pong by default (0…N−1…1): the loop
 * turns back at each parent instead of jumping from the last frame to the first.
 */
import { GIF_RECIPE_PREFIX } from './codecs/image'
import { encodeGif } from './gif'
import { EXPORT_SCALES } from './items'
import { upscaleNearest } from './png'
import type { Recipe } from './recipe'

export interface StripGifOptions {
  /** Nearest-neighbour factor (EXPORT_SCALES). */
  scale: number
  /** Per frame, ms (GIF counts hundredths: rounded to 10 ms). */
  delayMs?: number
  pingPong?: boolean
}

/** Frames: each (height, width, 4) RGBA, in strip order. */
export function encodeStripGif(frames: readonly Uint8Array[], width: number, height: number, recipe: Recipe, o: StripGifOptions): Uint8Array {
  if (!EXPORT_SCALES.includes(o.scale as (typeof EXPORT_SCALES)[number])) throw new Error(`export scale must be 1..8, got ${o.scale}`)
  const order = o.pingPong !== false && frames.length > 2 ? [...frames, ...frames.slice(1, -1).reverse()] : [...frames]
  return encodeGif({
    width: width * o.scale, height: height * o.scale, delayMs: o.delayMs ?? 120,
    frames: order.map((f) => upscaleNearest(f, width, height, o.scale)),
    comment: GIF_RECIPE_PREFIX + JSON.stringify(recipe),
  })
}

/** "dcgan-emoji-strip-7-12.gif"-style names: the model and what the strip runs between. */
export function stripFileName(modelId: string, recipe: Recipe, scale: number): string {
  const e = recipe.explore
  const end = (r: unknown) => (r && typeof r === 'object' && 'seed' in r ? String((r as { seed: number }).seed) : 'z')
  const what = e?.op === 'interpolate' ? `${end(e.from)}-${end(e.to)}` : String(recipe.seed)
  return `${modelId}-strip-${what}${scale > 1 ? `@${scale}x` : ''}.gif`
}
