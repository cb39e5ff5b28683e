/**
 * Opened or dropped file → recipe → what the panel should show. Pure (bytes in, decision out) so every
 * refusal the user can meet is unit-tested: not the file it claims, no recipe, a damaged recipe, a
 * model that is not installed. The modality's codec reads the file (common/codecs); too-big files are
 * refused before reading (`sizeError`). Loaded on first drop: it pulls in zod.
 */
import type { ModelSummary, ParamValues } from '../../common/contract'
import { CODECS, type CodecTypes, type Decoded } from '../../common/codecs'
import type { Modality } from '../../common/modality'
import type { Recipe } from '../../common/recipe'
import { normalizeParams } from './params'

export type Restore =
  | {
      ok: true
      recipe: Recipe
      model: ModelSummary
      seed: number
      params: ParamValues
      /** Things adjusted on the way (clamped values, other weights), for info toasts. */
      notes: string[]
    }
  | { ok: false; error: string }

/** Match a recipe against the installed models and make its values fit the model's parameters. */
export function resolveRecipe(recipe: Recipe, models: readonly ModelSummary[]): Restore {
  const model = models.find((m) => m.id === recipe.modelId)
  if (!model) return { ok: false, error: `the recipe needs model "${recipe.modelId}", which is not installed` }
  if (model.error) return { ok: false, error: `the recipe needs model "${model.title}", which cannot load: ${model.error}` }
  const { values, notes } = normalizeParams(model.params, recipe.params)
  if (recipe.modelHash && model.hash && recipe.modelHash !== model.hash) {
    notes.unshift(`made with other weights of ${model.title} (${recipe.modelHash}, installed ${model.hash}): what it makes will differ`)
  }
  // A recipe for one image of a grid (index set) means seed + index, wrapped to uint32 as the engine does.
  const seed = (recipe.seed + (recipe.index ?? 0)) >>> 0
  return { ok: true, recipe, model, seed, params: values, notes }
}

/** What a file of modality `m` restores: its recipe matched to the installed models, and its content. */
export type FileRestore<M extends Modality> = (Extract<Restore, { ok: true }> & CodecTypes[M]['decoded']) | { ok: false; error: string }

/** The whole decision for one file's bytes, read as modality `m`. Error texts name the file. */
export function restoreFile<M extends Modality>(m: M, name: string, bytes: Uint8Array, models: readonly ModelSummary[]): FileRestore<M> {
  return resolveDecoded(name, CODECS[m].decode(name, bytes), models)
}

/** A file already read (recipe + content) matched to the installed models. */
export function resolveDecoded<M extends Modality>(name: string, d: Decoded<M>, models: readonly ModelSummary[]): FileRestore<M> {
  if (!d.ok) return d
  const { ok: _ok, recipe, ...content } = d
  const r = resolveRecipe(recipe, models)
  return r.ok ? ({ ...r, ...content } as FileRestore<M>) : { ok: false, error: `Cannot restore ${name}: ${r.error}` }
}

/** A dropped PNG: its recipe (the grid keeps what it shows). */
export function restoreFromPng(name: string, bytes: Uint8Array, models: readonly ModelSummary[]): Restore {
  return restoreFile('image', name, bytes, models)
}
