/**
 * Tiles picked as parents → an explore job's request (common/explore.ts). A tile of a plain grid is
 * named by its seed when its job sampled with the same settings as the new job (the recipe then reads
 * "seed 7 → seed 12"); any other tile — a child, a frame, an encoded photo, a grid of other settings — by
 * the latent the engine sent with it, so the recipe still remakes it exactly. Pure: unit-tested.
 */
import type { JobRequest, ModelSummary, ParamValues } from '../../common/contract'
import { latentToText, type Explore, type LatentDirection, type LatentRef } from '../../common/explore'

/** A picked tile: enough to name it as a parent and to show it. */
export interface Parent {
  modelId: string
  /** Its job's request: a plain grid (no explore, no inputs) can name it by seed. */
  request: JobRequest
  seed: number
  /** (height, width, 4) RGBA for the thumbnail. */
  rgba: Uint8Array
  width: number
  height: number
  latent: Float32Array | null
}

/** The params that shape a seed's latent: all but how many items a job makes. */
function sampling(p: ParamValues): string {
  const { count: _count, ...rest } = p
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)))
}

/** How a job of `params` names `p`; null when it cannot (no latent kept, and not a plain tile of these settings). */
export function refOf(p: Parent, params: ParamValues): LatentRef | null {
  const plain = !p.request.explore && !p.request.inputs
  if (plain && sampling(p.request.params) === sampling(params)) return { seed: p.seed }
  return p.latent ? { z: latentToText(p.latent) } : null
}

export interface ExploreChoice {
  op: 'interpolate' | 'children' | 'cross' | 'attribute'
  /** interpolate, attribute: frames; children/cross: how many. */
  count: number
  /** children/cross: "how different", 0..1. */
  spread: number
  /** cross: one per parent. */
  weights: number[]
  /** children/cross: the first child's mix seed (child i uses seed + i). */
  seed: number
  /** attribute: the direction (ModelSummary.directions) and how far along it the strip ends. */
  direction?: LatentDirection
  amount?: number
}

/**
 * The request, or why not in words. The job samples with the first parent's settings (its truncation or
 * temperature): parents picked from that grid are then named by seed.
 */
export function exploreRequest(model: ModelSummary, parents: readonly Parent[], c: ExploreChoice): JobRequest | string {
  const one = c.op === 'children' || c.op === 'attribute'
  if (parents.length < (one ? 1 : 2)) return one ? `pick a tile to ${c.op === 'children' ? 'breed from' : 'move'}` : `pick ${c.op === 'interpolate' ? 'two tiles to interpolate between' : 'two or more tiles to crossbreed'}`
  if (c.op === 'attribute' && !c.direction) return 'choose a direction'
  if (parents.some((p) => p.modelId !== model.id)) return `the parents were made by another model than ${model.title}: latents of different models do not mix`
  const used = c.op === 'interpolate' ? parents.slice(0, 2) : one ? parents.slice(0, 1) : parents
  const params: ParamValues = { ...used[0].request.params, count: c.count }
  const refs = used.map((p) => refOf(p, params))
  if (refs.some((r) => r === null)) return 'a parent has no latent kept (a tile reopened from a file): make it again first'
  const r = refs as LatentRef[]
  const explore: Explore =
    c.op === 'interpolate' ? { op: 'interpolate', from: r[0], to: r[1], frames: c.count }
      : c.op === 'attribute' ? { op: 'attribute', parent: r[0], direction: { key: c.direction!.key, z: c.direction!.z }, amount: c.amount ?? 1, frames: c.count }
      : c.op === 'children' ? { op: 'children', parent: r[0], spread: c.spread }
        : { op: 'cross', parents: r, weights: used.map((_, i) => c.weights[i] ?? 1), spread: c.spread }
  // Strips do not use the seed: 0 keeps their recipes short and the same.
  return { modelId: model.id, seed: c.op === 'interpolate' || c.op === 'attribute' ? 0 : c.seed >>> 0, params, explore }
}
