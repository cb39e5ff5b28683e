/**
 * A draft as a file and back: the file name, and a dropped/opened .txt/.md turned into what the studio
 * should restore (the text codec in common/codecs reads and writes the bytes). Loaded on first
 * export/open (zod stays out of the startup chunk). Pure: unit-tested in text-export.test.ts.
 */
import type { ModelSummary } from '../../common/contract'
import type { TextFileFormat } from '../../common/front-matter'
import { restoreFile, type Restore } from './recipe-restore'

export type TextFormat = TextFileFormat

/** `lstm-austen-seed42.md`: model and seed, like the PNG exports. */
export function textFileName(modelId: string, seed: number, format: TextFormat): string {
  return `${modelId}-seed${seed}.${format}`
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

/** A .txt/.md's bytes → the recipe to restore and the text to show, or why not (naming the file). */
export function restoreFromText(name: string, bytes: Uint8Array, models: readonly ModelSummary[]): TextRestore {
  const r = restoreFile('text', name, bytes, models)
  if (!r.ok) return r
  const { text, ...restored } = r
  const prime = String(r.params.prime ?? '')
  const starts = prime !== '' && text.startsWith(prime)
  const notes = starts || !prime ? r.notes : [...r.notes, `${name}: the text was edited; it no longer starts with its prime`]
  return { ...restored, notes, prime: starts ? prime : '', written: starts ? text.slice(prime.length) : text }
}
