/** PNG facts the e2e checks read in Node: size from IHDR, the recipe from tEXt (the app's own reader). */
import { readPngText } from '../../src/common/png'
import { parseRecipe, RECIPE_KEY, type Recipe } from '../../src/common/recipe'

/** Width and height from the IHDR chunk, which the PNG format puts first (bytes 16..23, big-endian). */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const type = String.fromCharCode(...bytes.subarray(12, 16))
  if (type !== 'IHDR') throw new Error(`not a PNG: first chunk is ${JSON.stringify(type)}`)
  return { width: dv.getUint32(16), height: dv.getUint32(20) }
}

/** The recipe in the `latent-studio:recipe` tEXt chunk; throws naming what is wrong. */
export function pngRecipe(bytes: Uint8Array): Recipe {
  const text = readPngText(bytes)
  const raw = text[RECIPE_KEY]
  if (raw === undefined) throw new Error(`no ${RECIPE_KEY} tEXt chunk; keys: ${Object.keys(text).join(', ') || 'none'}`)
  const r = parseRecipe(raw)
  if (!r.ok) throw new Error(`bad recipe: ${r.error}`)
  return r.value
}
