/**
 * Issue 18 item 12: while a job runs the status bar names its execution provider as soon as the engine
 * reports it ("pending…" before that, never "—"), and image history cards name the model that made them.
 * The provider is recorded in the page as it changes, so a slow machine only makes the run longer.
 */
import { GAN_ID } from './env'
import { expect, generateGrid, selectModel, setParam, setSeed, test } from './studio'

const AUDIO_ID = process.env.E2E_AUDIO_MODEL ?? 'wavenet-notes'

test('the status bar names the provider of the running job, never "—"', async ({ studio: page }) => {
  await selectModel(page, AUDIO_ID)
  await setParam(page, 'seconds', 1)
  await setSeed(page, 21)
  await expect(page.getByTestId('status-ep')).not.toHaveText('—') // idle, nothing run yet
  await page.evaluate(() => {
    const w = window as unknown as { __ep: { ep: string; running: boolean }[] }
    w.__ep = []
    const note = () => {
      const ep = document.querySelector('[data-testid="status-ep"]')?.textContent ?? ''
      const running = document.querySelector('[data-testid="wave-status"]')?.getAttribute('data-state') === 'running'
      const last = w.__ep.at(-1)
      if (!last || last.ep !== ep || last.running !== running) w.__ep.push({ ep, running })
    }
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true })
  })
  await page.getByTestId('generate-button').click()
  await expect(page.getByTestId('wave-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  const seen = await page.evaluate(() => (window as unknown as { __ep: { ep: string; running: boolean }[] }).__ep)
  const whileRunning = seen.filter((s) => s.running).map((s) => s.ep)
  expect(whileRunning.length, JSON.stringify(seen)).toBeGreaterThan(0)
  expect(whileRunning.every((ep) => ep === 'pending…' || /^(cpu|cuda|dml)$/.test(ep)), JSON.stringify(seen)).toBe(true)
  // Known while it still runs: the first progress event names it.
  expect(whileRunning.some((ep) => /^(cpu|cuda|dml)$/.test(ep)), JSON.stringify(seen)).toBe(true)
  await expect(page.getByTestId('status-ep')).toHaveText(/^(cpu|cuda|dml)$/)
})

test('image history cards name the model that made them', async ({ studio: page }) => {
  await selectModel(page, GAN_ID)
  await generateGrid(page, 2, 5)
  await selectModel(page, 'vae-emoji')
  await generateGrid(page, 2, 5)
  const cards = page.getByTestId('history-item')
  await expect(cards.first().getByTestId('history-model')).toHaveText('Emoji VAE')
  await expect(cards.nth(1).getByTestId('history-model')).toHaveText('Emoji DCGAN')
  await expect(cards.first()).toContainText('seed 5')
})
