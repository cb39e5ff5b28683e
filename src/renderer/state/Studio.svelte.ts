/**
 * The studio's state and actions, over whichever StudioClient the host gives (Electron IPC or the
 * server's WebSocket). Components read getters and call methods; all engine traffic goes through here.
 */
import type { EngineState, Events, EventName, JobRequest, StudioClient } from '../../common/contract'
import { version as appVersion } from '../../../package.json'
import { isTextFileName } from '../lib/text-drafts'
import type { Tile } from '../lib/tiles'
import { AudioJob } from './AudioJob.svelte'
import { Catalog } from './Catalog.svelte'
import { Job } from './Job.svelte'
import { ParamForm } from './ParamForm.svelte'
import { TextJob } from './TextJob.svelte'
import { TextStudio } from './TextStudio.svelte'
import { Toasts } from './Toasts.svelte'

/** Past jobs kept (with their images: 64 × 64×64 RGBA ≈ 1 MB each). */
const MAX_HISTORY = 30

export class Studio {
  readonly client: StudioClient
  readonly toasts = new Toasts()
  readonly catalog = new Catalog()
  readonly form = new ParamForm()
  /** The text pane's cursor, branching, copy/export and text files (char-lstm models). */
  readonly text: TextStudio = new TextStudio(this)

  #jobs = $state.raw<Job[]>([])
  #shown = $state.raw<Job | null>(null)
  #engine = $state<{ state: EngineState | 'connecting'; message?: string }>({ state: 'connecting' })
  #lastEp = $state<string | null>(null)
  #viewer = $state.raw<{ job: Job; index: number } | null>(null)
  /** job/start calls in flight: events for ids we do not know yet wait for them. */
  #starting = 0
  #early = new Map<string, (() => void)[]>()
  #offs: (() => void)[] = []

  constructor(client: StudioClient) {
    this.client = client
  }

  get jobs(): readonly Job[] { return this.#jobs }
  get shown(): Job | null { return this.#shown }
  get engine() { return this.#engine }
  get lastEp() { return this.#lastEp }
  get viewer() { return this.#viewer }
  get running(): boolean { return this.#jobs.some((j) => j.active) }

  /** Subscribe to engine events, then load the model list and engine state. */
  async init(): Promise<void> {
    this.#on('job/progress', (e) => this.#route(e.jobId, (j) => j.progress(e)))
    this.#on('job/partial', (e) => this.#route(e.jobId, (j) => j.receive(e)))
    this.#on('job/done', (e) =>
      this.#route(e.jobId, (j) => {
        j.finish(e)
        this.#lastEp = e.ep
        for (const w of e.warnings) this.toasts.info(w)
      }),
    )
    this.#on('job/failed', (e) =>
      this.#route(e.jobId, (j) => {
        j.fail(e.error, e.cancelled)
        if (e.cancelled) this.toasts.info('Cancelled')
        else this.toasts.error(`Generation with ${j.model.id} failed: ${e.error}`)
      }),
    )
    this.#on('engine/status', (e) => (this.#engine = { state: e.state, message: e.message }))
    await Promise.all([this.reloadModels(false), this.#loadEngineInfo()])
  }

  dispose(): void {
    for (const off of this.#offs) off()
    this.#offs = []
  }

  async reloadModels(rescan = true): Promise<void> {
    try {
      this.catalog.set(await this.client.invoke(rescan ? 'models/reload' : 'models/list', undefined))
      const m = this.catalog.selected
      if (m && this.form.modelId !== m.id) this.form.load(m.id, m.params)
    } catch (e) {
      this.toasts.error(`Could not list models: ${message(e)}`)
    }
  }

  /** Select a model for the panel; a broken one stays unselected and says why. */
  selectModel(id: string): void {
    if (!this.catalog.select(id)) {
      const m = this.catalog.find(id)
      if (m?.error) this.toasts.error(`${m.title} (${m.id}) cannot be used: ${m.error}`)
      return
    }
    const m = this.catalog.selected
    if (m && this.form.modelId !== m.id) this.form.load(m.id, m.params)
  }

  /** `branch`: text families continuing from a position of an earlier draft (see TextStudio). */
  async generate(branch?: JobRequest['branch']): Promise<void> {
    const model = this.catalog.selected
    if (!model) return this.toasts.error('Pick a model first')
    const seed = this.form.seed
    const problem = this.form.problem // an invalid field (the panel says which): never send a value the user did not see
    if (problem || seed === null) return this.toasts.error(`Cannot generate — ${problem}`)
    const request: JobRequest = { modelId: model.id, seed, params: this.form.snapshot(), ...(branch ? { branch } : {}) }
    const job = model.family === 'char-lstm' ? new TextJob(request, model) : model.family === 'wavenet' ? new AudioJob(request, model) : new Job(request, model)
    this.#jobs = [job, ...this.#jobs].slice(0, MAX_HISTORY)
    this.#shown = job
    this.#viewer = null
    this.#starting++
    try {
      const { jobId } = await this.client.invoke('job/start', request)
      job.attach(jobId)
      for (const replay of this.#early.get(jobId) ?? []) replay()
      this.#early.delete(jobId)
      if (job.cancelRequested) await this.#cancelJob(job)
    } catch (e) {
      job.fail(message(e), false)
      this.toasts.error(`Could not start: ${message(e)}`)
    } finally {
      if (--this.#starting === 0) this.#early.clear()
    }
  }

  /** Cancel every job of ours that is starting or running. */
  async cancel(): Promise<void> {
    await Promise.all(this.#jobs.filter((j) => j.active).map((j) => this.#cancelJob(j)))
  }

  /** Esc: close the viewer (or the text cursor's toolbar) first, else cancel. */
  escape(): void {
    if (this.#viewer) this.#viewer = null
    else if (this.text.cursor) this.text.close()
    else if (this.running) void this.cancel()
  }

  /** Show a past job's images and put its recipe back into the panel. */
  showJob(job: Job): void {
    this.#shown = job
    this.#viewer = null
    const r = job.recipe
    this.#restore(job.model.id, r?.seed ?? job.request.seed, r?.params ?? job.request.params)
  }

  openViewer(job: Job, index: number): void {
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
  useSeed(job: Job, tile: Tile): void {
    this.#restore(job.model.id, tile.seed, job.request.params)
    this.#viewer = null
    this.toasts.info(`Seed ${tile.seed} is set`)
  }

  async exportTile(job: Job, tile: Tile, scale: number): Promise<void> {
    if (!tile.image) return
    try {
      // Loaded on first use: the encoder and zod stay out of the startup chunk.
      const { encodeTilePng, exportFileName } = await import('../lib/png-export')
      const bytes = await encodeTilePng(tile.image, scale, job.recipeFor(tile, appVersion))
      const name = exportFileName(job.model.id, tile.seed, scale)
      const where = await this.client.saveFile(name, bytes, 'image/png')
      // Electron resolves to the chosen path (null: dialog cancelled); the browser to the download's name.
      if (where) this.toasts.info(this.client.host === 'electron' ? `Saved ${where}` : `Downloaded ${where}`)
    } catch (e) {
      this.toasts.error(`Export failed: ${message(e)}`)
    }
  }

  /** A file dropped on the window: restore its recipe or say clearly why not. Grid/history untouched. */
  async restoreFromFile(file: File): Promise<void> {
    if (isTextFileName(file.name)) return this.text.openFile(file)
    if (/\.wav$/i.test(file.name)) return (await import('./audio-actions')).openWav(this, file)
    const { checkDropSize, restoreFromPng } = await import('../lib/recipe-restore')
    const tooBig = checkDropSize(file.name, file.size)
    if (tooBig) return this.toasts.error(tooBig)
    let bytes: Uint8Array
    try {
      bytes = new Uint8Array(await file.arrayBuffer())
    } catch (e) {
      return this.toasts.error(`Could not read ${file.name}: ${message(e)}`)
    }
    const r = restoreFromPng(file.name, bytes, this.catalog.models)
    if (!r.ok) return this.toasts.error(r.error)
    this.#restore(r.model.id, r.seed, r.params)
    this.toasts.info(`Recipe restored from ${file.name}`)
    for (const n of r.notes) this.toasts.info(n)
  }

  /** Put a recipe into the panel (false, with a toast, when its model is gone). */
  restore(modelId: string, seed: number, params: JobRequest['params']): boolean {
    this.#restore(modelId, seed, params)
    return this.catalog.selected?.id === modelId
  }

  /** Show a finished job made outside the engine (a text opened from a file) and keep it in history. */
  present(job: Job): void {
    this.#jobs = [job, ...this.#jobs].slice(0, MAX_HISTORY)
    this.#shown = job
    this.#viewer = null
  }

  #restore(modelId: string, seed: number, params: JobRequest['params']): void {
    if (!this.catalog.select(modelId)) {
      return this.toasts.error(`Model "${modelId}" is not available any more`)
    }
    const m = this.catalog.selected!
    this.form.load(m.id, m.params, params)
    this.form.setSeed(seed)
  }

  async #cancelJob(job: Job): Promise<void> {
    if (!job.id) return void (job.cancelRequested = true)
    try {
      await this.client.invoke('job/cancel', { jobId: job.id })
    } catch (e) {
      this.toasts.error(`Could not cancel: ${message(e)}`)
    }
  }

  async #loadEngineInfo(): Promise<void> {
    try {
      const info = await this.client.invoke('engine/info', undefined)
      // An engine/status event that arrived meanwhile is newer than this reply.
      if (this.#engine.state === 'connecting') this.#engine = { state: info.state }
    } catch (e) {
      this.#engine = { state: 'stopped', message: message(e) }
    }
  }

  #on<E extends EventName>(name: E, cb: (payload: Events[E]) => void): void {
    this.#offs.push(this.client.on(name, cb))
  }

  /** Run `fn` on our job with this id; hold it while a job/start reply may still name it. */
  #route(jobId: string, fn: (job: Job) => void): void {
    const job = this.#jobs.find((j) => j.id === jobId)
    if (job) return fn(job)
    if (this.#starting === 0) return // another window's job
    const list = this.#early.get(jobId) ?? []
    list.push(() => this.#route(jobId, fn))
    this.#early.set(jobId, list)
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
