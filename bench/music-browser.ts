/**
 * `music.click_to_first_note_ms`: the browser host (Debian Chromium against a server we start), time from
 * the Generate click to the first note of the new piece handed to the synth (MusicStudio fires
 * `latent-studio:music-first-note` with performance.now() when the synth schedules it; the clock starts in
 * a capture-phase click listener, before the app's own). The piece plays while it is written, from its
 * first note, so this is when sound starts (plus the synth's fixed 50 ms start delay on the audio clock).
 */
import { chromium, type Page } from '@playwright/test'
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/env'
import { jobEnded } from './browser'
import { median } from './record'
import { startServer } from './server'

/** Kept as source text: tsx compiles bench functions with helpers (`__name`) the page does not have. */
const ARM = `(() => {
  window.__firstNote = new Promise((resolve) => {
    let t0 = -1
    document.querySelector('[data-testid="generate-button"]').addEventListener('click', () => { t0 = performance.now() }, { capture: true, once: true })
    addEventListener('latent-studio:music-first-note', (e) => resolve(e.detail - t0), { once: true })
  })
})()`

async function once(page: Page): Promise<number> {
  await page.evaluate(ARM)
  await page.getByTestId('generate-button').click()
  const ms = (await page.evaluate('window.__firstNote')) as number
  await jobEnded(page) // and stop its playback: each run starts idle
  if ((await page.getByTestId('music-play').textContent())?.includes('Stop')) await page.getByTestId('music-play').click()
  return ms
}

/** Median click-to-first-note (ms) over `runs` clicks after one warm-up, with the model's default parameters. */
export async function benchClickToFirstNote(root: string, modelId: string, runs: number, serverArgs: string[] = []): Promise<{ ms: number; samples: number[] }> {
  const server = await startServer(root, serverArgs)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage()
    await page.goto(server.url)
    await page.locator(`[data-testid="model-item"][data-model-id="${modelId}"]`).click()
    await page.getByTestId('music-pane').waitFor()
    await once(page) // warm-up: session load in the engine host, the synth and soundfont in the page
    const samples: number[] = []
    for (let i = 0; i < runs; i++) {
      // A new seed each time: the same seed and settings again would move to the next seed anyway.
      await page.getByTestId('seed-input').fill(String(1000 + i))
      await page.getByTestId('seed-input').press('Tab')
      samples.push(await once(page))
    }
    return { ms: median(samples), samples }
  } finally {
    await browser.close()
    await server.stop()
  }
}
