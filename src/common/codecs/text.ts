/** Text files (.md, .txt): the whole text after a front matter line holding the recipe (front-matter.ts). */
import { encodeTextFile, readTextFile } from '../front-matter'
import { textItemRecipe } from '../items'
import { MODALITY_INFO } from '../modality'
import type { FileCodec } from './types'

/** Whether bytes start like a text export: front matter, optionally after a UTF-8 BOM. */
export function looksLikeTextFile(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 8)).replace(/^\ufeff/, '')
  return head.startsWith('---\n') || head.startsWith('---\r\n')
}

export const textCodec: FileCodec<'text'> = {
  kind: 'text',
  maxBytes: 4 * 1024 * 1024,
  sniff: (name, bytes) => looksLikeTextFile(bytes) || MODALITY_INFO.text.extensions.some((e) => name.toLowerCase().endsWith(`.${e}`)),
  itemRecipe: textItemRecipe,
  encode: async ({ text }, recipe, { format }) => new TextEncoder().encode(encodeTextFile(text, recipe, format)),
  decode(name, bytes) {
    const file = readTextFile(new TextDecoder().decode(bytes))
    if (file.error) return { ok: false, error: `${name} has a damaged recipe: ${file.error}` }
    if (!file.recipe) return { ok: false, error: `${name} has no Latent Studio recipe` }
    return { ok: true, recipe: file.recipe, text: file.text }
  },
}

