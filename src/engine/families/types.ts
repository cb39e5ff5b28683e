/**
 * What a family runner gets from the engine. A runner owns a whole generation loop inside the host
 * process (never one message per step) and calls `checkpoint()` between batches/steps so a cancel
 * lands within one batch.
 */
import type { EngineMethod, JobInput, JobPart, JobRequest, JobStage, ParamValues, Req, Res } from '../../common/contract'
import type { Explore, ExploreOp } from '../../common/explore'
import type { InputSpec } from '../../common/inputs'
import type { Manifest, ParamSpec } from '../../common/manifest'
import type { Feed } from '../feeds'
import type { LoadedModel } from '../sessions'

export interface RunContext {
  manifest: Manifest
  model: LoadedModel
  /** Job seed, uint32. */
  seed: number
  /** Validated manifest params with defaults filled in. */
  params: ParamValues
  /** Validated engine-only params (`FamilyRunner.hiddenParams`), absent when not given. */
  hidden: ParamValues
  /** The job's input files by name, checked against `FamilyRunner.inputs` (kind, size limits); {} when none. */
  inputs: Readonly<Record<string, JobInput>>
  /** Stream one partial result to the client. */
  emit(part: JobPart): void
  /** Items done of total; `stage`: work before the first item (reading a prime), shown while it lasts. */
  progress(done: number, total: number, stage?: JobStage): void
  /** Yields to the event loop (so a pending cancel is read), then throws `CancelledError` if cancelled. */
  checkpoint(): Promise<void>
  /** The job's id (text families key the states they keep by it). */
  jobId: string
  /** Text families: continue from a kept draft state (JobRequest.branch); the output must not depend on it. */
  branch?: JobRequest['branch']
  /** A note for the user, shown with the finished job (job/done `warnings`). */
  warn(message: string): void
  /**
   * Families with `FamilyRunner.feeds`: the items fed to the job since the runner last looked
   * (`job/feed`, params already checked), to make part of the job; each is answered with its index.
   */
  takeFeeds(): Feed[]
  /** Latent-image families: the job's explore op (JobRequest.explore), checked; absent for a plain grid. */
  explore?: Explore
}

export interface FamilyRunner {
  /** Engine-only knobs accepted beside the manifest's params (not recorded in recipes). */
  hiddenParams: ParamSpec[]
  /** Input files the family takes (JobRequest.inputs), by name: `{ photo: { kind: 'image' } }`. None when absent. */
  inputs?: Readonly<Record<string, InputSpec>>
  run(ctx: RunContext): Promise<void>
  /**
   * The params an item fed to a running job may set (`job/feed`: WaveNet's `pitch`, a keyboard note joining
   * the batch); the rest are the job's. Absent: its jobs take no items.
   */
  feeds?: readonly string[]
  /**
   * Requests the family answers beside its jobs (char-lstm: `text/next`). The engine resolves the model,
   * loads it on its default EP and runs the handler beside the queue, not behind a job; for a family
   * without the handler it refuses the request.
   */
  methods?: FamilyMethods
  /**
   * The explore ops its jobs take (JobRequest.explore: interpolate, breed, encode); they may then take
   * the photos EXPLORE_INPUTS names. Absent: none.
   */
  explore?: readonly ExploreOp[]
  /** Drop what the family keeps between jobs (char-lstm's LSTM states): models are about to reload. */
  onReload?(): void
}

/** Contract methods that name one model and may be served by its family (not jobs: they queue). */
export type ModelMethod = Exclude<{ [K in EngineMethod]: Req<K> extends { modelId: string } ? K : never }[EngineMethod], 'job/start'>

/** A model as a family's request handler gets it. */
export interface ModelContext {
  manifest: Manifest
  model: LoadedModel
  /** Aborts when the caller cancels or goes away; long handlers check it at least every ~10 ms. */
  signal?: AbortSignal
}

export type FamilyMethods = { [K in ModelMethod]?: (req: Req<K>, ctx: ModelContext) => Promise<Res<K>> }

export class CancelledError extends Error {
  constructor() {
    super('cancelled')
  }
}
