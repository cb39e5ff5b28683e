/**
 * What a modality's actions (ImageStudio, TextStudio, AudioStudio) may use of the studio: the panel, the
 * catalog, toasts, the engine client and a few studio actions, not the Studio itself (no import cycle:
 * Studio imports the modalities, they import only this).
 */
import type { JobRequest, ModelSummary, StudioClient } from '../../common/contract'
import type { Modality } from '../../common/modality'
import type { Restore } from '../lib/recipe-restore'
import type { Catalog } from './Catalog.svelte'
import type { Job } from './Job.svelte'
import type { JobInputs } from './JobInputs.svelte'
import type { ParamForm } from './ParamForm.svelte'
import type { Toasts } from './Toasts.svelte'

export type Restored = Extract<Restore, { ok: true }>
/**
 * A file with no recipe whose content the studio can still show (a WAV made elsewhere): nothing to put
 * into the panel; `notes` say so.
 */
export interface Bare {
  ok: true
  recipe: null
  notes: string[]
}

export interface StudioServices {
  readonly client: StudioClient
  readonly toasts: Toasts
  readonly catalog: Catalog
  readonly form: ParamForm
  /** package.json version: recipes record which app made a file. */
  readonly appVersion: string
  /** The job on the stage. */
  readonly shown: Job | null
  /** History, newest first. */
  readonly jobs: readonly Job[]
  /** The files the selected model's jobs take in, as the panel holds them (a music prime is set from a piece). */
  readonly inputs: JobInputs
  /** Queue a job the modality built itself (music: a regenerated range), as Generate queues the panel's. */
  enqueue(job: Job): void
  /** Start a job from the panel; `branch`: text continuing from a position of an earlier draft. */
  generate(branch?: JobRequest['branch']): Promise<void>
  /** Cancel every job that is starting or running. */
  cancel(): Promise<void>
  selectModel(id: string): void
  /** Put a recipe into the panel (false, with a toast, when its model is gone). */
  restore(modelId: string, seed: number, params: JobRequest['params']): boolean
  /** Export: build the file, save it (native dialog or download) and say where; a failure is a toast. */
  save(build: () => Promise<{ name: string; bytes: Uint8Array; mime: string }>): Promise<void>
  /**
   * A file opened or dropped as modality `m`: refuse it if too big, read it, `restore` it (the modality's
   * pure decision, loaded on first use), put its recipe into the panel, and show `job(r)` — what the file
   * holds, as a finished job — when given. Every refusal is a toast naming the file. A `Bare` file (no
   * recipe) is shown under the selected model when it makes `m`, else the first model that does; the
   * panel keeps its values and its notes are info toasts.
   */
  open<R extends Restored | Bare>(file: File, m: Modality, restore: RestoreFile<R>, job?: (r: R, model: ModelSummary) => Job): Promise<void>
}

export type RestoreFile<R extends Restored | Bare> = (name: string, bytes: Uint8Array, models: readonly ModelSummary[]) => Promise<R | { ok: false; error: string }>
