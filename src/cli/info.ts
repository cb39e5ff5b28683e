/**
 * `info <file.png>`: print the recipe an exported PNG carries (pretty JSON), the same one the studio
 * restores when the file is dropped on its window.
 */
import { readFile } from 'node:fs/promises'
import { readPngText } from '../common/png'
import { parseRecipe, RECIPE_KEY } from '../common/recipe'
import { looksLikeWav } from '../common/wav'
import { wavRecipe } from './audio-out'
import { looksLikeTextFile, textRecipe } from './text-out'

export async function info(file: string): Promise<string> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
  if (looksLikeWav(bytes)) return wavRecipe(file, bytes)
  if (looksLikeTextFile(bytes) || /\.(md|txt)$/i.test(file)) return textRecipe(file, bytes)
  let text: Record<string, string>
  try {
    text = readPngText(bytes)
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`)
  }
  const raw = text[RECIPE_KEY]
  if (raw === undefined) throw new Error(`${file} has no Latent Studio recipe (tEXt ${RECIPE_KEY})`)
  const r = parseRecipe(raw)
  if (!r.ok) throw new Error(`${file}: bad recipe: ${r.error}`)
  return JSON.stringify(r.value, null, 2)
}
