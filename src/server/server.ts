/**
 * The headless host: an HTTP server on 127.0.0.1 that serves the built renderer and the engine's
 * WebSocket. Inference runs in the engine host process, so this event loop only moves bytes and
 * keeps answering while a job runs.
 */
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { HistoryInvoker } from '../common/history'
import { ownHosts, serverCsp } from './csp'
import { securityHeaders, sendText, serveStatic } from './static-files'
import { bindWebSocket, type EngineLike } from './ws-binding'

export interface ServerOptions {
  /** 0 picks a free port. */
  port: number
  token: string
  /** Folder with the built renderer (`out/web`). */
  webRoot: string
  /** A started engine (the supervisor); the server never stops it, its owner does. */
  engine: EngineLike
  /** Where finished jobs are kept (`history/*`); none: the studio is told history is not kept. */
  history?: HistoryInvoker
}

export interface RunningServer {
  port: number
  token: string
  /** `http://127.0.0.1:PORT/#token=TOKEN`: the address to open. */
  url: string
  /** Stop accepting, drop sockets. Resolves when the port is free. */
  close(): Promise<void>
}

/** The line a user reads when the build is missing; also what the page says. */
export const MISSING_WEB_MESSAGE = 'The studio web build is missing: run npm run build:web'

/** True when `webRoot` holds a built renderer. */
export function hasWebBuild(webRoot: string): boolean {
  return existsSync(join(webRoot, 'index.html'))
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    // 127.0.0.1 only: the studio is a local app, never a LAN service.
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** Start serving. Rejects with the listen error (e.g. EADDRINUSE). */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  let port = opts.port
  const server = createServer((req, res) => {
    const headers = securityHeaders(serverCsp(port))
    // DNS rebinding: another site's name resolving to 127.0.0.1 must not read our pages.
    if (!ownHosts(port).includes(req.headers.host ?? '')) return sendText(res, 403, 'host not allowed\n', headers)
    if (!hasWebBuild(opts.webRoot)) return sendText(res, 503, MISSING_WEB_MESSAGE + '\n', headers)
    serveStatic(req, res, opts.webRoot, headers).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'internal error\n', headers)
      else res.destroy()
    })
  })
  // Long-lived sockets must not hold shutdown hostage.
  server.keepAliveTimeout = 5_000
  port = await listen(server, opts.port)
  const ws = bindWebSocket({ server, port, token: opts.token, engine: opts.engine, history: opts.history })
  return {
    port,
    token: opts.token,
    url: `http://127.0.0.1:${port}/#token=${opts.token}`,
    close: () =>
      new Promise<void>((resolve) => {
        ws.close()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
