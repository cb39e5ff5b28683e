/**
 * The WebSocket binding: `/ws?token=…` on the HTTP server. Upgrades are checked before any engine
 * work — wrong `Host` or `Origin` → 403, missing/wrong token → 401 — then every binary frame is one
 * `Envelope` (see `common/wire.ts`), read by one RpcPeer per connection. Requests are dispatched
 * through the handler map generated from the contract; a job's events go to the client that chose its
 * id, from the first one on (`engine/status` to all). A client's jobs are cancelled when it goes away.
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import type { Envelope, EventName, Events } from '../common/contract'
import type { HistoryInvoker } from '../common/history'
import { MAX_REQUEST_BYTES } from '../common/inputs'
import { dispatch, parseEnvelope, RpcPeer } from '../common/rpc'
import { checkJobId } from '../common/rpc-jobs'
import { decodeFrame, encodeFrame } from '../common/wire'
import { ownHosts, ownOrigins } from './csp'
import { engineHandlers, SERVED, type EngineHandlerMap, type EngineInvoker } from './handlers'
import { JobRouter } from './job-router'

/** What the binding needs of the engine: the supervisor's `invoke` and `on`. */
export interface EngineLike extends EngineInvoker {
  on<E extends EventName>(name: E, cb: (payload: Events[E]) => void): () => void
}

export interface WsBindingOptions {
  server: Server
  port: number
  token: string
  engine: EngineLike
  /** The server's history store; without one `history/*` answer that none is kept. */
  history?: HistoryInvoker
}

function reject(socket: Duplex, status: number, reason: string, message: string): void {
  const body = message + '\n'
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}

function tokenMatches(given: string | null, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b) // constant time: no token guessing by timing
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data
}

/** Attach the socket endpoint to `server`. Returns `close()` which drops every client. */
export function bindWebSocket({ server, port, token, engine, history }: WsBindingOptions): { close(): void; clientCount(): number } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES })
  const clients = new Map<number, WebSocket>()
  let nextClientId = 1
  const forward = engineHandlers(engine, history)
  const send = (ws: WebSocket | undefined, env: Envelope) => {
    if (ws?.readyState === WebSocket.OPEN) ws.send(encodeFrame(env), { binary: true })
  }
  const jobs = new JobRouter((clientId, env) => send(clients.get(clientId), env))
  const handlers: EngineHandlerMap = {
    ...forward,
    // Claim the client's id before the engine can emit anything for it; give it back if refused.
    'job/start': async (args, ctx) => {
      const jobId = checkJobId(args?.jobId)
      jobs.claim(jobId, ctx.clientId)
      try {
        return await forward['job/start'](args, ctx)
      } catch (e) {
        jobs.unclaim(jobId, ctx.clientId)
        throw e
      }
    },
  }
  const job =
    <E extends 'job/progress' | 'job/partial' | 'job/done' | 'job/failed'>(name: E) =>
    (payload: Events[E]) =>
      jobs.event(payload.jobId, { t: 'evt', name, payload }, name === 'job/done' || name === 'job/failed')
  const unsubscribe = [
    engine.on('job/progress', job('job/progress')),
    engine.on('job/partial', job('job/partial')),
    engine.on('job/done', job('job/done')),
    engine.on('job/failed', job('job/failed')),
    engine.on('engine/status', (payload) => {
      for (const ws of clients.values()) send(ws, { t: 'evt', name: 'engine/status', payload })
    }),
  ]

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname !== '/ws') return reject(socket, 404, 'Not Found', 'not found')
    if (!ownHosts(port).includes(req.headers.host ?? '')) return reject(socket, 403, 'Forbidden', 'host not allowed')
    // Browsers always send Origin; a page on another site must not drive the engine. Non-browser
    // clients (scripts, tests) send none and are held to the token alone.
    const origin = req.headers.origin
    if (origin !== undefined && !ownOrigins(port).includes(origin)) {
      return reject(socket, 403, 'Forbidden', 'origin not allowed')
    }
    if (!tokenMatches(url.searchParams.get('token'), token)) {
      return reject(socket, 401, 'Unauthorized', 'missing or wrong token')
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws))
  }

  const onConnection = (ws: WebSocket) => {
    const clientId = nextClientId++
    clients.set(clientId, ws)
    const peer = new RpcPeer({ send: (env) => send(ws, env), serve: (method, args, signal) => dispatch(handlers, SERVED, method, args, { clientId, signal }) })
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return ws.close(1003, 'binary frames only')
      let env: Envelope | null
      try {
        env = parseEnvelope(decodeFrame(toBytes(data)))
      } catch (e) {
        return ws.close(1007, (e as Error).message.slice(0, 120))
      }
      if (env?.t !== 'req' && env?.t !== 'cancel') return ws.close(1008, 'expected a request or cancel envelope')
      peer.receive(env)
    })
    ws.on('close', () => {
      clients.delete(clientId)
      peer.abortServing() // its requests (text/next reading a long text) stop too: nobody will read the answers
      // A closed tab cannot see its images: stop its jobs (started or still starting) instead of burning the CPU.
      for (const jobId of jobs.release(clientId)) engine.invoke('job/cancel', { jobId }).catch(() => {})
    })
    ws.on('error', () => ws.terminate())
  }

  server.on('upgrade', onUpgrade)
  return {
    clientCount: () => clients.size,
    close() {
      server.off('upgrade', onUpgrade)
      for (const u of unsubscribe) u()
      jobs.dispose()
      for (const ws of clients.values()) ws.terminate()
      clients.clear()
      wss.close()
    },
  }
}
