/**
 * Issue 18, the studio as a daily tool: one queue for every modality (queue three jobs behind a long
 * note, cancel the middle one, move one earlier: the others complete in the new order; a repeated click
 * moves to the next seeds), history that lasts (reload, find a job by model and seed, open it, delete it
 * with its files), and the stage follows the model picked after a run (item 4).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { GAN_ID } from './env'
import { TEXT_ID, drafts, draftStatus } from './helpers/text'
import { doneTiles, expect, expectGridDone, generateGrid, modelItem, selectModel, setParam, setSeed, test, tiles, toasts } from './studio'

const AUDIO_ID = 'wavenet-notes'
const item = (page: Page, model: string, seed: number) => page.locator(`[data-testid="queue-item"][data-model-id="${model}"][data-seed="${seed}"]`)
const generate = (page: Page) => page.getByTestId('generate-button').click()

test('three jobs queued behind a long note: cancel the middle one, move one earlier, the rest complete in that order', async ({ studio: page }) => {
  // A: a long note (4 voices × 4 s) keeps the engine busy while the grid jobs queue up.
  await selectModel(page, AUDIO_ID)
  await setParam(page, 'seconds', 4)
  await setParam(page, 'voices', 4)
  await generate(page)
  const a = page.locator(`[data-testid="queue-item"][data-model-id="${AUDIO_ID}"]`)
  await expect(a).toHaveAttribute('data-position', '0')

  // B, then the same click again (C: the seed moves past B's 4 images), then D.
  await selectModel(page, GAN_ID)
  await setParam(page, 'count', 4)
  await setSeed(page, 100)
  await generate(page)
  await generate(page)
  await expect(toasts(page, 'info').filter({ hasText: 'Seed 100 with these settings is already made or queued: using seed 104' })).toBeVisible()
  await expect(page.getByTestId('seed-input')).toHaveValue('104')
  await setSeed(page, 300)
  await generate(page)

  const [b, c, d] = [item(page, GAN_ID, 100), item(page, GAN_ID, 104), item(page, GAN_ID, 300)]
  for (const [job, pos] of [[b, 1], [c, 2], [d, 3]] as const) {
    await expect(job).toHaveAttribute('data-state', 'queued')
    await expect(job.getByTestId('queue-status')).toContainText(`queued · #${pos}`)
  }
  // Queued is not running: no blank grid of a job that has not started.
  await expect(tiles(page)).toHaveCount(0)

  await c.getByTestId('queue-cancel').click()
  await expect(c).toHaveAttribute('data-state', 'cancelled')
  await d.getByTestId('queue-earlier').click()
  await expect(d).toHaveAttribute('data-position', '1')
  await expect(b).toHaveAttribute('data-position', '2')

  for (const job of [a, b, d]) await expect(job).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  await expect(c).toHaveAttribute('data-state', 'cancelled')
  // Ended jobs are listed newest first: B ended after D, as reordered; C never ran.
  const order = await page.locator(`[data-testid="queue-item"][data-model-id="${GAN_ID}"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-seed')))
  expect(order).toEqual(['100', '300', '104'])
  // The grid shows the selected model's latest job: B, all four images, and says whose they are.
  await expectGridDone(page, 4)
  await expect(page.locator('[data-testid="grid-tile"][data-seed="100"]')).toHaveAttribute('data-state', 'done')
  await expect(page.getByTestId('stage-model')).toHaveAttribute('data-model-id', GAN_ID)
  await expect(toasts(page, 'error')).toHaveCount(0)
})

test('history lasts: reload, find a job by model and seed, open it, delete it with its files', async ({ studio: page }) => {
  const seed = 20_000 + Math.floor(Math.random() * 1_000_000)
  await selectModel(page, GAN_ID)
  await page.getByTestId('history-open').click()
  await generateGrid(page, 2, seed)
  const kept = page.locator(`[data-testid="history-entry"][data-seed="${seed}"]`)
  await expect(kept).toHaveCount(1)

  await page.reload()
  await expect(modelItem(page, GAN_ID)).toBeVisible({ timeout: 30_000 })
  await expect(tiles(page)).toHaveCount(0)
  await page.getByTestId('history-open').click()
  await page.getByTestId('history-search-model').fill('DCGAN')
  await page.getByTestId('history-search-seed').fill(String(seed + 1)) // the second image's seed finds its job
  const entries = page.getByTestId('history-entry')
  await expect(entries).toHaveCount(1)
  await expect(entries.first()).toHaveAttribute('data-seed', String(seed))
  await expect(entries.first()).toHaveAttribute('data-model-id', GAN_ID)
  await page.getByTestId('history-search-model').fill('austen')
  await expect(entries).toHaveCount(0)
  await page.getByTestId('history-search-model').fill('dcgan')
  await expect(entries).toHaveCount(1)

  // Open: the two images on the stage again, with their recipe in the panel.
  await entries.first().getByTestId('history-entry-open').click()
  await expect(doneTiles(page)).toHaveCount(2)
  await expect(page.locator(`[data-testid="grid-tile"][data-seed="${seed + 1}"]`)).toHaveAttribute('data-state', 'done')
  await expect(page.getByTestId('seed-input')).toHaveValue(String(seed))
  await expect(page.getByTestId('stage-model')).toHaveAttribute('data-model-id', GAN_ID)

  // Delete (the second click confirms): gone from the list and from the disk.
  const id = await entries.first().getAttribute('data-entry-id')
  const dir = await page.getByTestId('history-usage').locator('code').getAttribute('title')
  expect(existsSync(join(dir!, id!)), 'the entry is a folder of files').toBe(true)
  await entries.first().getByTestId('history-delete').click()
  await entries.first().getByTestId('history-delete').click()
  await expect(entries).toHaveCount(0)
  expect(existsSync(join(dir!, id!))).toBe(false)
  await expect(toasts(page, 'error')).toHaveCount(0)
})

test('after a run, picking another model never shows the first model\'s results (item 4)', async ({ studio: page }) => {
  await selectModel(page, GAN_ID)
  await generateGrid(page, 4, 5)
  await expect(page.getByTestId('stage-model')).toHaveAttribute('data-model-id', GAN_ID)

  await selectModel(page, 'vae-emoji')
  await expect(tiles(page)).toHaveCount(0)
  await expect(page.getByTestId('stage-model')).not.toHaveAttribute('data-model-id', GAN_ID)
  await generateGrid(page, 2, 6)
  await expect(page.getByTestId('stage-model')).toHaveAttribute('data-model-id', 'vae-emoji')

  await selectModel(page, GAN_ID) // back: its own grid again
  await expectGridDone(page, 4)
  await expect(page.locator('[data-testid="grid-tile"][data-seed="5"]')).toHaveAttribute('data-state', 'done')
  await expect(page.getByTestId('stage-model')).toHaveAttribute('data-model-id', GAN_ID)

  // Text: Austen's drafts are not shown under Moby Dick.
  await selectModel(page, TEXT_ID)
  await setParam(page, 'drafts', 1)
  await setParam(page, 'length', 40)
  await generate(page)
  await expect(draftStatus(page, 0)).toHaveAttribute('data-state', /^(length|stop)$/, { timeout: 60_000 })
  await selectModel(page, 'lstm-mobydick')
  await expect(drafts(page)).toHaveCount(0)
  await expect(page.getByTestId('stage-model')).not.toHaveAttribute('data-model-id', TEXT_ID)
})
