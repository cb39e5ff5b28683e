/**
 * Talks to the e2e server from the test process the way the renderer does: a WebSocket on /ws with the
 * token and the server's own Origin, binary `Envelope` frames (common/wire.ts) through the common
 * RpcPeer. Used to read the engine host's pid from `engine/info` (the crash test kills it) and to time a
 * cancel without a browser in the way.
 */
import WebSocket from 'ws'
import { newJobId, type EngineHandlers, type EngineMethod, type EventName, type Events, type JobRequest, type JobStart, type Req, type Res } from '../../src/common/contract'
import { parseEnvelope, RpcPeer } from '../../src/common/rpc'
import { decodeFrame, encodeFrame } from '../../src/common/wire'
import { E2E_ORIGIN, E2E_PORT, E2E_TOKEN } from '../env'

type Arrival = { t: number; name: EventName; payload: Events[EventName] }
/** A method's arguments as a test gives them: `job/start`'s id may be left to the session. */
type Args<K extends EngineMethod> = K extends 'job/start' ? JobRequest & { jobId?: string } : Req<K>

/** One connection: typed calls, and every event with its arrival time (ms, performance.now). */
export class ServerSession {
  readonly events: Arrival[] = []
  private listeners = new Set<(e: Arrival) => void>()
  private peer: RpcPeer<EngineHandlers, Events>

  private constructor(private ws: WebSocket) {
    this.peer = new RpcPeer({ send: (env) => ws.send(encodeFrame(env)) })
    ws.on('message', (data: Buffer) => {
      const env = parseEnvelope(decodeFrame(new Uint8Array(data)))
      if (env?.t === 'evt') {
        const e = { t: performance.now(), name: env.name, payload: env.payload as Events[EventName] }
        this.events.push(e)
        for (const l of this.listeners) l(e)
      } else if (env) this.peer.receive(env)
    })
    ws.on('close', () => this.peer.failAll('the e2e server closed the connection'))
  }

  /** A connection to the e2e server, or to another server on this machine (the soak runs its own). */
  static async open(to: { port: number; token: string } = { port: E2E_PORT, token: E2E_TOKEN }): Promise<ServerSession> {
    const origin = to.port === E2E_PORT ? E2E_ORIGIN : `http://127.0.0.1:${to.port}`
    const ws = new WebSocket(`ws://127.0.0.1:${to.port}/ws?token=${to.token}`, { origin })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    return new ServerSession(ws)
  }

  /**
   * A call; errors read `method: message`. This session is the client, so it chooses a `job/start`'s
   * id when the test gives none (the reply names it).
   */
  async call<K extends EngineMethod>(method: K, args: Args<K>, timeoutMs = 10_000): Promise<Res<K>> {
    const a = method === 'job/start' ? { ...(args as JobStart), jobId: (args as Partial<JobStart>).jobId ?? newJobId() } : args
    try {
      return await this.peer.call(method, a as Req<K>, { timeoutMs })
    } catch (e) {
      const msg = (e as Error).message
      throw new Error(msg.startsWith(`${method}:`) ? msg : `${method}: ${msg}`)
    }
  }

  /** Calls `cb` for each event from now on; returns the unsubscribe function. */
  onEvent(cb: (e: Arrival) => void): () => void {
    this.listeners.add(cb)
    return () => void this.listeners.delete(cb)
  }

  close(): void {
    this.ws.close()
  }
}

/** One call on a fresh connection. */
export async function callServer<K extends EngineMethod>(method: K, args: Args<K>): Promise<Res<K>> {
  const s = await ServerSession.open()
  try {
    return await s.call(method, args)
  } finally {
    s.close()
  }
}
