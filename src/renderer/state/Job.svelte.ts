/**
 * One generation as the UI follows it: placeholders first, images filling in as `job/partial`
 * events stream, then done/failed/cancelled. Partials are queued and applied once per animation
 * frame so a 64-image burst costs one grid update, not 64 (no long tasks on the UI thread).
 * Chain jobs (a `steps` param, e.g. the RBM) stream several frames per tile: the latest replaces
 * the earlier ones, and a tile is finished when its frame reaches the last step.
 */
import type { Events, JobRequest, ModelSummary } from '../../common/contract'
import type { Recipe } from '../../common/recipe'
import { imageCount } from '../lib/params'
import { provisionalRecipe, tileRecipe } from '../lib/tile-recipe'
import { applyImageParts, isFinal, minStep, pendingTiles, type ImagePart, type Tile } from '../lib/tiles'

export type JobState = 'starting' | 'running' | 'done' | 'failed' | 'cancelled'

let nextKey = 1

const IMAGE_FAMILIES: ReadonlySet<string> = new Set(['gan', 'vae', 'vaegan', 'rbm', 'deepdream'])

/** What the status bar counts: grid tiles, chain steps, characters written, or bare engine progress. */
export type ProgressUnit = 'images' | 'steps' | 'chars' | 'parts'

export class Job {
  /** Stable key for keyed lists before the engine has given an id. */
  readonly key = nextKey++
  readonly request: JobRequest
  readonly model: ModelSummary
  readonly startedAt = performance.now()
  /** Steps per chain for jobs whose tiles stream frames (an image family with a `steps` param), else null. */
  readonly steps: number | null

  #id = $state<string | null>(null)
  #state = $state<JobState>('starting')
  #tiles = $state.raw<Tile[]>([])
  #done = $state(0)
  #total = $state(0)
  #ep = $state<string | null>(null)
  #ms = $state<number | null>(null)
  #recipe = $state.raw<Recipe | null>(null)
  #error = $state<string | null>(null)
  #queue: ImagePart[] = []
  #frame: number | null = null
  /** Cancel asked for before the engine had answered job/start. */
  cancelRequested = false

  constructor(request: JobRequest, model: ModelSummary) {
    this.request = request
    this.model = model
    // Image families get a placeholder per image up front; others (text, audio) stream into other views.
    const image = IMAGE_FAMILIES.has(model.family)
    const n = image ? imageCount(request.params) : 0
    const steps = Number(request.params.steps)
    this.steps = image && Number.isInteger(steps) && steps > 0 ? steps : null
    this.#tiles = pendingTiles(request.seed, n)
    this.#total = this.steps ?? n
  }

  get id() { return this.#id }
  get state() { return this.#state }
  get tiles(): readonly Tile[] { return this.#tiles }
  get done() { return this.#done }
  get total() { return this.#total }
  get ep() { return this.#ep }
  get ms() { return this.#ms }
  get recipe() { return this.#recipe }
  get error() { return this.#error }
  /** Still starting or running: Cancel applies to it. */
  get active() { return this.#state === 'starting' || this.#state === 'running' }

  /** The tile holds its last frame (a chain that reached its last step, or any image of a finished job). */
  isDone(tile: Tile): boolean {
    return isFinal(tile, this.steps) || (this.#state === 'done' && !!tile.image)
  }

  /**
   * Progress as the grid shows it, never ahead of it: images drawn; for chains, the step every tile
   * has reached; for families without tiles, the engine's job/progress.
   */
  get progressShown(): { done: number; total: number; unit: ProgressUnit } {
    const tiles = this.#tiles
    if (this.steps !== null) {
      return { done: this.#state === 'done' ? this.steps : minStep(tiles), total: this.steps, unit: 'steps' }
    }
    if (tiles.length) return { done: tiles.filter((t) => t.image).length, total: tiles.length, unit: 'images' }
    return { done: this.#done, total: this.#total, unit: 'parts' }
  }

  attach(jobId: string): void {
    this.#id = jobId
    if (this.#state === 'starting') this.#state = 'running'
  }

  progress(e: Events['job/progress']): void {
    this.#done = e.done
    this.#total = e.total
  }

  /**
   * Queue a streamed part; drawn on the next animation frame, at most PARTS_PER_FRAME a frame (a batch of
   * 64 arriving at once would otherwise be one long task). Non-image parts are not shown yet.
   */
  receive(e: Events['job/partial']): void {
    if (e.part.kind !== 'image') return
    this.#queue.push(e.part)
    this.#request()
  }

  #request(): void {
    if (this.#frame === null) this.#frame = schedule(() => this.#drain())
  }

  #drain(): void {
    this.#frame = null
    this.#tiles = applyImageParts(this.#tiles, this.#queue.splice(0, PARTS_PER_FRAME))
    if (this.#queue.length) this.#request()
  }

  /** Apply queued parts now (also called before done/failed so the final state is complete). */
  flush(): void {
    if (this.#frame !== null) unschedule(this.#frame)
    this.#frame = null
    const parts = this.#queue
    this.#queue = []
    this.#tiles = applyImageParts(this.#tiles, parts)
  }

  finish(e: Events['job/done']): void {
    this.flush()
    this.#state = 'done'
    this.#ep = e.ep
    this.#ms = e.ms
    this.#recipe = e.recipe
    this.#done = this.#total
  }

  fail(error: string, cancelled: boolean): void {
    this.flush()
    this.#state = cancelled ? 'cancelled' : 'failed'
    this.#error = cancelled ? null : error
  }

  /** The recipe that regenerates exactly this tile's frame (the engine's recipe when the job finished). */
  recipeFor(tile: Tile, appVersion: string): Recipe {
    const base = this.#recipe ?? provisionalRecipe(this.request, this.model, this.#ep, appVersion)
    return tileRecipe(base, tile.seed, tile.image?.step)
  }
}

/** Images drawn per frame while streaming: 16 tiles of a 64-image batch stay well inside one 16-ms frame. */
export const PARTS_PER_FRAME = 16

// requestAnimationFrame pauses in hidden windows; a timer keeps images arriving there too.
function schedule(fn: () => void): number {
  if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') {
    return requestAnimationFrame(fn)
  }
  return -(setTimeout(fn, 50) as unknown as number)
}

function unschedule(h: number): void {
  if (h >= 0) cancelAnimationFrame(h)
  else clearTimeout(-h)
}
