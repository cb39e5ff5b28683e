/**
 * EngineSupervisor: the parent side of the engine host. Calls go through the common RpcPeer (matched
 * by sequence number, replies are Result values), events fan out to subscribers, and it survives the
 * host: if it dies, in-flight jobs fail with a clear error, pending requests reject, and a fresh host
 * is started (backoff, crash-loop cap).
 */
import type { EngineMethod, EngineState, EventName, Events, Req, Res } from '../common/contract'
import { RpcPeer } from '../common/rpc'
import { LiveJobs } from '../common/rpc-jobs'
import type { HostHandlers, HostOptions, HostPort, SpawnHost } from './protocol'

export interface SupervisorOptions {
  spawn: SpawnHost
  host: HostOptions
  /** Requests slower than this are logged with their duration. Default 500 ms. */
  slowMs?: number
  log?: (line: string) => void
  /** More than `maxCrashes` within `crashWindowMs` stops restarting (state `stopped`). Default 5 / 60 s. */
  maxCrashes?: number
  crashWindowMs?: number
  /** A host that has not answered `host/init` by then is killed and counted as a crash. Default 60 s. */
  startTimeoutMs?: number
}

export class EngineSupervisor {
  private _state: EngineState = 'stopped'
  private message: string | undefined
  private port: HostPort | null = null
  private exited: Promise<void> = Promise.resolve()
  private generation = 0
  /** One peer for the supervisor's life: sequence numbers never repeat across host processes. */
  private readonly peer: RpcPeer<HostHandlers, Events>
  /** Jobs started and not yet done/failed: they fail loudly if the host dies. */
  private jobs = new LiveJobs()
  private waiters: { resolve(): void; reject(e: Error): void }[] = []
  private crashes: number[] = []
  private restartTimer: NodeJS.Timeout | null = null
  private readonly log: (line: string) => void
  private readonly opts: SupervisorOptions

  /** `new EngineSupervisor({ spawn, host })`; the short form `(spawn, host)` is accepted too. */
  constructor(opts: SupervisorOptions)
  constructor(spawn: SpawnHost, host: HostOptions)
  constructor(a: SupervisorOptions | SpawnHost, host?: HostOptions) {
    this.opts = typeof a === 'function' ? { spawn: a, host: host! } : a
    this.log = this.opts.log ?? ((l) => console.warn(l))
    this.peer = new RpcPeer<HostHandlers, Events>({
      send: (m) => {
        if (!this.port) throw new Error('the engine process is not running')
        this.port.postMessage(m)
      },
      slowMs: this.opts.slowMs,
      // host/init is process start-up (tsx compile, ORT load), not a call anyone waits on interactively.
      onSlow: (method, ms) => method !== 'host/init' && this.log(`[engine] slow call: ${method} took ${Math.round(ms)} ms`),
      onListenerError: (name, e) => this.log(`[engine] a ${name} listener threw: ${(e as Error).stack ?? e}`),
    })
  }

  get state(): EngineState {
    return this._state
  }

  /** Pid of the current host process (null between processes). */
  get pid(): number | null {
    return this.port?.pid ?? null
  }

  /** Start the host; resolves when it is ready (after any restarts), rejects if it cannot start. */
  start(): Promise<void> {
    if (this._state === 'stopped') {
      this.crashes = []
      this.setState('starting')
      this.launch()
    }
    return this.whenReady()
  }

  /**
   * Call the engine. Waits while it (re)starts; rejects with the host's message on `{ok:false}`.
   * `job/start` runs under the caller's `jobId` (`newJobId()`); its events may beat the reply.
   * `signal` cancels a request (the host stops its work, e.g. text/next); jobs are cancelled by `job/cancel`.
   */
  async invoke<K extends EngineMethod>(method: K, args: Req<K>, opts: { signal?: AbortSignal } = {}): Promise<Res<K>> {
    if (method === 'job/start') return this.jobs.start(args as Req<'job/start'>, (a) => this.call('job/start', a)) as Promise<Res<K>>
    const value = await this.call(method, args, opts.signal)
    if (method === 'engine/info') return { ...(value as Res<'engine/info'>), state: this._state, pid: this.pid } as Res<K>
    return value
  }

  private async call<K extends EngineMethod>(method: K, args: Req<K>, signal?: AbortSignal): Promise<Res<K>> {
    // Loop: the host may die again between "ready" and this continuation.
    while (this._state !== 'ready' || !this.port) await this.whenReady()
    return this.peer.call(method, args, { signal })
  }

  /** Subscribe to an engine event; returns the unsubscribe function. */
  on<E extends EventName>(name: E, cb: (payload: Events[E]) => void): () => void {
    return this.peer.on(name, cb)
  }

  /** Stop the host for good: running jobs fail, pending requests reject. */
  async stop(): Promise<void> {
    if (this.restartTimer) clearTimeout(this.restartTimer)
    this.restartTimer = null
    const port = this.port
    this.generation++ // ignore whatever the old host still says
    this.port = null
    this.failAll('the engine was stopped')
    this.setState('stopped', 'the engine was stopped')
    if (port) {
      port.kill()
      let timer: NodeJS.Timeout | undefined
      await Promise.race([this.exited, new Promise((r) => (timer = setTimeout(r, 3000)))])
      clearTimeout(timer) // or a CLI would linger 3 s after its work is done
    }
  }

  private whenReady(): Promise<void> {
    if (this._state === 'ready') return Promise.resolve()
    if (this._state === 'stopped') return Promise.reject(new Error(this.message ?? 'the engine is not started'))
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }))
  }

  private setState(state: EngineState, message?: string): void {
    this._state = state
    this.message = message
    if (state === 'ready' || state === 'stopped') {
      const ws = this.waiters.splice(0)
      for (const w of ws) state === 'ready' ? w.resolve() : w.reject(new Error(message ?? 'the engine stopped'))
    }
    this.emit('engine/status', message === undefined ? { state } : { state, message })
  }

  private emit<E extends EventName>(name: E, payload: Events[E]): void {
    this.peer.emit(name, payload)
  }

  private launch(): void {
    const gen = ++this.generation
    let port: HostPort
    try {
      port = this.opts.spawn()
    } catch (e) {
      this.crashed(`could not be started (${(e as Error).message})`)
      return
    }
    this.port = port
    this.exited = new Promise((resolve) =>
      port.onExit((code) => {
        resolve()
        if (gen === this.generation) this.crashed(code === null ? 'was killed' : `stopped (exit code ${code})`)
      }),
    )
    port.onMessage((m) => {
      if (gen !== this.generation) return // whatever an old host still says
      if (m.t === 'evt') this.jobs.saw(m.name, m.payload)
      this.peer.receive(m)
    })

    let answered = false
    const timer = setTimeout(() => {
      if (answered || gen !== this.generation) return
      this.log(`[engine] host ${port.pid} did not start within ${this.opts.startTimeoutMs ?? 60_000} ms; killing it`)
      port.kill()
    }, this.opts.startTimeoutMs ?? 60_000)
    timer.unref() // never what keeps a finished CLI alive
    this.peer.call('host/init', this.opts.host).then(
      () => {
        answered = true
        clearTimeout(timer)
        if (gen === this.generation) this.setState('ready')
      },
      (e: Error) => {
        answered = true
        clearTimeout(timer)
        // A crash rejects this too (after `crashed` moved the generation on): that path restarts.
        // A refusal (not a crash) will not get better by restarting: give up with its message.
        if (gen !== this.generation) return
        this.generation++
        port.kill()
        this.port = null
        this.setState('stopped', e.message)
      },
    )
  }

  /** Fail every tracked job and pending request (a pending host/init too: its handler ignores old generations). */
  private failAll(why: string, jobError = why): void {
    for (const jobId of this.jobs.orphans()) this.emit('job/failed', { jobId, error: jobError, cancelled: false })
    this.peer.failAll(why)
  }

  /** The host went away on its own: fail its work, then restart it unless it keeps crashing. */
  private crashed(how: string): void {
    this.generation++
    this.port = null
    const now = Date.now()
    const window = this.opts.crashWindowMs ?? 60_000
    this.crashes = this.crashes.filter((t) => now - t < window)
    this.crashes.push(now)
    const giveUp = this.crashes.length > (this.opts.maxCrashes ?? 5)
    const what = `the engine process ${how}`
    this.failAll(what, `${what} while running this job — ${giveUp ? 'it will not be restarted' : 'it has been restarted'}`)
    if (giveUp) {
      this.log(`[engine] ${what}; ${this.crashes.length} crashes within ${window / 1000} s, not restarting`)
      this.setState('stopped', `${what}, and crashed ${this.crashes.length} times within ${window / 1000} s: not restarting`)
      return
    }
    // First restart on the next tick (never synchronously inside the exit callback: Electron's
    // utilityProcess has crashed on posts made there), then 0.25 s, 0.5 s, 1 s, … (capped at 5 s) while crashes keep coming.
    const delay = this.crashes.length <= 1 ? 0 : Math.min(5000, 250 * 2 ** (this.crashes.length - 2))
    this.log(`[engine] ${what}; restarting${delay ? ` in ${delay} ms` : ''}`)
    this.setState('restarting', what)
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null
      this.launch()
    }, delay)
  }
}
