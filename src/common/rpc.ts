/**
 * RpcPeer: the one request/reply peer every message transport uses (engine supervisor ↔ host process,
 * renderer ↔ server WebSocket, server per connection, e2e helper). Signal's habit: requests carry a
 * sequence number that comes back on the reply, replies are `Result` values (errors cross as values and
 * are thrown again here), slow calls are reported with their duration. Events go to subscribers.
 * A caller may cancel a call (`signal`): the other side gets `{t:'cancel', id}` and its handler's
 * AbortSignal fires; `abortServing` does the same for every request being served when a caller is gone.
 *
 * Transport-free: the owner passes `send` and feeds what arrives to `receive`; framing (structured
 * clone, `wire.ts` frames) is the transport's business.
 */
import type { Envelope, Result } from './contract'
import { Emitter } from './emitter'

/** `{ 'job/start': { req, res }, … }`: the shape of `Handlers` and its parts (`H extends MethodMap<H>`). */
export type MethodMap<H> = { [K in keyof H]: { req: unknown; res: unknown } }

/** Functions for a method map, with an optional context argument (who is asking). */
export type HandlerFns<H extends MethodMap<H>, C = void> = { [K in keyof H]: (args: H[K]['req'], ctx: C) => Promise<H[K]['res']> }

export interface RpcPeerOptions {
  /** Put one envelope on the transport. May throw (closed socket, unencodable value): the call then rejects. */
  send(env: Envelope): void
  /**
   * Serve requests from the other side (omit on a pure client: requests are then refused as values).
   * `signal` aborts when the caller cancels the request or `abortServing` is called.
   */
  serve?(method: string, args: unknown, signal: AbortSignal): Promise<Result<unknown>>
  /** Told about calls slower than `slowMs` (default 500 ms). */
  onSlow?(method: string, ms: number): void
  slowMs?: number
  /** Where a throwing event listener is reported (the other listeners still run). */
  onListenerError?(name: string, error: unknown): void
}

interface Pending {
  method: string
  t0: number
  resolve(v: unknown): void
  reject(e: Error): void
  timer?: ReturnType<typeof setTimeout>
  /** Detach from the caller's signal. */
  done?(): void
}

export class RpcPeer<Remote extends MethodMap<Remote>, Ev> {
  private seq = 1
  private pending = new Map<number, Pending>()
  private events: Emitter<Ev>
  /** Requests from the other side still being served, by their id. */
  private serving = new Map<number, AbortController>()

  constructor(private readonly opts: RpcPeerOptions) {
    this.events = new Emitter<Ev>((name, e) => (opts.onListenerError ?? ((n, err) => console.error(`rpc: a ${n} listener threw`, err)))(String(name), e))
  }

  /**
   * Call `method` on the other side; resolves with its value, rejects with its error message. When
   * `signal` aborts first, the call rejects with "<method>: cancelled" and the other side is told to stop.
   */
  call<K extends keyof Remote & string>(
    method: K,
    args: Remote[K]['req'],
    opts: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<Remote[K]['res']> {
    const id = this.seq++
    return new Promise((resolve, reject) => {
      const { signal } = opts
      if (signal?.aborted) return reject(new Error(`${method}: cancelled`))
      const p: Pending = { method, t0: performance.now(), resolve: resolve as (v: unknown) => void, reject }
      if (opts.timeoutMs !== undefined) {
        p.timer = setTimeout(() => this.settle(id, { ok: false, error: `${method}: no reply in ${opts.timeoutMs} ms` }), opts.timeoutMs)
      }
      if (signal) {
        const onAbort = () => {
          if (!this.pending.has(id)) return
          try {
            this.opts.send({ t: 'cancel', id })
          } catch {
            // the transport is gone: nothing runs there any more
          }
          this.settle(id, { ok: false, error: `${method}: cancelled` })
        }
        signal.addEventListener('abort', onAbort, { once: true })
        p.done = () => signal.removeEventListener('abort', onAbort)
      }
      this.pending.set(id, p)
      try {
        this.opts.send({ t: 'req', id, method, args })
      } catch (e) {
        this.settle(id, { ok: false, error: e instanceof Error ? e.message : String(e) })
      }
    })
  }

  /** Subscribe to an event from the other side (or `emit`ted here); returns the unsubscribe function. */
  on<E extends keyof Ev & string>(name: E, cb: (payload: Ev[E]) => void): () => void {
    return this.events.on(name, cb)
  }

  /** Deliver an event to this side's subscribers (a host reporting on the other side's behalf). */
  emit<E extends keyof Ev & string>(name: E, payload: Ev[E]): void {
    this.events.emit(name, payload)
  }

  /** Send an event to the other side. */
  notify<E extends keyof Ev & string>(name: E, payload: Ev[E]): void {
    this.opts.send({ t: 'evt', name: name as Extract<Envelope, { t: 'evt' }>['name'], payload })
  }

  /** Feed one envelope that arrived: replies settle calls, events reach subscribers, requests are served. */
  receive(env: Envelope): void {
    if (env.t === 'res') this.settle(env.id, env.result)
    else if (env.t === 'evt') this.events.emit(env.name as keyof Ev & string, env.payload as Ev[keyof Ev & string])
    else if (env.t === 'req') void this.answer(env)
    else if (env.t === 'cancel') this.serving.get(env.id)?.abort()
  }

  /** The caller is gone (socket closed, window reloaded): abort every request being served for it. */
  abortServing(): void {
    for (const c of this.serving.values()) c.abort()
  }

  /** Requests from the other side still being served. */
  get serves(): number {
    return this.serving.size
  }

  /** The transport is gone: every pending call rejects with `why` (naming the call it interrupted). */
  failAll(why: string): void {
    const ids = [...this.pending.keys()]
    for (const id of ids) this.settle(id, { ok: false, error: `${why} (while waiting for ${this.pending.get(id)!.method})` })
  }

  /** Calls sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size
  }

  private settle(id: number, result: Result<unknown>): void {
    const p = this.pending.get(id)
    if (!p) return // a late reply to a call that timed out or was failed
    this.pending.delete(id)
    if (p.timer) clearTimeout(p.timer)
    p.done?.()
    const ms = performance.now() - p.t0
    if (ms > (this.opts.slowMs ?? 500)) this.opts.onSlow?.(p.method, ms)
    if (result.ok) p.resolve(result.value)
    else p.reject(new Error(result.error))
  }

  private async answer(env: Extract<Envelope, { t: 'req' }>): Promise<void> {
    const ctl = new AbortController()
    // A reused id (a confused or hostile peer) gets its own controller; the older request is no longer cancellable by id.
    this.serving.set(env.id, ctl)
    const result = this.opts.serve
      ? await this.opts.serve(env.method, env.args, ctl.signal).catch((e: unknown) => ({ ok: false as const, error: errorMessage(e) }))
      : { ok: false as const, error: `this side serves no requests (got ${JSON.stringify(env.method)})` }
    if (this.serving.get(env.id) === ctl) this.serving.delete(env.id)
    try {
      this.opts.send({ t: 'res', id: env.id, result })
    } catch {
      // the transport closed while the request ran; nobody is left to answer
    }
  }
}

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/**
 * Run `method` from an untrusted caller against a handler map: unknown methods (anything not in
 * `known`) and thrown errors become `{ok:false}` values.
 */
export async function dispatch<H, C>(
  handlers: { readonly [K in keyof H]: (args: never, ctx: C) => Promise<unknown> },
  known: ReadonlySet<string>,
  method: unknown,
  args: unknown,
  ctx: C,
): Promise<Result<unknown>> {
  if (typeof method !== 'string' || !known.has(method)) return { ok: false, error: `unknown method ${JSON.stringify(method)}` }
  try {
    const fn = handlers[method as keyof H] as unknown as (a: unknown, c: C) => Promise<unknown>
    return { ok: true, value: await fn(args, ctx) }
  } catch (e) {
    return { ok: false, error: errorMessage(e) }
  }
}

/**
 * Handlers that forward each of `methods` to `invoke` unchanged: how the Electron and server bindings
 * are generated from the contract's method list instead of one hand-written line per method.
 */
export function forwarders<H extends MethodMap<H>, K extends keyof H & string, C = unknown>(
  methods: readonly K[],
  invoke: <M extends K>(method: M, args: H[M]['req'], ctx: C) => Promise<H[M]['res']>,
): HandlerFns<Pick<H, K>, C> {
  const out = {} as Record<K, (args: unknown, ctx: C) => Promise<unknown>>
  for (const m of methods) out[m] = (args, ctx) => invoke(m, args as H[typeof m]['req'], ctx)
  return out as unknown as HandlerFns<Pick<H, K>, C>
}

/**
 * Check that an untrusted decoded value is an envelope (the WebSocket binding reads anything): ids are
 * safe integers (a JSON 1e999 parses as Infinity), names are strings, a result is a Result.
 */
export function parseEnvelope(v: unknown): Envelope | null {
  if (!v || typeof v !== 'object') return null
  const e = v as Record<string, unknown>
  if (e.t === 'req') return Number.isSafeInteger(e.id) && typeof e.method === 'string' ? (e as Envelope) : null
  if (e.t === 'evt') return typeof e.name === 'string' ? (e as Envelope) : null
  if (e.t === 'cancel') return Number.isSafeInteger(e.id) ? (e as Envelope) : null
  if (e.t !== 'res' || !Number.isSafeInteger(e.id) || !e.result || typeof e.result !== 'object') return null
  const r = e.result as Record<string, unknown>
  return r.ok === true || (r.ok === false && typeof r.error === 'string') ? (e as Envelope) : null
}
