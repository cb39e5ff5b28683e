/**
 * A draft as a file and back: the recipe that writes exactly that draft again, the file name, the bytes
 * (`common/front-matter.ts` puts the recipe in front matter), and a dropped/opened .txt/.md turned into
 * what the studio should restore. Loaded on first export/open (zod stays out of the startup chunk).
 * Pure: unit-tested in text-export.test.ts.
 */
import type { ModelSummary, ParamValues } from '../../common/contract'
import { encodeTextFile, readTextFile } from '../../common/front-matter'
import type { Recipe } from '../../common/recipe'
import { resolveRecipe, type Restore } from './recipe-restore'

export type TextFormat = 'txt' | 'md'

/** Opened text files larger than this are refused before reading: a draft is kilobytes. */
export const MAX_TEXT_BYTES = 4 * 1024 * 1024

/** `lstm-austen-seed42.md`: model and seed, like the PNG exports. */
export function textFileName(modelId: string, seed: number, format: TextFormat): string {
  return `${modelId}-seed${seed}.${format}`
}

/** UTF-8 bytes of the file: the whole text (prime + draft) with its recipe. */
export function encodeDraftFile(full: string, recipe: Recipe, format: TextFormat): Uint8Array {
  return new TextEncoder().encode(encodeTextFile(full, recipe, format))
}

/** A restored recipe (as for a dropped PNG) plus the text the file carries. */
export type TextRestore =
  | (Extract<Restore, { ok: true }> & {
      /** The prime the text starts with ('' when the file's text no longer starts with its recipe's prime). */
      prime: string
      /** The rest of the text: what the model wrote (and the writer kept). */
      written: string
    })
  | Extract<Restore, { ok: false }>

/** A .txt/.md's content → the recipe to restore and the text to show, or why not (naming the file). */
export function restoreFromText(name: string, content: string, models: readonly ModelSummary[]): TextRestore {
  const file = readTextFile(content)
  if (file.error) return { ok: false, error: `${name} has a damaged recipe: ${file.error}` }
  if (!file.recipe) return { ok: false, error: `${name} has no Latent Studio recipe` }
  const r = resolveRecipe(file.recipe, models)
  if (!r.ok) return { ok: false, error: `Cannot restore ${name}: ${r.error}` }
  const prime = String(r.params.prime ?? '')
  const starts = prime !== '' && file.text.startsWith(prime)
  const notes = starts || !prime ? r.notes : [...r.notes, `${name}: the text was edited; it no longer starts with its prime`]
  return {
    ok: true, recipe: r.recipe, model: r.model, seed: r.seed, params: r.params, notes,
    prime: starts ? prime : '',
    written: starts ? file.text.slice(prime.length) : file.text,
  }
}
