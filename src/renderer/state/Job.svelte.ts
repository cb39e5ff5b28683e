/**
 * One generation as the UI follows it, whatever it makes: its request, model, engine id, state
 * (queued → starting → running → done/failed/cancelled; Queue.svelte.ts holds queued jobs), progress, the EP and time it took, and the recipe
 * the engine sent with `job/done`. What it shows differs per modality: ImageJob, TextJob and AudioJob
 * are peers that each receive their own parts (`job/partial`) and count their own progress.
 *
 * A job opened from a file (a text, a WAV) is a finished job with no engine id.
 */
import type { Events, JobPart, JobRequest, JobStage, ModelSummary } from '../../common/contract'
import type { RecipeInput } from '../../common/inputs'
import type { Modality } from '../../common/modality'
import type { Recipe } from '../../common/recipe'

export type JobState = 'queued' | 'starting' | 'running' | 'done' | 'failed' | 'cancelled'

/** What the status bar counts: grid tiles, chain steps, characters written, seconds of sound, or bare engine progress. */
export type ProgressUnit = 'images' | 'steps' | 'chars' | 'seconds' | 'parts'
export interface Progress {
  done: number
  total: number
  unit: ProgressUnit
}

let nextKey = 1

export abstract class Job<M extends Modality = Modality> {
  abstract readonly modality: M
  /** Stable key for keyed lists (opened files have no engine id). */
  readonly key = nextKey++
  readonly request: JobRequest
  readonly model: ModelSummary
  readonly startedAt = performance.now()

  #id = $state<string | null>(null)
  #state = $state<JobState>('starting')
  #file = $state<string | null>(null)
  #done = $state(0)
  #total = $state(0)
  #ep = $state<string | null>(null)
  #stage = $state.raw<JobStage | null>(null)
  #ms = $state<number | null>(null)
  #recipe = $state.raw<Recipe | null>(null)
  #error = $state<string | null>(null)
  /** Cancel asked for before the engine had accepted the job. */
  cancelRequested = false
  /** When the studio sent it to the engine (performance.now()); null while queued. */
  sentAt: number | null = null
  /** What the recipe records of the job's input files (a photo's SHA-256), set as the studio builds the job. */
  inputRecords: Record<string, RecipeInput> | null = null

  /** `total`: the progress to show before the engine's first `job/progress`. */
  constructor(request: JobRequest, model: ModelSummary, total = 0) {
    this.request = request
    this.model = model
    this.#total = total
  }

  /** The id the studio chose for the job (`job/start`'s jobId); null for a job opened from a file. */
  get id() { return this.#id }
  get state() { return this.#state }
  /** The file this job was opened from, else null. */
  get file() { return this.#file }
  /** Engine progress (`job/progress`). */
  get done() { return this.#done }
  get total() { return this.#total }
  /** The provider running (or that ran) the job: known from its first progress event. */
  get ep() { return this.#ep }
  /** Work before the first item while the engine reports it (reading a prime), else null. */
  get stage() { return this.#stage }
  /** Engine time; null until done, and for a job opened from a file. */
  get ms() { return this.#ms }
  get recipe() { return this.#recipe }
  get error() { return this.#error }
  /** Still starting or running: Cancel applies to it. */
  get active() { return this.#state === 'starting' || this.#state === 'running' }

  /** Progress as the job's pane shows it, never ahead of it. */
  abstract get progressShown(): Progress
  /**
   * The work the job asks for, in its progress unit summed over its items (images, chain steps × chains,
   * characters of every draft, samples × voices): what the queue's measured speed is counted in.
   */
  get work(): number {
    return this.progressShown.total
  }
  /** A streamed part; parts of other modalities are ignored. May queue it until the next frame. */
  abstract receive(part: JobPart): void
  /** Apply queued parts now (done/failed call it so the final state is complete). */
  abstract flush(): void

  /** Waiting in the studio's queue (not sent to the engine yet). */
  queue(): void {
    if (this.#state === 'starting') this.#state = 'queued'
  }

  /** Leaving the queue for the engine. */
  submit(): void {
    if (this.#state === 'queued') this.#state = 'starting'
    this.sentAt = performance.now()
  }

  /** The id the job is started under: its events carry it from the first one. */
  attach(jobId: string): void {
    this.#id = jobId
  }

  /** The engine accepted the job (its events may have arrived already). */
  started(): void {
    if (this.#state === 'starting') this.#state = 'running'
  }

  progress(e: Events['job/progress']): void {
    this.#done = e.done
    this.#total = e.total
    this.#stage = e.stage ?? null
    if (e.ep) this.#ep = e.ep
  }

  finish(e: Events['job/done']): void {
    this.settle(() => {
      this.#state = 'done'
      this.#ep = e.ep
      this.#ms = e.ms
      this.#recipe = e.recipe
      this.#done = this.#total
      this.#ended()
    })
  }

  fail(error: string, cancelled: boolean): void {
    this.settle(() => {
      this.#state = cancelled ? 'cancelled' : 'failed'
      this.#error = cancelled ? null : error
      this.#stage = null
      this.#ended()
    })
  }

  /** Resolves once the job has ended and its pane shows all of it (after `settle`): what history keeps. */
  settled(): Promise<JobState> {
    if (this.#state === 'done' || this.#state === 'failed' || this.#state === 'cancelled') return Promise.resolve(this.#state)
    return new Promise((resolve) => this.#waiters.push(() => resolve(this.#state)))
  }

  #waiters: (() => void)[] = []
  #ended(): void {
    for (const w of this.#waiters.splice(0)) w()
  }

  /**
   * Apply the job's end once its queued parts are shown, so the final state is complete. Default: show
   * them now. A pane that paces its drawing (the image grid) overrides this to end after its last frame.
   */
  protected settle(end: () => void): void {
    this.flush()
    end()
  }

  /** Called by a subclass once its own fields are set: a finished job that `file` holds (`recipe` null: a file made elsewhere). */
  protected opened(file: string, recipe: Recipe | null): void {
    this.#file = file
    this.#state = 'done'
    this.#ep = recipe?.ep ?? null
    this.#recipe = recipe
  }

  /** The job's recipe: the engine's once done, else one built from the request (cancelled, still running). */
  jobRecipe(appVersion: string): Recipe {
    if (this.#recipe) return this.#recipe
    const { request: req, model } = this
    return {
      app: 'latent-studio',
      appVersion,
      modelId: req.modelId,
      modelHash: model.hash,
      seed: req.seed,
      params: { ...req.params },
      ep: this.#ep ?? 'unknown',
      // What the engine records: the job's EP override, else the model's own preference.
      ...((req.ep ?? model.manifest?.ep) ? { epPref: req.ep ?? model.manifest?.ep } : {}),
      ...(this.inputRecords ? { inputs: { ...this.inputRecords } } : {}),
      ...(req.explore ? { explore: req.explore } : {}),
    }
  }
}
