/**
 * A client's requests end when it cancels them or goes away (issue 17 item 3): `text/next` on a long text
 * through the real server and engine host, then a `{t:'cancel'}` envelope or a closed socket. The engine
 * call the server made settles within 100 ms, and the host has stopped reading: a `models/reload` (it
 * waits for every request still reading) takes no longer than it does alone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { EngineHandlers, EngineMethod, Events, Req } from '../common/contract'
import { parseEnvelope, RpcPeer } from '../common/rpc'
import { decodeFrame, encodeFrame } from '../common/wire'
import { SHIPPED_DIR, startEngine } from '../engine/testing'
import { startServer, type RunningServer } from './server'
import type { EngineLike } from './ws-binding'

const ID = 'lstm-austen'
const LONG = 'It is a truth universally acknowledged, that a single man in possession of a good fortune. '.repeat(200).slice(0, 15_000)
const nextReq = (text: string): Req<'text/next'> => ({ modelId: ID, text, params: {}, n: 5 })

async function connect(server: RunningServer) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`)
  await new Promise((resolve, reject) => (ws.on('open', resolve), ws.on('error', reject)))
  const peer = new RpcPeer<EngineHandlers, Events>({ send: (env) => ws.send(encodeFrame(env)) })
  ws.on('message', (data: Buffer) => {
    const env = parseEnvelope(decodeFrame(new Uint8Array(data)))
    if (env) peer.receive(env)
  })
  ws.on('close', () => peer.failAll('socket closed'))
  return { ws, peer }
}

describe('server: a client’s text/next ends with the client', () => {
  const web = mkdtempSync(join(tmpdir(), 'ls-web-'))
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }])
  /** When each text/next the server forwarded settled (the real supervisor, observed, not replaced). */
  const settled: number[] = []
  const observed: EngineLike = {
    invoke: <K extends EngineMethod>(m: K, a: Req<K>, o?: { signal?: AbortSignal }) => {
      const p = engine.invoke(m, a, o)
      if (m === 'text/next') void p.finally(() => settled.push(performance.now())).catch(() => {})
      return p
    },
    on: (n, cb) => engine.on(n, cb),
  }
  let server: RunningServer
  let reloadAlone = 0
  let perKChar = 0

  beforeAll(async () => {
    writeFileSync(join(web, 'index.html'), '<!doctype html>')
    await engine.start()
    server = await startServer({ port: 0, token: 'b'.repeat(32), webRoot: web, engine: observed })
    await engine.invoke('text/next', nextReq('warm up'))
    let t = performance.now()
    await engine.invoke('models/reload', undefined)
    reloadAlone = performance.now() - t
    t = performance.now()
    await engine.invoke('text/next', nextReq(LONG.slice(0, 1000)))
    perKChar = performance.now() - t
  }, 60_000)
  afterAll(async () => {
    await server?.close()
    await engine.stop()
    rmSync(web, { recursive: true, force: true })
  })

  /** Start a long text/next from a fresh client, end it with `stop` after 300 ms; measure both ends. */
  async function endedBy(stop: (c: Awaited<ReturnType<typeof connect>>, abort: () => void) => void) {
    const c = await connect(server)
    const ctl = new AbortController()
    const call = c.peer.call('text/next', nextReq(LONG), { signal: ctl.signal }).catch((e: Error) => e.message)
    await new Promise((r) => setTimeout(r, 300))
    const before = settled.length
    const t = performance.now()
    stop(c, () => ctl.abort())
    while (settled.length === before && performance.now() - t < 5000) await new Promise((r) => setTimeout(r, 5))
    const serverMs = (settled[before] ?? Infinity) - t
    const t2 = performance.now()
    await engine.invoke('models/reload', undefined)
    const reloadMs = performance.now() - t2
    c.ws.close()
    return { serverMs, reloadMs, reply: await call }
  }

  const reloadBound = () => reloadAlone + 100 + 2 * perKChar

  it('a cancel envelope from the client ends it', async () => {
    const r = await endedBy((_c, abort) => abort())
    expect(r.reply).toBe('text/next: cancelled')
    expect(r.serverMs).toBeLessThan(100)
    expect(r.reloadMs, `reload alone ${Math.round(reloadAlone)} ms, 1k chars ${Math.round(perKChar)} ms`).toBeLessThan(reloadBound())
  }, 60_000)

  it('closing the socket ends it', async () => {
    const r = await endedBy((c) => c.ws.close())
    expect(r.serverMs).toBeLessThan(100)
    expect(r.reloadMs, `reload alone ${Math.round(reloadAlone)} ms, 1k chars ${Math.round(perKChar)} ms`).toBeLessThan(reloadBound())
  }, 60_000)
})
