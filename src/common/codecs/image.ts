/**
 * PNG files: RGBA pixels, the recipe in a tEXt chunk (RECIPE_KEY). An interpolation strip's animated GIF
 * (common/gif.ts) is read back too: its recipe is a comment extension `RECIPE_KEY` + newline + JSON.
 */
import { isGif, readGifComments } from '../gif'
import { EXPORT_SCALES, imageItemRecipe } from '../items'
import { encodePng, isPng, readPngText, upscaleNearest } from '../png'
import { RECIPE_KEY } from '../recipe'
import { recipeFrom } from './read'
import type { FileCodec } from './types'

export const imageCodec: FileCodec<'image'> = {
  kind: 'PNG',
  maxBytes: 50 * 1024 * 1024,
  sniff: (_name, bytes) => isPng(bytes) || isGif(bytes),
  itemRecipe: imageItemRecipe,
  async encode({ width, height, rgba }, recipe, { scale, deflate }) {
    if (!EXPORT_SCALES.includes(scale as (typeof EXPORT_SCALES)[number])) throw new Error(`export scale must be 1..8, got ${scale}`)
    // slice(): frames off the wire may sit at an unaligned offset; upscaleNearest views them as Uint32.
    const up = upscaleNearest(rgba.slice(), width, height, scale)
    return encodePng(up, width * scale, height * scale, { [RECIPE_KEY]: JSON.stringify(recipe) }, deflate)
  },
  decode(name, bytes) {
    if (isGif(bytes)) return decodeGif(name, bytes)
    let text: Record<string, string>
    try {
      text = readPngText(bytes)
    } catch (e) {
      return { ok: false, error: `${name} is not a readable PNG (${e instanceof Error ? e.message : String(e)})` }
    }
    return recipeFrom(name, text[RECIPE_KEY] ?? null, {})
  },
}

/** The comment text that carries a recipe in a GIF: this prefix, then the JSON. */
export const GIF_RECIPE_PREFIX = `${RECIPE_KEY}\n`

function decodeGif(name: string, bytes: Uint8Array) {
  let comments: string[]
  try {
    comments = readGifComments(bytes)
  } catch (e) {
    return { ok: false as const, error: `${name} is not a readable GIF (${e instanceof Error ? e.message : String(e)})` }
  }
  const c = comments.find((t) => t.startsWith(GIF_RECIPE_PREFIX))
  return recipeFrom(name, c === undefined ? null : c.slice(GIF_RECIPE_PREFIX.length), {})
}
