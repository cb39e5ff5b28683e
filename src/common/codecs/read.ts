/** The recipe text a file carries, parsed, with the messages every codec gives for a missing or damaged one. */
import { parseRecipe } from '../recipe'
import type { Recipe } from '../recipe'

export function recipeFrom<T extends object>(name: string, raw: string | null, content: T): ({ ok: true; recipe: Recipe } & T) | { ok: false; error: string } {
  if (raw === null) return { ok: false, error: `${name} has no Latent Studio recipe` }
  const r = parseRecipe(raw)
  return r.ok ? { ok: true, recipe: r.value, ...content } : { ok: false, error: `${name} has a damaged recipe: ${r.error}` }
}
