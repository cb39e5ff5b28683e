/**
 * Click-to-first-image in the browser host: Debian Chromium against a server we start, time from the
 * Generate click to the first grid tile with `data-state="done"`, measured inside the page with
 * performance.now (a trusted click; the clock starts in a capture-phase listener, before the app's own).
 */
import { chromium, type Page } from '@playwright/test'
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/env'
import { median } from './record'
import { startServer } from './server'

/**
 * In the page: arm a one-shot stopwatch from the next Generate click to the next tile that turns done.
 * Kept as source text: tsx compiles bench functions with helpers (`__name`) the page does not have.
 */
const ARM_STOPWATCH = `(() => {
  window.__firstImage = new Promise((resolve) => {
    let t0 = -1
    const sel = '[data-testid="grid-tile"][data-state="done"]'
    const button = document.querySelector('[data-testid="generate-button"]')
    button.addEventListener('click', () => { t0 = performance.now() }, { capture: true, once: true })
    function isDoneTile(n) { return n instanceof Element && n.matches(sel) }
    // Records, not a query: the previous grid's tiles are done too, and the keyed grid reuses their
    // elements for the next job (done -> pending -> done).
    const obs = new MutationObserver((records) => {
      if (t0 < 0) return
      const hit = records.some((r) =>
        r.type === 'attributes'
          ? isDoneTile(r.target)
          : [...r.addedNodes].some((n) => isDoneTile(n) || (n instanceof Element && !!n.querySelector(sel))),
      )
      if (!hit) return
      obs.disconnect()
      resolve(performance.now() - t0)
    })
    obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] })
  })
})()`

async function once(page: Page): Promise<number> {
  await page.evaluate(ARM_STOPWATCH)
  await page.getByTestId('generate-button').click()
  const ms = (await page.evaluate('window.__firstImage')) as number
  await jobEnded(page)
  return ms
}

/**
 * Wait for the running job to end, so the next run starts from an idle engine. Polled from here:
 * waitForFunction would eval a string in the page, which the studio's CSP forbids.
 */
export async function jobEnded(page: Page): Promise<void> {
  const cancel = page.getByTestId('cancel-button')
  const until = Date.now() + 60_000
  while (!(await cancel.isDisabled())) {
    if (Date.now() > until) throw new Error('the bench job did not finish within 60 s')
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Median click-to-first-image (ms) over `runs` clicks after one warm-up, with the model's default parameters. */
export async function benchClickToFirstImage(root: string, modelId: string, runs: number): Promise<{ ms: number; samples: number[] }> {
  const server = await startServer(root)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage()
    await page.goto(server.url)
    await page.locator(`[data-testid="model-item"][data-model-id="${modelId}"]`).click()
    await once(page) // warm-up: session load in the engine host, first canvas
    const samples: number[] = []
    for (let i = 0; i < runs; i++) samples.push(await once(page))
    return { ms: median(samples), samples }
  } finally {
    await browser.close()
    await server.stop()
  }
}
