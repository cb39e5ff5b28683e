/**
 * Talks to the e2e server from the test process the way the renderer does: a WebSocket on /ws with the
 * token and the server's own Origin, binary `Envelope` frames (common/wire.ts). Used to read the engine
 * host's pid from `engine/info` (the crash test kills it) and to time a cancel without a browser in the way.
 */
import WebSocket from 'ws'
import type { Envelope, EngineMethod, EventName, Events, Req, Res } from '../../src/common/contract'
import { decodeFrame, encodeFrame } from '../../src/common/wire'
import { E2E_ORIGIN, E2E_PORT, E2E_TOKEN } from '../env'

/** One connection: typed calls, and every event with its arrival time (ms, performance.now). */
export class ServerSession {
  readonly events: { t: number; name: EventName; payload: Events[EventName] }[] = []
  private ws: WebSocket
  private nextId = 1
  private pending = new Map<number, (r: Extract<Envelope, { t: 'res' }>['result']) => void>()
  private listeners = new Set<(e: { t: number; name: EventName; payload: Events[EventName] }) => void>()

  private constructor(ws: WebSocket) {
    this.ws = ws
    ws.on('message', (data: Buffer) => {
      const env = decodeFrame(new Uint8Array(data)) as Envelope
      if (env.t === 'res') this.pending.get(env.id)?.(env.result)
      else if (env.t === 'evt') {
        const e = { t: performance.now(), name: env.name, payload: env.payload as Events[EventName] }
        this.events.push(e)
        for (const l of this.listeners) l(e)
      }
    })
  }

  static async open(): Promise<ServerSession> {
    const ws = new WebSocket(`ws://127.0.0.1:${E2E_PORT}/ws?token=${E2E_TOKEN}`, { origin: E2E_ORIGIN })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    return new ServerSession(ws)
  }

  async call<K extends EngineMethod>(method: K, args: Req<K>, timeoutMs = 10_000): Promise<Res<K>> {
    const id = this.nextId++
    const result = await new Promise<Extract<Envelope, { t: 'res' }>['result']>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no reply in ${timeoutMs} ms`)), timeoutMs)
      this.pending.set(id, (r) => (clearTimeout(timer), resolve(r)))
      this.ws.send(encodeFrame({ t: 'req', id, method, args } satisfies Envelope))
    })
    this.pending.delete(id)
    if (!result.ok) throw new Error(`${method}: ${result.error}`)
    return result.value as Res<K>
  }

  /** Calls `cb` for each event from now on; returns the unsubscribe function. */
  onEvent(cb: (e: { t: number; name: EventName; payload: Events[EventName] }) => void): () => void {
    this.listeners.add(cb)
    return () => void this.listeners.delete(cb)
  }

  close(): void {
    this.ws.close()
  }
}

/** One call on a fresh connection. */
export async function callServer<K extends EngineMethod>(method: K, args: Req<K>): Promise<Res<K>> {
  const s = await ServerSession.open()
  try {
    return await s.call(method, args)
  } finally {
    s.close()
  }
}
