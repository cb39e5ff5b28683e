/**
 * The image modality's actions: the viewer over a grid (open, step, close), putting a tile's seed into
 * the panel, exporting a tile as a PNG with its recipe, and restoring a dropped PNG's recipe.
 */
import type { JobRequest } from '../../common/contract'
import type { Recipe } from '../../common/recipe'
import type { Job } from './Job.svelte'
import { ImageJob } from './ImageJob.svelte'
import type { Tile } from '../lib/tiles'
import type { ModalityActions } from './modality-actions'
import type { StudioServices } from './services'

export class ImageStudio implements ModalityActions {
  readonly #s: StudioServices
  #viewer = $state.raw<{ job: ImageJob; index: number } | null>(null)
  /** The explore op of the last file opened (a strip's GIF, a child's PNG), for the explore panel to make again. */
  #restoredExplore = $state.raw<{ file: string; recipe: Recipe } | null>(null)

  constructor(services: StudioServices) {
    this.#s = services
  }

  get viewer() { return this.#viewer }
  get restoredExplore() { return this.#restoredExplore }

  /** Queue an explore job the explore panel built (interpolate, breed, encode: common/explore.ts). */
  runExplore(request: JobRequest): ImageJob | null {
    const model = this.#s.catalog.models.find((m) => m.id === request.modelId)
    if (!model) return null
    const job = new ImageJob(request, model)
    this.#s.enqueue(job)
    return job
  }

  /** An interpolation strip as one looping GIF, the job's recipe inside (common/strip-gif.ts). */
  exportStrip(job: ImageJob, scale: number): Promise<void> {
    const frames = job.tiles.map((t) => t.image)
    if (!frames.length || frames.some((f) => !f)) return Promise.resolve()
    return this.#s.save(async () => {
      const { encodeStripGif, stripFileName } = await import('../../common/strip-gif')
      const recipe = job.jobRecipe(this.#s.appVersion)
      const { width, height } = frames[0]!
      const bytes = encodeStripGif(frames.map((f) => f!.rgba), width, height, recipe, { scale })
      return { name: stripFileName(job.model.id, recipe, scale), bytes, mime: 'image/gif' }
    })
  }

  openViewer(job: ImageJob, index: number): void {
    if (job.tiles[index]?.image) this.#viewer = { job, index }
  }

  closeViewer(): void {
    this.#viewer = null
  }

  /** Move the viewer to the previous/next image that has arrived. */
  step(delta: 1 | -1): void {
    const v = this.#viewer
    if (!v) return
    const tiles = v.job.tiles
    for (let i = v.index + delta; i >= 0 && i < tiles.length; i += delta) {
      if (tiles[i].image) return void (this.#viewer = { job: v.job, index: i })
    }
  }

  /** Put a tile's seed (and its job's model and params) into the panel. */
  useSeed(job: ImageJob, tile: Tile): void {
    if (job.request.explore) {
      // A child or a frame is not the prior's sample of a seed: the panel could not make it again.
      return this.#s.toasts.info('This image comes from exploring (a child, a frame or an encoded photo): its seed alone does not make it. Pick it as a parent, or export it to keep its recipe')
    }
    this.#s.restore(job.model.id, tile.seed, job.request.params)
    this.#viewer = null
    this.#s.toasts.info(`Seed ${tile.seed} is set`)
  }

  exportTile(job: ImageJob, tile: Tile, scale: number): Promise<void> {
    const image = tile.image
    if (!image) return Promise.resolve()
    return this.#s.save(async () => {
      // Loaded on first use: the encoder and zod stay out of the startup chunk.
      const { encodeTilePng, exportFileName } = await import('../lib/png-export')
      const bytes = await encodeTilePng(image, scale, job.recipeFor(tile, this.#s.appVersion))
      return { name: exportFileName(job.model.id, tile.seed, scale), bytes, mime: 'image/png' }
    })
  }

  /** Every finished image of `job`, each a PNG with its own recipe, in one ZIP (lib/zip-export.ts). */
  exportAll(job: ImageJob, scale: number): Promise<void> {
    const done = job.tiles.filter((t) => t.image && job.isDone(t))
    if (!done.length) return Promise.resolve()
    return this.#s.save(async () => {
      const { encodeImagesZip, zipFileName } = await import('../lib/zip-export')
      const images = done.map((t) => ({ image: t.image!, seed: t.seed, recipe: job.recipeFor(t, this.#s.appVersion) }))
      const bytes = await encodeImagesZip(job.model.id, images, scale)
      return { name: zipFileName(job.model.id, job.request.seed, images.length, scale), bytes, mime: 'application/zip' }
    })
  }

  /** A PNG dropped or opened: its recipe into the panel (the grid and history stay as they are). */
  openFile(file: File): Promise<void> {
    return this.#s.open(file, 'image', async (...a) => {
      const r = (await import('../lib/recipe-restore')).restoreFromPng(...a)
      // The panel takes the model, seed and params; an explore op waits in the explore panel.
      this.#restoredExplore = r.ok && r.recipe.explore ? { file: file.name, recipe: r.recipe } : null
      return r
    })
  }

  escape(): boolean {
    if (!this.#viewer) return false
    this.#viewer = null
    return true
  }

  staged(_job: Job | null): void {
    this.#viewer = null
  }
}
