/**
 * The engine as it lives inside the host process: registry + sessions + job queue behind the
 * contract's EngineHandlers. Transport-free (host-main.ts wires it to IPC), so tests can drive it too.
 */
import { availableParallelism } from 'node:os'
import * as ort from 'onnxruntime-node'
import type { EngineHandlers, EngineInfo, EngineMethod, EventName, Events, JobRequest, Req, Res } from '../common/contract'
import { checkInputs, recipeInputs } from '../common/inputs'
import { exploreInputSpecs, prepareExplore } from './explore-request'
import { ExecutionProviderSchema } from '../common/manifest'
import type { Recipe } from '../common/recipe'
import { CancelledError, FAMILY_RUNNERS, runnerFor, type ModelContext, type ModelMethod } from './families/index'
import { JobFeeds } from './feeds'
import { checkJobId, JobQueue, type Job } from './jobs'
import { checkJobInput, modelPhoto } from './job-inputs'
import { validateParams } from './params'
import type { HostOptions } from './protocol'
import { ModelRegistry } from './registry'
import { SessionCache, type LoadedModel } from './sessions'

export type Emit = <E extends EventName>(name: E, payload: Events[E]) => void
/** `signal` (from the host's RpcPeer) aborts when the caller cancels the request or goes away. */
export type HandlerMap = { [K in EngineMethod]: (args: Req<K>, signal?: AbortSignal) => Promise<Res<K>> }

export class Engine {
  readonly registry: ModelRegistry
  private readonly sessions: SessionCache
  private readonly queue: JobQueue
  private readonly threads: number
  /** Loaded models whose one-time notes were already shown on a job. */
  private noted = new WeakSet<LoadedModel>()
  private scanned: Promise<unknown> | null = null
  /** Family requests (text/next) in flight: they run beside jobs, so a reload waits for them before releasing sessions. */
  private side = new Set<Promise<unknown>>()

  constructor(
    private readonly opts: HostOptions,
    private readonly emit: Emit,
  ) {
    // More than 4 intra-op threads rarely helps these small graphs and starves the UI process.
    this.threads = opts.threads && opts.threads > 0 ? Math.floor(opts.threads) : Math.min(4, availableParallelism())
    this.registry = new ModelRegistry(opts.modelDirs, { isSupported: (f) => !!runnerFor(f), inputsOf: (f) => runnerFor(f)?.inputs })
    this.sessions = new SessionCache(this.registry, { threads: this.threads })
    this.queue = new JobQueue((job) => this.execute(job))
  }

  /** First scan; requests wait for it. */
  init(): Promise<unknown> {
    return (this.scanned ??= this.registry.scan())
  }

  readonly handlers: HandlerMap = {
    'models/list': async () => {
      await this.init()
      return this.registry.list()
    },
    'models/reload': () =>
      this.queue.runBetweenJobs(async () => {
        await Promise.allSettled(this.side)
        for (const r of new Set(Object.values(FAMILY_RUNNERS))) r.onReload?.()
        await this.sessions.disposeAll()
        this.scanned = this.registry.scan()
        await this.scanned
        return this.registry.list()
      }),
    'engine/info': async (): Promise<EngineInfo> => ({
      ortVersion: ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown',
      backends: ort.listSupportedBackends().map((b) => b.name),
      threads: this.threads,
      state: 'ready',
      pid: process.pid,
    }),
    'job/start': async (req) => {
      // The client chose the id, so it can route this job's events before the reply; add() refuses a
      // reused one. Queued before any await: a job/cancel right behind this request must find the job.
      const job: Job = { id: checkJobId(req?.jobId), req, cancelled: false }
      this.queue.add(job)
      await this.init()
      return { jobId: job.id }
    },
    'job/cancel': async ({ jobId }) => {
      const r = this.queue.cancel(jobId)
      if (r && r !== 'running') r.feeds?.close(), this.emit('job/failed', { jobId, error: 'cancelled', cancelled: true })
      return { cancelled: r !== null }
    },
    'job/feed': async (req) => ({ item: await this.feed(req) }),
    'text/next': (req, signal) => this.beside('text/next', req, signal),
    'models/photo': async (req) => {
      await this.init()
      return modelPhoto(this.registry.get(req?.modelId), req?.file)
    },
    'inputs/check': async (req) => {
      await this.init()
      const entry = this.registry.get(req?.modelId)
      const runner = entry && !entry.summary.error ? runnerFor(entry.summary.family) : undefined
      return checkJobInput(runner && { ...runner.inputs, ...exploreInputSpecs(runner) }, req)
    },
  }

  /**
   * One more item for a queued or running job (`job/feed`): checked like the job's own params (only
   * those its family lets a feed set), then queued on the job for its runner. Null when the job has
   * ended or its family takes no items; a bad value is refused in words.
   */
  private async feed(req: Req<'job/feed'>): Promise<number | null> {
    const job = this.queue.find(checkJobId(req?.jobId))
    const entry = job && this.registry.get(job.req.modelId)
    const runner = entry?.manifest && runnerFor(entry.manifest.family)
    if (!job || job.cancelled || !entry?.manifest || !runner?.feeds) return null
    const given = req.params && typeof req.params === 'object' ? req.params : {}
    const other = Object.keys(given).filter((k) => !runner.feeds!.includes(k))
    if (other.length) throw new Error(`job/feed: an item of a ${entry.manifest.family} job may set only ${runner.feeds.join(', ')}, not ${other.join(', ')}`)
    const v = validateParams(entry.manifest.params, { ...job.req.params, ...given }, runner.hiddenParams)
    if (!v.ok) throw new Error(`job/feed: ${v.error}`)
    const params = Object.fromEntries(runner.feeds.filter((k) => k in v.params).map((k) => [k, v.params[k]]))
    return (job.feeds ??= new JobFeeds()).add(params)
  }

  /** A request a model's family serves (FamilyRunner.methods), run beside the queue; a reload waits for it. */
  private beside<K extends ModelMethod>(method: K, req: Req<K>, signal?: AbortSignal): Promise<Res<K>> {
    const p = this.familyMethod(method, req, signal)
    this.side.add(p)
    void p.finally(() => this.side.delete(p)).catch(() => {})
    return p
  }

  private async familyMethod<K extends ModelMethod>(method: K, req: Req<K>, signal?: AbortSignal): Promise<Res<K>> {
    await this.init()
    const entry = this.registry.get(req?.modelId)
    if (!entry) throw new Error(`no model "${req?.modelId}"`)
    if (entry.summary.error || !entry.manifest) throw new Error(`model "${entry.summary.id}" cannot run: ${entry.summary.error}`)
    const { family } = entry.manifest
    const handler = runnerFor(family)?.methods?.[method] as ((req: Req<K>, ctx: ModelContext) => Promise<Res<K>>) | undefined
    // The request's domain names the modality that answers it (`text/next`: text models).
    if (!handler) throw new Error(`model "${entry.summary.id}" is not a ${method.split('/')[0]} model (family ${family})`)
    const model = await this.sessions.load(entry, entry.manifest.ep)
    if (signal?.aborted) throw new CancelledError()
    return handler(req, { manifest: entry.manifest, model, signal })
  }

  /** Runs one job to its end and reports it; never throws. */
  private async execute(job: Job): Promise<void> {
    const jobId = job.id
    try {
      const t0 = performance.now()
      const p = this.prepare(job.req)
      if (typeof p === 'string') throw new Error(p)
      const { entry, runner, pref } = p
      const model = await this.sessions.load(entry, pref)
      const warnings = [...model.warnings]
      if (!this.noted.has(model)) {
        this.noted.add(model)
        warnings.push(...model.notes)
      }
      await runner.run({
        manifest: entry.manifest!, model, seed: job.req.seed, params: p.params, hidden: p.hidden, inputs: p.inputs,
        jobId, branch: job.req.branch, ...(p.explore ? { explore: p.explore } : {}), warn: (w) => void warnings.push(w),
        takeFeeds: () => (job.feeds ??= new JobFeeds()).take(),
        emit: (part) => this.emit('job/partial', { jobId, part }),
        progress: (done, total, stage) => this.emit('job/progress', { jobId, done, total, ep: model.ep, ...(stage ? { stage } : {}) }),
        checkpoint: async () => {
          // Yield to the event loop first: session.run keeps this thread busy, so a cancel message
          // that arrived during the last batch is only read here, not before the next batch.
          await new Promise<void>((resolve) => setImmediate(resolve))
          if (job.cancelled) throw new CancelledError()
        },
      })
      job.feeds?.close() // the runner made what it took; later feeds start a job of their own
      const inputs = await recipeInputs(p.inputs)
      const recipe: Recipe = {
        app: 'latent-studio', appVersion: this.opts.appVersion, modelId: entry.summary.id, modelHash: model.hash,
        seed: job.req.seed, params: p.params, ep: model.ep, epPref: pref,
        ...(inputs ? { inputs } : {}), ...(p.explore ? { explore: p.explore } : {}),
      }
      this.emit('job/done', { jobId, ep: model.ep, ms: Math.round(performance.now() - t0), recipe, warnings })
    } catch (e) {
      job.feeds?.close()
      const cancelled = e instanceof CancelledError || job.cancelled
      this.emit('job/failed', { jobId, error: cancelled ? 'cancelled' : (e as Error).message ?? String(e), cancelled })
    }
  }

  /** Everything that can be refused before a session is touched; a string is the user-facing reason. */
  private prepare(req: JobRequest) {
    const entry = this.registry.get(req?.modelId)
    if (!entry) {
      const known = this.registry.list().filter((m) => !m.error).map((m) => m.id)
      return `no model "${req?.modelId}" (available: ${known.join(', ') || 'none'})`
    }
    if (entry.summary.error || !entry.manifest) return `model "${entry.summary.id}" cannot run: ${entry.summary.error}`
    const runner = runnerFor(entry.manifest.family)
    if (!runner) return `model "${entry.summary.id}": family "${entry.manifest.family}" is not supported yet`
    if (!Number.isInteger(req.seed) || req.seed < 0 || req.seed > 0xffffffff) {
      return `seed must be a whole number from 0 to 4294967295, got ${req.seed}`
    }
    const pref = req.ep ?? entry.manifest.ep
    if (!ExecutionProviderSchema.safeParse(pref).success) return `execution provider "${pref}" is not one of auto, cuda, dml, cpu`
    const v = validateParams(entry.manifest.params, req.params, runner.hiddenParams)
    if (!v.ok) return `model "${entry.summary.id}": ${v.error}`
    const explore = prepareExplore(entry.manifest, runner, req.explore)
    if (typeof explore === 'string') return `model "${entry.summary.id}": ${explore}`
    const inputs = checkInputs({ ...runner.inputs, ...(explore ? exploreInputSpecs(runner) : {}) }, req.inputs)
    if (!inputs.ok) return `model "${entry.summary.id}": ${inputs.error}`
    return { entry, runner, pref, params: v.params, hidden: v.hidden, inputs: inputs.inputs, explore }
  }
}
