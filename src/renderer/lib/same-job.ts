/**
 * A repeated click must not queue the very same job again: the same model, seed and parameters make the
 * same items (every family is seeded), so a second copy is only waiting time. The studio moves such a
 * request on to the next seeds no job of this session has used (item i of a job uses seed + i, so the
 * next free start is past the whole batch) and says so.
 */
import type { JobRequest, ParamValues } from '../../common/contract'

/** Same model, seed, parameters and inputs; a text branch is never "the same" (it continues a draft). */
export function sameJob(a: JobRequest, b: JobRequest): boolean {
  if (a.branch || b.branch) return false
  return a.modelId === b.modelId && a.seed === b.seed && key(a.params) === key(b.params) && inputsKey(a) === inputsKey(b)
}

const key = (p: ParamValues) =>
  JSON.stringify(
    Object.keys(p)
      .sort()
      .map((k) => [k, p[k]]),
  )

/** Inputs by name and size (a different photo of the same size under the same name is rare enough). */
const inputsKey = (r: JobRequest) =>
  JSON.stringify(
    Object.entries(r.inputs ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, v.fileName, v.bytes.byteLength]),
  )

/**
 * The seed to use instead of `req.seed` when a job like it is already queued, running or made
 * (`taken`), or null when none is. `items`: how many seeds one job uses (its count param).
 */
export function freeSeed(req: JobRequest, taken: readonly JobRequest[], items: number): number | null {
  const step = Math.max(1, Math.floor(items) || 1)
  let seed = req.seed
  for (let tries = 0; tries < 10_000; tries++) {
    const at = seed
    if (!taken.some((t) => sameJob({ ...req, seed: at }, t))) return seed === req.seed ? null : seed
    seed = (seed + step) >>> 0
  }
  return null
}
