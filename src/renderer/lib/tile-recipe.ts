/**
 * Which recipe an exported tile carries. Type-only imports: this stays in the startup chunk while
 * the PNG encoder and zod (recipe parsing) load on first export/drop, keeping startup off the
 * long-task list.
 */
import type { JobRequest, ModelSummary } from '../../common/contract'
import type { Recipe } from '../../common/recipe'

/** Nearest-neighbour export factors offered in the viewer. */
export const EXPORT_SCALES = [1, 2, 3, 4, 5, 6, 7, 8] as const

/**
 * The recipe for one tile: the job's recipe with the tile's own seed, one image, no index. A chain
 * frame at step k (RBM) is exactly the last frame of the same chain run for k steps, so its recipe
 * says `steps: k`: a frame exported mid-run or after a cancel still regenerates itself.
 */
export function tileRecipe(job: Recipe, tileSeed: number, step?: number): Recipe {
  const { index: _index, ...rest } = job
  const params = { ...job.params }
  if ('count' in params) params.count = 1
  if (step !== undefined && 'steps' in params) params.steps = step
  return { ...rest, seed: tileSeed, params }
}

/**
 * A recipe built by the renderer for a job that never reached `job/done` (cancelled, still running):
 * the engine's own recipe is preferred whenever there is one.
 */
export function provisionalRecipe(req: JobRequest, model: ModelSummary, ep: string | null, appVersion: string): Recipe {
  return {
    app: 'latent-studio',
    appVersion,
    modelId: req.modelId,
    modelHash: model.hash,
    seed: req.seed,
    params: { ...req.params },
    ep: ep ?? 'unknown',
    // What the engine records: the job's EP override, else the model's own preference.
    ...((req.ep ?? model.manifest?.ep) ? { epPref: req.ep ?? model.manifest?.ep } : {}),
  }
}
