/**
 * A recipe is everything needed to make an output again: it travels inside every exported file
 * (PNG tEXt chunk `latent-studio:recipe`, text front matter, WAV LIST/INFO) and restores the UI
 * when such a file is dropped back in.
 */
import { z } from 'zod'
import { checkExplore } from './explore-check'
import type { Explore } from './explore'
import { INPUT_LIMITS, type InputKind } from './inputs'
import { ExecutionProviderSchema } from './manifest'

const INPUT_KINDS = Object.keys(INPUT_LIMITS) as [InputKind, ...InputKind[]]

export const RECIPE_KEY = 'latent-studio:recipe'

export const RecipeSchema = z.object({
  app: z.literal('latent-studio'),
  appVersion: z.string(),
  modelId: z.string(),
  /** sha256 prefix over the model's ONNX files (ModelSummary.hash). */
  modelHash: z.string(),
  seed: z.number().int().nonnegative(),
  params: z.record(z.string(), z.union([z.number(), z.string()])),
  /** The EP that actually ran. */
  ep: z.string(),
  /** Requested EP preference. */
  epPref: ExecutionProviderSchema.optional(),
  /** For one image out of a grid: its index (its own seed is seed + index). */
  index: z.number().int().nonnegative().optional(),
  /** The job's input files (`JobRequest.inputs`) by name: SHA-256 always, the bytes when small (inputs.ts). */
  inputs: z
    .record(
      z.string(),
      z.object({
        kind: z.enum(INPUT_KINDS),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        size: z.number().int().nonnegative(),
        fileName: z.string().optional(),
        base64: z.string().optional(),
      }),
    )
    .optional(),
  /** An explore job (common/explore.ts): the op that made the items from their parents' seeds or latents. */
  explore: z
    .unknown()
    .superRefine((v, ctx) => {
      const c = checkExplore(v)
      if (!c.ok) ctx.addIssue({ code: 'custom', message: c.error })
    })
    .transform((v) => v as Explore)
    .optional(),
})
export type Recipe = z.infer<typeof RecipeSchema>

export function parseRecipe(text: string): { ok: true; value: Recipe } | { ok: false; error: string } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { ok: false, error: 'the recipe is not valid JSON' }
  }
  const r = RecipeSchema.safeParse(json)
  return r.success
    ? { ok: true, value: r.data }
    : { ok: false, error: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }
}
