/**
 * A chord in the audio studio with the shipped WaveNet: three notes render voice by voice in one job, the
 * pane shows each voice (named by its note) and their mix, the mix plays, and it exports as a WAV whose
 * samples are the voices summed and whose recipe (the chord's) brings the chord back when dropped in; a
 * voice exports with the recipe that makes its note alone.
 */
import { readFileSync } from 'node:fs'
import type { Locator, Page } from '@playwright/test'
import { decodeWav } from '../src/common/wav'
import { laneTime } from './helpers/wave'
import { dropFile, expect, selectModel, setParam, setSeed, test, toasts } from './studio'

const AUDIO_ID = process.env.E2E_AUDIO_MODEL ?? 'wavenet-notes'

async function exported(page: Page, lane: Locator) {
  const download = page.waitForEvent('download')
  await lane.getByTestId('wave-export').click()
  const d = await download
  const bytes = new Uint8Array(readFileSync((await d.path())!))
  return { name: d.suggestedFilename(), bytes, wav: decodeWav(bytes) }
}

test('a chord of three notes renders voice by voice, its mix plays and exports with the chord recipe', async ({ studio: page }) => {
  await selectModel(page, AUDIO_ID)
  await setParam(page, 'chord', 'C4 E4 G4')
  await setParam(page, 'seconds', 1)
  await setSeed(page, 77)
  await page.getByTestId('generate-button').click()
  await expect(page.getByTestId('wave-status')).toHaveAttribute('data-state', 'done', { timeout: 90_000 })
  await expect(page.getByTestId('wave-status')).toContainText('C4 E4 G4')

  const lanes = page.getByTestId('wave-lane')
  await expect(lanes).toHaveCount(3)
  await expect(lanes.getByTestId('wave-note')).toHaveText(['C4', 'E4', 'G4'])
  const mix = page.getByTestId('wave-mix')
  await expect(mix).toHaveAttribute('data-final', 'true')
  await expect(mix.getByTestId('wave-chord')).toHaveText('C4 E4 G4')

  // The mix plays: its clock advances.
  await mix.getByTestId('wave-play').click()
  await expect(mix).toHaveAttribute('data-playing', 'true')
  await expect.poll(() => laneTime(mix)).toBeGreaterThan(0.2)
  await mix.getByTestId('wave-stop').click()

  // Each voice alone, then the mix: the mix is their sum (scaled only if it would clip).
  const voices: Awaited<ReturnType<typeof exported>>[] = []
  for (let v = 0; v < 3; v++) voices.push(await exported(page, lanes.nth(v)))
  expect(JSON.parse(voices[1].wav.recipe!)).toMatchObject({ seed: 78, params: { pitch: 64, chord: '', voices: 1 } })
  const m = await exported(page, mix)
  expect(m.wav.samples.length).toBe(16000)
  const recipe = JSON.parse(m.wav.recipe!)
  expect(recipe).toMatchObject({ modelId: AUDIO_ID, seed: 77, params: { chord: 'C4 E4 G4', seconds: 1 } })
  const sum = m.wav.samples.map((_, i) => voices[0].wav.samples[i] + voices[1].wav.samples[i] + voices[2].wav.samples[i])
  let dot = 0, norm = 0
  for (let i = 0; i < sum.length; i++) (dot += sum[i] * m.wav.samples[i]), (norm += sum[i] * sum[i])
  const scale = dot / norm
  expect(scale).toBeGreaterThan(0.3)
  expect(scale).toBeLessThanOrEqual(1.0001)
  expect(Math.max(...sum.map((s, i) => Math.abs(s * scale - m.wav.samples[i])))).toBeLessThan(4 / 32768)

  // Drop the mix back: the chord, seed and length come back with its sound.
  await setParam(page, 'chord', '')
  await setSeed(page, 1)
  await dropFile(page, m.name, m.bytes, 'audio/wav')
  await expect(toasts(page, 'info').filter({ hasText: /recipe restored/i })).toBeVisible()
  await expect(page.getByTestId('param-chord')).toHaveValue('C4 E4 G4')
  await expect(page.getByTestId('seed-input')).toHaveValue('77')
})

test('the interim post-hoc envelope: a piano note decays, and the pane says the envelope was applied after generation', async ({ studio: page }) => {
  await selectModel(page, AUDIO_ID)
  await setParam(page, 'instrument', 'piano')
  await setParam(page, 'seconds', 1.25)
  await setParam(page, 'envelope', 'natural')
  await setSeed(page, 5)
  await page.getByTestId('generate-button').click()
  await expect(page.getByTestId('wave-status')).toHaveAttribute('data-state', 'done', { timeout: 90_000 })
  await expect(page.getByTestId('wave-posthoc')).toContainText('after generation')
  const { wav } = await exported(page, page.getByTestId('wave-lane').first())
  const rms = (a: number, b: number) => Math.sqrt(wav.samples.slice(a * 16000, b * 16000).reduce((s, x) => s + x * x, 0) / ((b - a) * 16000))
  expect(rms(0.7, 0.9) / rms(0.1, 0.3)).toBeLessThan(0.5) // the rendered piano decays to 0.23 over this span
  expect(rms(1.2, 1.25)).toBeLessThan(0.5 * rms(0.7, 0.9)) // and is released at the end
})
