/**
 * StudioClient over the server's WebSocket (browser host). Frames are binary `Envelope`s
 * (`common/wire.ts`): RGBA pixels arrive as Uint8Array, never JSON, and job inputs leave as bytes.
 * Calls go through the common RpcPeer (sequence numbers, Result replies). If the server goes away,
 * pending calls reject, our running jobs fail (`job/failed`), `engine/status` says so, and the client
 * reconnects with backoff; on reconnect it reports the engine's real state.
 */
import type { ClientHandlers, ClientMethod, EventName, Events, Req, Res, StudioClient } from '../../common/contract'
import { parseEnvelope, RpcPeer } from '../../common/rpc'
import { LiveJobs } from '../../common/rpc-jobs'
import { decodeFrame, encodeFrame } from '../../common/wire'

/** The subset of the DOM WebSocket we use (the `ws` package's client fits too, for tests). */
export interface SocketLike {
  binaryType: string
  readonly readyState: number
  onopen: ((ev: unknown) => void) | null
  onclose: ((ev: unknown) => void) | null
  onerror: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  send(data: Uint8Array): void
  close(code?: number, reason?: string): void
}

export interface WsClientOptions {
  /** `ws://127.0.0.1:PORT/ws?token=…` */
  url: string
  /** Default: the global WebSocket. */
  socket?: (url: string) => SocketLike
  /** Reconnect delays: first, growth ×2 per failure, capped. */
  backoffMs?: { first: number; max: number }
  /** How long a call made while disconnected waits for the connection to come back. */
  waitForConnectionMs?: number
}

const OPEN = 1
/** Failed reconnects before the status says what the user can do about it. */
const GIVE_HINT_AFTER = 4


/** Read `#token=…` from a location hash ("" when absent). */
export function tokenFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? ''
}

export class WsClient implements StudioClient {
  readonly host = 'browser' as const
  private ws: SocketLike | null = null
  private peer = new RpcPeer<ClientHandlers, Events>({
    send: (env) => {
      if (this.ws?.readyState !== OPEN) throw new Error('not connected to the studio server')
      this.ws.send(encodeFrame(env))
    },
    onListenerError: (name, e) => console.error(`studio: a ${name} listener threw`, e),
  })
  /** Jobs this client started that have not ended: they fail visibly if the connection drops. */
  private jobs = new LiveJobs()
  private openWaiters: { resolve(): void; reject(e: Error): void }[] = []
  private failures = 0
  private everOpened = false
  private closed = false
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly opts: WsClientOptions) {}

  /** Connect; resolves on the first open, rejects if the first attempt fails (wrong token, no server). */
  connect(): Promise<void> {
    this.dial()
    return this.whenOpen(Infinity)
  }

  /** `job/start` runs under `args.jobId` (`newJobId()`); its events may beat the reply. */
  async invoke<K extends ClientMethod>(method: K, args: Req<K>): Promise<Res<K>> {
    if (this.ws?.readyState !== OPEN) await this.whenOpen(this.opts.waitForConnectionMs ?? 10_000)
    if (method === 'job/start') return this.jobs.start(args as Req<'job/start'>, (a) => this.peer.call('job/start', a)) as Promise<Res<K>>
    return this.peer.call(method, args)
  }

  on<E extends EventName>(name: E, cb: (payload: Events[E]) => void): () => void {
    return this.peer.on(name, cb)
  }

  /** Browser download: the file lands in the user's downloads folder; resolves to its name. */
  async saveFile(suggestedName: string, bytes: Uint8Array, mime: string): Promise<string | null> {
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = suggestedName
    a.rel = 'noopener'
    a.style.display = 'none'
    document.body.append(a)
    a.click()
    a.remove()
    // The download has started by now; keep the URL a while for slow browsers, then free the bytes.
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
    return suggestedName
  }

  /** Close for good (no reconnect). */
  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    for (const w of this.openWaiters.splice(0)) w.reject(new Error('the studio client is closed'))
    this.ws?.close(1000, 'client closed')
  }

  private dial(): void {
    const make = this.opts.socket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike)
    const ws = make(this.opts.url)
    this.ws = ws
    ws.binaryType = 'arraybuffer'
    ws.onopen = () => {
      const reconnected = this.everOpened
      this.everOpened = true
      this.failures = 0
      for (const w of this.openWaiters.splice(0)) w.resolve()
      if (reconnected) void this.reportEngineState()
    }
    ws.onmessage = (ev) => this.onFrame(ev.data)
    ws.onerror = () => {} // followed by onclose, which does the work
    ws.onclose = () => {
      if (this.ws !== ws) return
      this.ws = null
      this.lost()
    }
  }

  private onFrame(data: unknown): void {
    let env
    try {
      env = parseEnvelope(decodeFrame(data instanceof ArrayBuffer ? data : (data as Uint8Array)))
    } catch (e) {
      console.error(`studio: bad frame from the server: ${(e as Error).message}`)
      return
    }
    if (env?.t === 'evt') this.jobs.saw(env.name, env.payload)
    if (env && env.t !== 'req') this.peer.receive(env)
  }

  private emit<E extends EventName>(name: E, payload: Events[E]): void {
    this.peer.emit(name, payload)
  }

  /** The socket closed: fail what was in flight, tell the UI, try again later. */
  private lost(): void {
    const why = 'lost the connection to the studio server'
    // The server cancels a closed client's jobs, so their results will never come.
    for (const jobId of this.jobs.orphans()) this.emit('job/failed', { jobId, error: why, cancelled: false })
    this.peer.failAll(why)
    if (!this.everOpened) {
      // First attempt failed: no reconnect loop, the caller shows why.
      const e = new Error('could not connect to the studio server (is `npm run serve` running, and is the #token in the address the one it printed?)')
      for (const w of this.openWaiters.splice(0)) w.reject(e)
      return
    }
    if (this.closed) return
    if (this.failures === 0) this.emit('engine/status', { state: 'restarting', message: `${why}; reconnecting…` })
    // Still refused after a few tries: likely a restarted server with a new token. Keep trying anyway.
    if (this.failures === GIVE_HINT_AFTER) {
      this.emit('engine/status', {
        state: 'stopped',
        message: 'cannot reach the studio server; if it was restarted, open the address it printed (the token changes)',
      })
    }
    const { first, max } = this.opts.backoffMs ?? { first: 250, max: 5_000 }
    const delay = Math.min(max, first * 2 ** this.failures++)
    this.timer = setTimeout(() => {
      this.timer = null
      this.dial()
    }, delay)
  }

  private async reportEngineState(): Promise<void> {
    try {
      const info = await this.invoke('engine/info', undefined)
      this.emit('engine/status', { state: info.state })
    } catch {
      // the connection dropped again; lost() reports it
    }
  }

  private whenOpen(timeoutMs: number): Promise<void> {
    if (this.ws?.readyState === OPEN) return Promise.resolve()
    if (this.closed) return Promise.reject(new Error('the studio client is closed'))
    return new Promise<void>((resolve, reject) => {
      const w = { resolve, reject }
      this.openWaiters.push(w)
      if (timeoutMs === Infinity) return
      setTimeout(() => {
        const i = this.openWaiters.indexOf(w)
        if (i < 0) return
        this.openWaiters.splice(i, 1)
        reject(new Error('not connected to the studio server (reconnecting…)'))
      }, timeoutMs)
    })
  }
}
