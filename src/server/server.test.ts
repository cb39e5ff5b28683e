/**
 * The headless host for real: a real engine host process, a real HTTP + WebSocket server on
 * 127.0.0.1, and the renderer's own WebSocket client on the other end.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { newJobId, type EngineHandlers, type Events, type JobPart } from '../common/contract'
import { INPUT_LIMITS } from '../common/inputs'
import { parseEnvelope, RpcPeer } from '../common/rpc'
import { decodeFrame, encodeFrame } from '../common/wire'
import { GAN_ID, runJob, SHIPPED_DIR, startEngine } from '../engine/testing'
import { WsClient } from '../renderer/client/ws-client'
import { startServer, type RunningServer } from './server'

const TOKEN = 'a'.repeat(32)

/** Raw HTTP (fetch would normalise `..` and refuse a foreign Host header). */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Try a WebSocket upgrade; resolves to the HTTP status of a refusal, or 101 when it opened. */
function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {})
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode!)
      ws.terminate()
    })
    ws.on('open', () => {
      resolve(101)
      ws.close()
    })
    ws.on('error', (e) => (e.message.includes('Unexpected server response') ? undefined : reject(e)))
  })
}

function client(server: RunningServer): Promise<WsClient> {
  const c = new WsClient({
    url: `ws://127.0.0.1:${server.port}/ws?token=${server.token}`,
    // allowSynchronousEvents off: one message per event-loop task, as in browsers.
    socket: (url) => new WebSocket(url, { origin: `http://127.0.0.1:${server.port}`, allowSynchronousEvents: false }) as never,
    backoffMs: { first: 50, max: 200 },
  })
  return c.connect().then(() => c)
}

type ImagePart = Extract<JobPart, { kind: 'image' }>

/** A bare connection speaking the envelopes through RpcPeer, without WsClient's conveniences (id filling). */
async function rawPeer(server: RunningServer): Promise<{ peer: RpcPeer<EngineHandlers, Events>; ws: WebSocket }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`)
  await new Promise((resolve, reject) => (ws.on('open', resolve), ws.on('error', reject)))
  const peer = new RpcPeer<EngineHandlers, Events>({ send: (env) => ws.send(encodeFrame(env)) })
  ws.on('message', (data: Buffer) => {
    const env = parseEnvelope(decodeFrame(new Uint8Array(data)))
    if (env) peer.receive(env)
  })
  return { peer, ws }
}

/** Start a job through a client and collect what the UI would see. */
function generate(c: WsClient, params: Record<string, number>, seed = 7) {
  return generateModel(c, GAN_ID, params, seed)
}

async function generateModel(c: WsClient, modelId: string, params: Record<string, number> = {}, seed = 7) {
  // Record every job's events: a job's first events may come right behind the job/start reply.
  const images = new Map<string, ImagePart[]>()
  const ends = new Map<string, { done?: Events['job/done']; failed?: Events['job/failed'] }>()
  const list = (id: string) => images.get(id) ?? images.set(id, []).get(id)!
  let check = () => {}
  const offs = [
    c.on('job/partial', (p) => p.part.kind === 'image' && list(p.jobId).push(p.part)),
    c.on('job/done', (p) => (ends.set(p.jobId, { done: p }), check())),
    c.on('job/failed', (p) => (ends.set(p.jobId, { failed: p }), check())),
  ]
  const jobId = (await c.invoke('job/start', { jobId: newJobId(), modelId, seed, params, ep: 'cpu' })).jobId
  const result = new Promise<{ done?: Events['job/done']; failed?: Events['job/failed'] }>((resolve) => {
    check = () => {
      const end = ends.get(jobId)
      if (!end) return
      offs.forEach((o) => o())
      resolve(end)
    }
    check()
  })
  return { jobId, images: list(jobId), result }
}

describe('server host', () => {
  const web = mkdtempSync(join(tmpdir(), 'ls-web-'))
  const root = join(web, 'root')
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }])
  let server: RunningServer

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'), { recursive: true })
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Latent Studio</title>')
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(join(root, 'assets', 'app.css'), 'body{}')
    writeFileSync(join(web, 'secret.txt'), 'not for the browser')
    await engine.start()
    server = await startServer({ port: 0, token: TOKEN, webRoot: root, engine })
  })
  afterAll(async () => {
    await server?.close()
    await engine.stop()
    rmSync(web, { recursive: true, force: true })
  })

  it('prints the address with the token and serves the page with its CSP and MIME types', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${TOKEN}`)
    const page = await get(server.port, '/')
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.body).toContain('Latent Studio')
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'.*connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/)
    expect((await get(server.port, '/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect((await get(server.port, '/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8')
    expect((await get(server.port, '/', { host: `localhost:${server.port}` })).status).toBe(200)
  })

  it('answers 404 for missing files and for every way out of the web root', async () => {
    for (const path of ['/nope.js', '/assets', '/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00', '/..\\secret.txt']) {
      const r = await get(server.port, path)
      expect(r.status, path).toBe(404)
      expect(r.body).not.toContain('not for the browser')
    }
    expect((await get(server.port, '/', {}, 'POST')).status).toBe(405)
  })

  it('refuses requests for another host name (DNS rebinding)', async () => {
    expect((await get(server.port, '/', { host: 'evil.example:80' })).status).toBe(403)
  })

  it('says how to build the page when out/web is missing', async () => {
    const bare = await startServer({ port: 0, token: TOKEN, webRoot: join(web, 'missing'), engine })
    try {
      const r = await get(bare.port, '/')
      expect(r.status).toBe(503)
      expect(r.body).toMatch(/run npm run build:web/)
    } finally {
      await bare.close()
    }
  })

  it('rejects a missing or wrong token (401) and a foreign Origin (403)', async () => {
    const base = `ws://127.0.0.1:${server.port}/ws`
    const own = `http://127.0.0.1:${server.port}`
    expect(await upgradeStatus(base, own)).toBe(401)
    expect(await upgradeStatus(`${base}?token=`, own)).toBe(401)
    expect(await upgradeStatus(`${base}?token=${'b'.repeat(32)}`, own)).toBe(401)
    expect(await upgradeStatus(`${base}?token=${TOKEN}`, 'http://evil.example')).toBe(403)
    expect(await upgradeStatus(`${base}?token=${TOKEN}`, `http://127.0.0.1:${server.port + 1}`)).toBe(403)
    expect(await upgradeStatus(`${base}?token=${TOKEN}`, own)).toBe(101)
    expect(await upgradeStatus(`${base}?token=${TOKEN}`, `http://localhost:${server.port}`)).toBe(101)
  })

  it('generates over the socket: image partials arrive as RGBA Uint8Arrays identical to the engine’s', async () => {
    const c = await client(server)
    try {
      const models = await c.invoke('models/list', undefined)
      expect(models.map((m) => m.id)).toContain(GAN_ID)
      const job = await generate(c, { count: 4 })
      const { done } = await job.result
      expect(done?.ep).toBe('cpu')
      expect(job.images.map((i) => i.seed).sort((x, y) => x - y)).toEqual([7, 8, 9, 10])
      for (const img of job.images) {
        expect(img.rgba).toBeInstanceOf(Uint8Array)
        expect(img.rgba.length).toBe(img.width * img.height * 4)
      }
      const direct = await runJob(engine, { modelId: GAN_ID, seed: 7, params: { count: 4 }, ep: 'cpu' })
      const byIndex = (a: ImagePart[]) => [...a].sort((x, y) => x.index - y.index).map((i) => Buffer.from(i.rgba).toString('hex'))
      expect(byIndex(job.images)).toEqual(byIndex(direct.images))
    } finally {
      c.close()
    }
  })

  it('sends a job’s events only to the client that started it, and errors as values', async () => {
    const [a, b] = await Promise.all([client(server), client(server)])
    try {
      const otherSaw: string[] = []
      b.on('job/partial', (p) => otherSaw.push(p.jobId))
      b.on('job/done', (p) => otherSaw.push(p.jobId))
      const job = await generate(a, { count: 2 })
      expect((await job.result).done).toBeDefined()
      expect(job.images).toHaveLength(2)
      // b is still connected and served
      await b.invoke('engine/info', undefined)
      expect(otherSaw).toEqual([])
      const unknown = await generateModel(a, 'no-such-model')
      expect((await unknown.result).failed?.error).toMatch(/no model "no-such-model"/)
      await expect(a.invoke('nope/nope' as 'engine/info', undefined)).rejects.toThrow(/unknown method "nope\/nope"/)
    } finally {
      a.close()
      b.close()
    }
  })

  it('routes a job by the id its client chose, and refuses that id to anyone else', async () => {
    const [a, b] = await Promise.all([client(server), client(server)])
    try {
      const jobId = newJobId()
      const events: string[] = []
      const done = new Promise<void>((resolve) =>
        a.on('job/done', (p) => p.jobId === jobId && resolve()),
      )
      a.on('job/partial', (p) => events.push(`${p.jobId}:${p.part.kind}`))
      expect(await a.invoke('job/start', { jobId, modelId: GAN_ID, seed: 3, params: { count: 2 }, ep: 'cpu' })).toEqual({ jobId })
      await expect(b.invoke('job/start', { jobId, modelId: GAN_ID, seed: 3, params: {} })).rejects.toThrow(`job id "${jobId}" is already in use`)
      await done
      expect(events).toEqual([`${jobId}:image`, `${jobId}:image`])
      // Finished ids stay taken (text families keep states by job id).
      await expect(a.invoke('job/start', { jobId, modelId: GAN_ID, seed: 3, params: {} })).rejects.toThrow('already in use')
    } finally {
      a.close()
      b.close()
    }
  })

  it('refuses a job/start without a client-chosen id, with the rule in the message', async () => {
    const { peer, ws } = await rawPeer(server)
    try {
      await expect(peer.call('job/start', { modelId: GAN_ID, seed: 1, params: {} } as never)).rejects.toThrow(/job\/start needs a jobId the client chose/)
      await expect(peer.call('job/start', { jobId: 'a b', modelId: GAN_ID, seed: 1, params: {} })).rejects.toThrow(/got "a b"/)
    } finally {
      ws.close()
    }
  })

  it('cancels a job whose client left before the job/start reply', async () => {
    const { peer, ws } = await rawPeer(server)
    const jobId = newJobId()
    const failed = new Promise<Events['job/failed']>((resolve) => engine.on('job/failed', (p) => p.jobId === jobId && resolve(p)))
    void peer.call('job/start', { jobId, modelId: GAN_ID, seed: 9, params: { count: 64, batchSize: 1 }, ep: 'cpu' }).catch(() => {})
    ws.close()
    expect(await failed).toMatchObject({ jobId, cancelled: true })
  })

  it('carries a job’s input files as bytes: a 32 MiB image reaches the engine, which names what the model takes', async () => {
    const c = await client(server)
    try {
      const bytes = new Uint8Array(INPUT_LIMITS.image).fill(1)
      const jobId = newJobId()
      const failed = new Promise<Events['job/failed']>((resolve) => c.on('job/failed', (p) => p.jobId === jobId && resolve(p)))
      await c.invoke('job/start', { jobId, modelId: GAN_ID, seed: 1, params: {}, inputs: { photo: { kind: 'image', bytes, fileName: 'big.png' } } })
      expect((await failed).error).toBe(`model "${GAN_ID}": input "photo" is not taken by this model (it takes no inputs)`)
    } finally {
      c.close()
    }
  })

  it('keeps answering HTTP while a long job runs', async () => {
    const c = await client(server)
    try {
      // 64 images one per run: long enough to ask several times while it runs.
      const job = await generate(c, { count: 64, batchSize: 1 })
      let finished = false
      void job.result.then(() => (finished = true))
      while (job.images.length === 0 && !finished) await new Promise((r) => setTimeout(r, 1))
      const answers = []
      for (let i = 0; i < 3; i++) answers.push(await get(server.port, '/'))
      const answeredBeforeEnd = !finished
      const imagesWhenAnswered = job.images.length
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
      expect(answeredBeforeEnd).toBe(true)
      expect(imagesWhenAnswered).toBeLessThan(64)
      expect((await job.result).done).toBeDefined()
      expect(job.images).toHaveLength(64)
    } finally {
      c.close()
    }
  })

  it('cancels the jobs of a client that disconnects', async () => {
    const c = await client(server)
    const job = await generate(c, { count: 64, batchSize: 1 })
    const failed = new Promise<Events['job/failed']>((resolve) => engine.on('job/failed', (p) => p.jobId === job.jobId && resolve(p)))
    while (job.images.length === 0) await new Promise((r) => setTimeout(r, 1))
    c.close()
    expect(await failed).toMatchObject({ jobId: job.jobId, cancelled: true })
  })

  it('closes a connection that sends text or garbage instead of binary envelopes', async () => {
    const open = (): Promise<WebSocket> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`)
        ws.on('open', () => resolve(ws))
        ws.on('error', reject)
      })
    const closeCode = (ws: WebSocket) => new Promise<number>((r) => ws.on('close', (code) => r(code)))
    const t = await open()
    const tc = closeCode(t)
    t.send('{"t":"req"}')
    expect(await tc).toBe(1003)
    const g = await open()
    const gc = closeCode(g)
    g.send(Uint8Array.of(1, 2, 3, 4, 5, 6))
    expect(await gc).toBe(1007)
    const e = await open()
    const ec = closeCode(e)
    e.send(encodeFrame({ t: 'evt', name: 'job/done', payload: {} }))
    expect(await ec).toBe(1008)
  })

  it('tells the page when the server goes away, fails its running job, and reconnects', async () => {
    const port = server.port
    const c = await client(server)
    const statuses: Events['engine/status'][] = []
    c.on('engine/status', (s) => statuses.push(s))
    const job = await generate(c, { count: 64, batchSize: 1 })
    while (job.images.length === 0) await new Promise((r) => setTimeout(r, 1))
    await server.close()
    const { failed } = await job.result
    expect(failed).toMatchObject({ cancelled: false, error: expect.stringMatching(/lost the connection to the studio server/) })
    expect(statuses[0]).toMatchObject({ state: 'restarting', message: expect.stringMatching(/reconnecting/) })
    // A call made while the server is away waits for the reconnection.
    const info = c.invoke('engine/info', undefined)
    server = await startServer({ port, token: TOKEN, webRoot: root, engine })
    expect((await info).state).toBe('ready')
    while (!statuses.some((s) => s.state === 'ready')) await new Promise((r) => setTimeout(r, 10))
    c.close()
  })
})
