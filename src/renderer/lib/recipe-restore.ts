/**
 * Dropped file → recipe → what the panel should show. Pure (bytes in, decision out) so every refusal
 * the user can meet is unit-tested: too big, not a PNG, no recipe, bad recipe, model not installed.
 */
import type { ModelSummary, ParamValues } from '../../common/contract'
import { readPngText } from '../../common/png'
import { parseRecipe, RECIPE_KEY, type Recipe } from '../../common/recipe'
import { normalizeParams } from './params'

/** Refuse larger drops before reading them: a recipe PNG is kilobytes, reading 50 MB+ just wastes memory. */
export const MAX_DROP_BYTES = 50 * 1024 * 1024

/** An error message when the file is too large to read, else null. */
export function checkDropSize(name: string, size: number): string | null {
  if (size <= MAX_DROP_BYTES) return null
  const mb = (size / 1024 / 1024).toFixed(0)
  return `${name} is ${mb} MB; only PNGs up to 50 MB can carry a recipe`
}

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

/** The recipe inside PNG bytes, or why there is none. */
export function recipeFromPng(name: string, bytes: Uint8Array): { ok: true; recipe: Recipe } | { ok: false; error: string } {
  let text: Record<string, string>
  try {
    text = readPngText(bytes)
  } catch (e) {
    return { ok: false, error: `${name} is not a readable PNG (${e instanceof Error ? e.message : String(e)})` }
  }
  const raw = text[RECIPE_KEY]
  if (raw === undefined) return { ok: false, error: `${name} has no Latent Studio recipe` }
  const r = parseRecipe(raw)
  return r.ok ? { ok: true, recipe: r.value } : { ok: false, error: `${name} has a damaged recipe: ${r.error}` }
}

/** Match a recipe against the installed models and make its values fit the model's parameters. */
export function resolveRecipe(recipe: Recipe, models: readonly ModelSummary[]): Restore {
  const model = models.find((m) => m.id === recipe.modelId)
  if (!model) return { ok: false, error: `the recipe needs model "${recipe.modelId}", which is not installed` }
  if (model.error) return { ok: false, error: `the recipe needs model "${model.title}", which cannot load: ${model.error}` }
  const { values, notes } = normalizeParams(model.params, recipe.params)
  if (recipe.modelHash && model.hash && recipe.modelHash !== model.hash) {
    notes.unshift(`made with other weights of ${model.title} (${recipe.modelHash}, installed ${model.hash}): images will differ`)
  }
  // A recipe for one image of a grid (index set) means seed + index, wrapped to uint32 as the engine does.
  const seed = (recipe.seed + (recipe.index ?? 0)) >>> 0
  return { ok: true, recipe, model, seed, params: values, notes }
}

/** The whole drop decision for one file's bytes. Error texts name the file. */
export function restoreFromPng(name: string, bytes: Uint8Array, models: readonly ModelSummary[]): Restore {
  const r = recipeFromPng(name, bytes)
  if (!r.ok) return r
  const res = resolveRecipe(r.recipe, models)
  return res.ok ? res : { ok: false, error: `Cannot restore ${name}: ${res.error}` }
}
