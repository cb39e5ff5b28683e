/**
 * The music synth in Debian Chromium under the studio's CSP (served as a header, as the server does):
 * the soundfont loads in the AudioWorklet (its Vorbis decoder is WebAssembly: 'wasm-unsafe-eval'),
 * notes sound, a note added while playing is heard at its time, stop silences, and the WAV renders in
 * a worker. The page (e2e/music-synth/) is built here with Vite around renderer/lib/music-synth.ts.
 */
import { expect, test } from '@playwright/test'
import { studioCsp } from '../src/common/csp'
import { servePage } from './helpers/built-page'

let served: Awaited<ReturnType<typeof servePage>>
let origin = ''

test.beforeAll(async () => {
  served = await servePage('music-synth', { headers: { 'Content-Security-Policy': studioCsp() } })
  origin = served.origin
})
test.afterAll(() => served?.close())

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
