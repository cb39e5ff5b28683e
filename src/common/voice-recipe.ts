/**
 * Which recipe an audio voice carries. Type-only imports: the renderer keeps this in its startup chunk
 * while the WAV codec and zod (recipe.ts) load on first export or drop.
 */
import type { Recipe } from './recipe'

/**
 * The recipe a voice's WAV carries: the job's recipe with the voice's own seed (seed + voice) and one
 * voice, since voice i of a batch sounds the same alone. Regions exported from it carry it too.
 */
export function voiceRecipe(recipe: Recipe, voice: number): Recipe {
  const { index: _index, ...base } = recipe
  const params = 'voices' in recipe.params ? { ...recipe.params, voices: 1 } : recipe.params
  return { ...base, seed: (recipe.seed + voice) >>> 0, params }
}
