/**
 * An image job as the grid follows it: placeholders first, images filling in as `image` parts stream,
 * queued and applied once per animation frame so a 64-image burst costs a few grid updates, not 64 (no
 * long tasks on the UI thread). Chain jobs (a `steps` param, e.g. the RBM) stream several frames per
 * tile: the latest replaces the earlier ones, and a tile is finished when its frame reaches the last step.
 */
import type { Events, JobPart, JobRequest, ModelSummary } from '../../common/contract'
import { imageItemRecipe } from '../../common/items'
import type { Recipe } from '../../common/recipe'
import { imageCount } from '../lib/params'
import { applyImageParts, isFinal, minStep, pendingTiles, type ImagePart, type Tile } from '../lib/tiles'
import { Job, type Progress } from './Job.svelte'

export class ImageJob extends Job<'image'> {
  readonly modality = 'image'
  /**
   * Steps per chain for jobs whose tiles stream frames (a `steps` param), else null: the `steps` param
   * until the engine's first progress says how many the chain runs (Deep Dream: steps per octave × the
   * octaves its photo allows, so its frames are previews of one result, not shorter chains).
   */
  #steps = $state<number | null>(null)
  /** The `steps` param: a frame at step k < it is the end of the same chain run for k steps (RBM). */
  readonly #stepsParam: number | null

  #tiles = $state.raw<Tile[]>([])
  #queue: ImagePart[] = []
  #frame: number | null = null
  /** The job's end, applied after the drain that empties the queue. */
  #settled: (() => void) | null = null

  constructor(request: JobRequest, model: ModelSummary) {
    const n = imageCount(request.params)
    const steps = Number(request.params.steps)
    const chain = Number.isInteger(steps) && steps > 0 ? steps : null
    super(request, model, chain ?? n)
    this.#steps = this.#stepsParam = chain
    this.#tiles = pendingTiles(request.seed, n)
  }

  get tiles(): readonly Tile[] { return this.#tiles }
  get steps(): number | null { return this.#steps }

  override progress(e: Events['job/progress']): void {
    super.progress(e)
    if (this.#steps !== null && e.total > 0 && !e.stage) this.#steps = e.total
  }

  /** The tile holds its last frame (a chain that reached its last step, or any image of a finished job). */
  isDone(tile: Tile): boolean {
    return isFinal(tile, this.steps) || (this.state === 'done' && !!tile.image)
  }

  /**
   * Progress as the grid shows it, never ahead of it: images drawn; for chains, the step every tile
   * has reached; without tiles, the engine's job/progress.
   */
  get progressShown(): Progress {
    const tiles = this.#tiles
    if (this.steps !== null) {
      return { done: this.state === 'done' ? this.steps : minStep(tiles), total: this.steps, unit: 'steps' }
    }
    if (tiles.length) return { done: tiles.filter((t) => t.image).length, total: tiles.length, unit: 'images' }
    return { done: this.done, total: this.total, unit: 'parts' }
  }

  /** Images, or chain steps × chains. */
  override get work(): number {
    return (this.steps ?? 1) * this.#tiles.length
  }

  /** Queue an image part; drawn on the next animation frame, at most PARTS_PER_FRAME a frame. */
  receive(part: JobPart): void {
    if (part.kind !== 'image') return
    this.#queue.push(part)
    this.#request()
  }

  #request(): void {
    if (this.#frame === null) this.#frame = schedule(() => this.#drain())
  }

  #drain(): void {
    this.#frame = null
    this.#tiles = applyImageParts(this.#tiles, this.#queue.splice(0, PARTS_PER_FRAME))
    if (this.#queue.length) this.#request()
    else this.#settled?.()
  }

  /**
   * The end waits for the grid: a fast engine often finishes while most of a 64-image batch is still
   * queued, and drawing all of it at job/done was one long task (52–104 ms on an idle 2-core machine).
   */
  protected override settle(end: () => void): void {
    if (!this.#queue.length) return end()
    this.#settled = () => {
      this.#settled = null
      end()
    }
  }

  flush(): void {
    if (this.#frame !== null) unschedule(this.#frame)
    this.#frame = null
    const parts = this.#queue
    this.#queue = []
    this.#tiles = applyImageParts(this.#tiles, parts)
    this.#settled?.()
  }

  /** The recipe that regenerates exactly this tile's frame (the engine's recipe when the job finished). */
  recipeFor(tile: Tile, appVersion: string): Recipe {
    // Only a chain as long as its `steps` param has frames that are shorter chains of their own.
    const prefix = this.#steps === this.#stepsParam
    return imageItemRecipe(this.jobRecipe(appVersion), { index: tile.index, step: prefix ? tile.image?.step : undefined })
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
