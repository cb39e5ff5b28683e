/**
 * The server keeps history for the browser studio: `history/*` over the real WebSocket (the renderer's own
 * client), files crossing as bytes both ways and landing as plain PNGs in `--history`'s folder; a server
 * started without a store says so instead of failing oddly.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { CODECS } from '../common/codecs'
import { NO_HISTORY } from '../common/history'
import type { Recipe } from '../common/recipe'
import { HistoryStore } from '../engine'
import { SHIPPED_DIR, startEngine } from '../engine/testing'
import { WsClient } from '../renderer/client/ws-client'
import { startServer, type RunningServer } from './server'

const TOKEN = 'c'.repeat(32)

async function connect(server: RunningServer): Promise<WsClient> {
  const c = new WsClient({
    url: `ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`,
    socket: (url) => new WebSocket(url, { origin: `http://127.0.0.1:${server.port}` }) as never,
    backoffMs: { first: 50, max: 200 },
  })
  await c.connect()
  return c
}

describe('server history', () => {
  const web = mkdtempSync(join(tmpdir(), 'ls-hweb-'))
  const dir = mkdtempSync(join(tmpdir(), 'ls-history-'))
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }])
  let server: RunningServer
  let bare: RunningServer

  beforeAll(async () => {
    writeFileSync(join(web, 'index.html'), '<!doctype html>')
    await engine.start()
    server = await startServer({ port: 0, token: TOKEN, webRoot: web, engine, history: new HistoryStore(dir) })
    bare = await startServer({ port: 0, token: TOKEN, webRoot: web, engine })
  })
  afterAll(async () => {
    await server?.close()
    await bare?.close()
    await engine.stop()
    rmSync(web, { recursive: true, force: true })
    rmSync(dir, { recursive: true, force: true })
  })

  it('puts, lists, gets and deletes an entry over the WebSocket', async () => {
    const c = await connect(server)
    const recipe: Recipe = { app: 'latent-studio', appVersion: '0.1.0', modelId: 'dcgan-emoji', modelHash: 'h', seed: 41, params: { count: 1 }, ep: 'cpu' }
    const rgba = new Uint8Array(4 * 4 * 4).map((_, i) => i)
    const png = await CODECS.image.encode({ width: 4, height: 4, rgba }, recipe, { scale: 1, deflate: (d) => deflateSync(d) })
    const entry = await c.invoke('history/put', { modelId: 'dcgan-emoji', modelTitle: 'DCGAN', modality: 'image', recipe, ms: 3, summary: '', files: [{ name: 'dcgan-emoji-41.png', bytes: png }] })
    expect(new Uint8Array(readFileSync(join(dir, entry.id, 'dcgan-emoji-41.png')))).toEqual(png)

    const listing = await c.invoke('history/list', { model: 'dcgan', seed: 41 })
    expect(listing.entries.map((e) => e.id)).toEqual([entry.id])
    expect(listing.dir).toBe(dir)
    const got = await c.invoke('history/get', { id: entry.id })
    expect(got.files[0].bytes).toBeInstanceOf(Uint8Array)
    expect(got.files[0].bytes).toEqual(png)

    await expect(c.invoke('history/put', { modelId: 'dcgan-emoji', modelTitle: '', modality: 'image', recipe, ms: 3, summary: '', files: [{ name: 'x.png', bytes: new Uint8Array(3) }] })).rejects.toThrow(/x\.png/)
    expect(await c.invoke('history/delete', { ids: [entry.id] })).toEqual({ deleted: [entry.id] })
    expect(readdirSync(dir).filter((n) => !n.startsWith('.'))).toEqual([])
    c.close()
  })

  it('a server without a history store answers that it keeps none', async () => {
    const c = await connect(bare)
    await expect(c.invoke('history/list', {})).rejects.toThrow(NO_HISTORY)
    c.close()
  })
})
