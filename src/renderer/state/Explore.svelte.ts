/**
 * The explore panel's state (README "Explore a latent space"): the tiles picked as parents, the choices
 * for interpolate / breed, and photos being encoded. Jobs go through the image modality's queue
 * (ImageStudio.runExplore); an encoded photo's reconstruction becomes a parent once it arrives, so two
 * dropped photos are ready to interpolate. One per studio (`exploreOf`).
 */
import type { JobRequest, ModelSummary } from '../../common/contract'
import { INPUT_LIMITS } from '../../common/inputs'
import { exploreRequest, type ExploreChoice, type Parent } from '../lib/explore-parents'
import { ImageJob } from './ImageJob.svelte'
import type { Studio } from './Studio.svelte'

/** A grid holds 64 images, a cross takes 8 parents (common/explore.ts). */
export const MAX_PICKED = 8

export class ExploreState {
  readonly #studio: Studio
  #parents = $state.raw<Parent[]>([])
  /** Encode jobs whose reconstruction joins the parents when it arrives. */
  #encoding = $state.raw<ImageJob[]>([])
  /** While on, clicking a tile picks it instead of opening the viewer. */
  picking = $state(false)
  frames = $state(8)
  children = $state(8)
  spread = $state(0.3)
  weights = $state<number[]>([])
  /** attribute: the chosen direction's key and how far the strip goes along it. */
  direction = $state('')
  amount = $state(2)

  constructor(studio: Studio) {
    this.#studio = studio
  }

  get parents(): readonly Parent[] { return this.#parents }
  get encoding(): readonly ImageJob[] { return this.#encoding }

  /** A tile of `job` as a parent; picking a picked tile again drops it. */
  pick(job: ImageJob, index: number): void {
    const img = job.tiles[index]?.image
    if (!img) return
    const same = this.#parents.findIndex((p) => p.rgba === img.rgba)
    if (same >= 0) return this.remove(same)
    if (this.#parents.length >= MAX_PICKED) return this.#studio.toasts.error(`At most ${MAX_PICKED} parents: remove one first`)
    this.#add({ modelId: job.model.id, request: job.request, seed: job.tiles[index].seed, rgba: img.rgba, width: img.width, height: img.height, latent: img.latent ?? null })
  }

  /** The parent letter of a tile of `job` (A, B, …), for the grid; undefined when it is not picked. */
  badge(job: ImageJob, index: number): string | undefined {
    const rgba = job.tiles[index]?.image?.rgba
    const k = rgba ? this.#parents.findIndex((p) => p.rgba === rgba) : -1
    return k < 0 ? undefined : String.fromCharCode(65 + k)
  }

  remove(i: number): void {
    this.#parents = this.#parents.filter((_, k) => k !== i)
    this.weights = this.weights.filter((_, k) => k !== i)
  }

  clear(): void {
    this.#parents = []
    this.weights = []
  }

  /** Queue interpolate, children or crossbreed of the picked tiles; a refusal is a toast. */
  run(model: ModelSummary, op: ExploreChoice['op']): void {
    const count = op === 'interpolate' || op === 'attribute' ? this.frames : this.children
    const seed = crypto.getRandomValues(new Uint32Array(1))[0] // fresh children each click; the recipe keeps it
    const direction = model.directions?.find((d) => d.key === this.direction)
    const req = exploreRequest(model, this.#parents, { op, count, spread: this.spread, weights: this.weights, seed, direction, amount: this.amount })
    if (typeof req === 'string') return this.#studio.toasts.error(`Cannot ${{ cross: 'crossbreed', attribute: 'move along a direction', interpolate: 'interpolate', children: 'breed' }[op]} — ${req}`)
    this.picking = false
    this.#studio.images.runExplore(req)
  }

  /** Encode each photo (VAE models): its reconstruction shows on the stage and joins the parents. */
  async encode(model: ModelSummary, files: readonly File[]): Promise<void> {
    for (const file of files) {
      if (file.size > INPUT_LIMITS.image) {
        this.#studio.toasts.error(`${file.name} is ${(file.size / 1048576).toFixed(1)} MiB: photos up to ${INPUT_LIMITS.image / 1048576} MiB are encoded`)
        continue
      }
      const bytes = new Uint8Array(await file.arrayBuffer())
      const params = Object.fromEntries(model.params.map((p) => [p.key, p.default]))
      const req: JobRequest = {
        modelId: model.id, seed: 0, params: { ...params, count: 1 }, explore: { op: 'encode' },
        inputs: { photo: { kind: 'image', bytes, fileName: file.name } },
      }
      const job = this.#studio.images.runExplore(req)
      if (job) this.#encoding = [...this.#encoding, job]
    }
  }

  /** Called as jobs progress (the panel's effect): finished encodes join the parents. */
  settle(): void {
    const done = this.#encoding.filter((j) => j.state !== 'queued' && !j.active)
    if (!done.length) return
    this.#encoding = this.#encoding.filter((j) => !done.includes(j))
    for (const j of done) if (j.state === 'done') this.pick(j, 0)
  }

  /** The models changed under the parents: keep those of `modelId`. */
  keepModel(modelId: string | undefined): void {
    if (!this.#parents.some((p) => p.modelId !== modelId)) return
    this.weights = this.weights.filter((_, i) => this.#parents[i]?.modelId === modelId)
    this.#parents = this.#parents.filter((p) => p.modelId === modelId)
  }

  #add(p: Parent): void {
    this.#parents = [...this.#parents, p]
    this.weights = [...this.weights, 1]
  }
}

const states = new WeakMap<Studio, ExploreState>()
export function exploreOf(studio: Studio): ExploreState {
  let s = states.get(studio)
  if (!s) states.set(studio, (s = new ExploreState(studio)))
  return s
}
