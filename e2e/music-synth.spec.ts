/**
 * The music synth in Debian Chromium under the studio's CSP (served as a header, as the server does):
 * the soundfont loads in the AudioWorklet (its Vorbis decoder is WebAssembly: 'wasm-unsafe-eval'),
 * notes sound, a note added while playing is heard at its time, stop silences, and the WAV renders in
 * a worker. The page (e2e/music-synth/) is built here with Vite around renderer/lib/music-synth.ts.
 */
import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { expect, test } from '@playwright/test'
import { build } from 'vite'
import { studioCsp } from '../src/common/csp'
import { ROOT } from './env'

let server: Server
let origin = ''
const out = mkdtempSync(join(tmpdir(), 'music-synth-'))

test.beforeAll(async () => {
  await build({ root: join(ROOT, 'e2e', 'music-synth'), base: './', logLevel: 'warn', configFile: false, build: { outDir: out, emptyOutDir: true, target: 'es2023' } })
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' }
  server = createServer(async (req, res) => {
    const path = join(out, normalize((req.url ?? '/').split('?')[0]).replace(/^\/$/, '/index.html'))
    const body = await readFile(path).catch(() => null)
    res.writeHead(body ? 200 : 404, { 'Content-Type': types[extname(path)] ?? 'application/octet-stream', 'Content-Security-Policy': studioCsp() })
    res.end(body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})

test.afterAll(() => {
  server?.close()
  rmSync(out, { recursive: true, force: true })
})

test('the synth plays streamed notes, stops, and renders a WAV under the studio CSP', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await page.goto(`${origin}/`)
  await page.click('#go') // a user gesture for the AudioContext
  const r = await page.evaluate(() => (window as unknown as { synthCheck: () => Promise<Record<string, Record<string, unknown>>> }).synthCheck())
  expect(errors).toEqual([])
  expect(r.played.ended).toBe(true)
  expect(r.played.first).toBeGreaterThan(0.01)
  expect(r.played.gap).toBeLessThan(0.002) // nothing scheduled there
  expect(r.played.streamed).toBeGreaterThan(0.01) // the note added while playing, at its time
  expect(r.stopped).toMatchObject({ afterStop: 0, playing: false })
  expect(r.stopped.beforeStop).toBeGreaterThan(0.01)
  expect(r.rendered).toMatchObject({ sampleRate: 44100, seconds: 2.5, recipe: '{"modelId":"m"}' })
  expect(r.rendered.peak).toBeCloseTo(0.89, 3)
})
