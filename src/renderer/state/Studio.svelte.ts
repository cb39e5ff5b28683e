/**
 * The studio shell's state and actions, over whichever StudioClient the host gives (Electron IPC or the
 * server's WebSocket): the model list, the panel, the queue (Queue.svelte.ts), the session's jobs and the
 * kept history (DiskHistory.svelte.ts), the job on the stage, engine status, and routing engine events
 * to jobs. The stage follows the selected model: it shows that model's latest job or nothing, never
 * another model's results. What a job shows and what can be done with it belongs to its modality
 * (state/modalities.ts): each gets the services below, not the Studio. Components read getters and call
 * methods; all engine traffic goes through here.
 */
import { newJobId, type EngineState, type Events, type EventName, type JobRequest, type ModelSummary, type StudioClient } from '../../common/contract'
import { MODALITIES, MODALITY_INFO, modalityOf, notOpenable, type Modality } from '../../common/modality'
import { version as appVersion } from '../../../package.json'
import { freeSeed } from '../lib/same-job'
import { Catalog } from './Catalog.svelte'
import { DiskHistory } from './DiskHistory.svelte'
import type { Job } from './Job.svelte'
import { JobInputs } from './JobInputs.svelte'
import { RENDERER_MODALITIES, type ActionsOf } from './modalities'
import { ParamForm } from './ParamForm.svelte'
import { Queue } from './Queue.svelte'
import type { Bare, StudioServices } from './services'
import { Toasts } from './Toasts.svelte'

/** Past jobs kept (with their images: 64 × 64×64 RGBA ≈ 1 MB each). */
const MAX_HISTORY = 30

type Modes = { [M in Modality]: ActionsOf<M> }

export class Studio {
  readonly client: StudioClient
  readonly toasts = new Toasts()
  readonly catalog = new Catalog()
  readonly form = new ParamForm()
  /** Each modality's actions (the image viewer, the text cursor, audio export…). */
  readonly modes: Modes
  /** Jobs waiting for, and going to, the engine one at a time, in the order the user chose. */
  readonly queue = new Queue((job) => this.#send(job))
  /** Finished jobs kept by the host, across reloads and restarts. */
  readonly history: DiskHistory
  /** The files the selected model's jobs take in (a photo to dream on), as the panel holds them. */
  readonly inputs: JobInputs

  #jobs = $state.raw<Job[]>([])
  #shown = $state.raw<Job | null>(null)
  #engine = $state<{ state: EngineState | 'connecting'; message?: string }>({ state: 'connecting' })
  #lastEp = $state<string | null>(null)
  #offs: (() => void)[] = []
  /** The stage shows each job of the selected model as it starts, until the user picks a past one. */
  #following = true

  constructor(client: StudioClient) {
    this.client = client
    this.inputs = new JobInputs(client)
    const services = this.#services()
    this.modes = Object.fromEntries(MODALITIES.map((m) => [m, RENDERER_MODALITIES[m].actions(services)])) as Modes
    this.history = new DiskHistory({ client, toasts: this.toasts, catalog: this.catalog, appVersion, show: (job) => this.#showKept(job) })
  }

  get images() { return this.modes.image }
  get text() { return this.modes.text }
  get audio() { return this.modes.audio }
  get music() { return this.modes.music }
  get jobs(): readonly Job[] { return this.#jobs }
  get shown(): Job | null { return this.#shown }
  get engine() { return this.#engine }
  get lastEp() { return this.#lastEp }
  /** A job is in the engine (Cancel and Esc stop it; the queue then moves on). */
  get running(): boolean { return this.queue.current !== null }
  /** What the selected model makes: which pane is on the stage. */
  get modality(): Modality { return modalityOf(this.catalog.selected?.family) ?? 'image' }

  /** Subscribe to engine events, then load the model list and engine state. */
  async init(): Promise<void> {
    this.#on('job/progress', (e) => this.#job(e.jobId)?.progress(e))
    this.#on('job/partial', (e) => this.#job(e.jobId)?.receive(e.part))
    this.#on('job/done', (e) => {
      const j = this.#job(e.jobId)
      if (!j) return
      j.finish(e)
      this.queue.end(j, e.ms)
      this.#lastEp = e.ep
      for (const w of e.warnings) this.toasts.info(w)
      void this.history.keep(j)
    })
    this.#on('job/failed', (e) => {
      const j = this.#job(e.jobId)
      if (!j) return
      j.fail(e.error, e.cancelled)
      this.queue.end(j)
      if (e.cancelled) this.toasts.info('Cancelled')
      // The text pane names a shown job's failure beside its drafts (the characters a prime cannot use): once.
      else if (j !== this.#shown || j.modality !== 'text') this.toasts.error(`Generation with ${j.model.id} failed: ${e.error}`)
    })
    this.#on('engine/status', (e) => (this.#engine = { state: e.state, message: e.message }))
    await Promise.all([this.reloadModels(false), this.#loadEngineInfo()])
    this.history.prefetch()
  }

  dispose(): void {
    this.queue.dispose()
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
    this.#follow()
  }

  /** `branch`: text families continuing from a position of an earlier draft (see TextStudio). */
  async generate(branch?: JobRequest['branch']): Promise<void> {
    const model = this.catalog.selected
    if (!model) return this.toasts.error('Pick a model first')
    const seed = this.form.seed
    const problem = this.form.problem // an invalid field (the panel says which): never send a value the user did not see
    if (problem || seed === null) return this.toasts.error(`Cannot generate — ${problem}`)
    const missing = this.inputs.problem(model)
    if (missing) return this.toasts.error(`Cannot generate — ${missing}`)
    const files = this.inputs.forRequest(model)
    const request: JobRequest = { modelId: model.id, seed, params: this.form.snapshot(), ...(branch ? { branch } : {}), ...(files ? { inputs: files.inputs } : {}) }
    const modality = modalityOf(model.family) ?? 'image'
    // The same seed and settings again would make the very same items: move on to the next free seeds.
    const taken = [...this.queue.waiting, ...this.#jobs].filter((j) => j.id !== null && j.state !== 'failed' && j.state !== 'cancelled')
    const free = freeSeed(request, taken.map((j) => j.request), Number(request.params[MODALITY_INFO[modality].countParam]) || 1)
    if (free !== null) {
      this.toasts.info(`Seed ${seed} with these settings is already made or queued: using seed ${free}, the next unused`)
      request.seed = free
      this.form.setSeed(free)
    }
    const job: Job = RENDERER_MODALITIES[modality].job(request, model)
    if (files) job.inputRecords = files.records
    // Our id, known before the request leaves: events that beat the reply already find their job.
    job.attach(newJobId())
    this.#following = true
    this.queue.add(job)
  }

  /** Stop the running job (Cancel, Esc); the queue then starts the next. */
  async cancel(): Promise<void> {
    const job = this.queue.current
    if (job) await this.#cancelJob(job)
  }

  /** Cancel one job: take it out of the queue, or stop it if it runs. */
  async cancelJob(job: Job): Promise<void> {
    if (!this.queue.drop(job) && job === this.queue.current) await this.#cancelJob(job)
  }

  /** Empty the queue and stop the running job. */
  async cancelAll(): Promise<void> {
    for (const j of [...this.queue.waiting]) this.queue.drop(j)
    await this.cancel()
  }

  /** Esc: close what a modality has open (the image viewer, the text cursor) first, else stop the running job. */
  escape(): void {
    if (MODALITIES.some((m) => this.modes[m].escape())) return
    if (this.running) void this.cancel()
  }

  /** Show a past job and put its recipe back into the panel. */
  showJob(job: Job): void {
    this.#following = job === this.queue.current // the running job: keep following the queue
    if (job.file !== null && !job.recipe) {
      // A file made elsewhere (no recipe): shown under its model, nothing to put back into the panel.
      if (this.catalog.selected?.id !== job.model.id) this.selectModel(job.model.id)
      return this.#stage(job, false)
    }
    this.#stage(job, false)
    const r = job.recipe
    this.#restore(job.model.id, r?.seed ?? job.request.seed, r?.params ?? job.request.params)
    if (job.model.inputs) void this.inputs.restore(job.model, job.jobRecipe(appVersion), job.request.inputs)
  }

  /**
   * A file dropped on the window or opened (one Open… for every kind): the modality its first bytes or
   * its name tell restores it; a kind the studio does not read is refused, naming the kinds it does.
   */
  async restoreFromFile(file: File): Promise<void> {
    let head: Uint8Array
    try {
      head = new Uint8Array(await file.slice(0, 64).arrayBuffer())
    } catch (e) {
      return this.toasts.error(`Could not read ${file.name}: ${message(e)}`)
    }
    const m = (await import('../../common/codecs')).fileModality(file.name, head)
    // A photo dropped while a model that dreams on photos is picked is its input, unless it carries a recipe.
    if (await this.inputs.dropped(this.catalog.selected, file, head, m)) return
    if (!m) return this.toasts.error(notOpenable(file.name))
    return this.modes[m].openFile(file)
  }

  /** Put a recipe into the panel (false, with a toast, when its model is gone). */
  restore(modelId: string, seed: number, params: JobRequest['params']): boolean {
    this.#restore(modelId, seed, params)
    return this.catalog.selected?.id === modelId
  }

  /** The queue sends a job: it joins the session's jobs (on the stage if its model is picked), then the engine. */
  async #send(job: Job): Promise<void> {
    job.submit()
    this.#jobs = [job, ...this.#jobs].slice(0, MAX_HISTORY)
    if (this.#following && this.catalog.selected?.id === job.model.id) this.#stage(job, false)
    try {
      await this.client.invoke('job/start', { ...job.request, jobId: job.id! })
      job.started()
      if (job.cancelRequested) await this.#cancelJob(job)
    } catch (e) {
      job.fail(message(e), false)
      this.queue.end(job)
      this.toasts.error(`Could not start: ${message(e)}`)
    }
  }

  /** A job kept in history, opened again: on the stage, its recipe in the panel. */
  #showKept(job: Job): void {
    this.#following = false
    this.#restore(job.model.id, job.request.seed, job.request.params)
    if (job.model.inputs) void this.inputs.restore(job.model, job.recipe)
    this.#stage(job, true)
  }

  /** After the selection changed: the stage shows the selected model's latest job, or nothing. */
  #follow(): void {
    const id = this.catalog.selected?.id
    if (this.#shown && this.#shown.model.id === id) return
    const latest = this.#jobs.find((j) => j.model.id === id && j.state !== 'queued') ?? null
    this.#shown = latest
    for (const m of MODALITIES) this.modes[m].staged(latest)
  }

  #stage(job: Job, remember: boolean): void {
    if (remember) this.#jobs = [job, ...this.#jobs].slice(0, MAX_HISTORY)
    this.#shown = job
    for (const m of MODALITIES) this.modes[m].staged(job)
  }

  #restore(modelId: string, seed: number, params: JobRequest['params']): void {
    if (!this.catalog.select(modelId)) {
      return this.toasts.error(`Model "${modelId}" is not available any more`)
    }
    const m = this.catalog.selected!
    this.form.load(m.id, m.params, params)
    this.form.setSeed(seed)
    this.#follow()
  }

  /** What the modalities may use (services.ts): a narrow view of this studio. */
  #services(): StudioServices {
    const studio = this
    return {
      client: this.client, toasts: this.toasts, catalog: this.catalog, form: this.form, appVersion,
      get shown() { return studio.shown },
      get jobs() { return studio.jobs },
      get inputs() { return studio.inputs },
      enqueue: (job) => {
        job.attach(newJobId())
        this.#following = true
        this.queue.add(job)
      },
      generate: (branch) => this.generate(branch),
      cancel: () => this.cancel(),
      selectModel: (id) => this.selectModel(id),
      restore: (modelId, seed, params) => this.restore(modelId, seed, params),
      save: async (build) => {
        try {
          const { name, bytes, mime } = await build()
          const where = await this.client.saveFile(name, bytes, mime)
          // Electron resolves to the chosen path (null: dialog cancelled); the browser to the download's name.
          if (where) this.toasts.info(this.client.host === 'electron' ? `Saved ${where}` : `Downloaded ${where}`)
        } catch (e) {
          this.toasts.error(`Export failed: ${message(e)}`)
        }
      },
      open: async (file, m, restore, job) => {
        const { sizeError } = await import('../../common/codecs')
        const tooBig = sizeError(m, file.name, file.size)
        if (tooBig) return this.toasts.error(tooBig)
        let bytes: Uint8Array
        try {
          bytes = new Uint8Array(await file.arrayBuffer())
        } catch (e) {
          return this.toasts.error(`Could not read ${file.name}: ${message(e)}`)
        }
        const r = await restore(file.name, bytes, this.catalog.models)
        if (!r.ok) return this.toasts.error(r.error)
        if (r.recipe === null) return this.#openBare(file.name, m, r, job as ((r: Bare, model: ModelSummary) => Job) | undefined)
        if (!this.restore(r.model.id, r.seed, r.params)) return
        void this.inputs.restore(r.model, r.recipe)
        if (job) this.#stage(job(r, r.model), true)
        this.toasts.info(`Recipe restored from ${file.name}`)
        for (const n of r.notes) this.toasts.info(n)
      },
    }
  }

  /** A file without a recipe: under the selected model when it makes `m`, else the first that does. */
  #openBare(name: string, m: Modality, r: Bare, job?: (r: Bare, model: ModelSummary) => Job): void {
    const picked = this.catalog.selected
    const model = picked && modalityOf(picked.family) === m ? picked : this.catalog.models.find((x) => !x.error && modalityOf(x.family) === m)
    if (!model) return this.toasts.error(`${name} has no recipe, and no installed model makes this kind of file to show it with`)
    if (picked?.id !== model.id) this.selectModel(model.id)
    if (job) this.#stage(job(r, model), true)
    for (const n of r.notes) this.toasts.info(n)
  }

  async #cancelJob(job: Job): Promise<void> {
    // Not accepted yet: cancelled as soon as it is (the engine might not know the id before its reply).
    if (job.state === 'starting') return void (job.cancelRequested = true)
    try {
      await this.client.invoke('job/cancel', { jobId: job.id! })
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

  /** Our job with this id (events of other windows' jobs find none). */
  #job(jobId: string): Job | undefined {
    return this.#jobs.find((j) => j.id === jobId)
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
