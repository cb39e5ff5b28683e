/**
 * Stopping work: the Cancel button and Esc stop a 64-image job part-way (the images already made stay);
 * Ctrl+Enter generates without touching the mouse. (The 100 ms bound: server-cancel.spec.ts.)
 *
 * The cancel is issued the instant the job's first image reaches the page (see `cancelAtFirstFrame`).
 * On a starved CPU the page can receive that image after the engine has finished all 64; such a run
 * cannot test a cancel, so it is noted and played again (3 tries). Whenever the cancel does reach a
 * running job, every assertion below is strict.
 */
import type { Page } from '@playwright/test'
import { GAN_ID } from './env'
import { cancelAtFirstFrame, cancelOutcome, doneTiles, expect, expectGridDone, selectModel, setParam, test, tiles, toasts } from './studio'

const BIG = 64
const TRIES = 3

/** Start a 64-image job with `start`, cancel it with `how` at its first image; the outcome of the first try that reached a running job. */
async function cancelMidJob(page: Page, how: 'click-cancel' | 'press-escape', start: () => Promise<void>) {
  await setParam(page, 'count', BIG)
  for (let attempt = 1; attempt <= TRIES; attempt++) {
    await cancelAtFirstFrame(page, how)
    await start()
    const outcome = await cancelOutcome(page)
    if (outcome.cancelled) return outcome
    test.info().annotations.push({
      type: 'replayed',
      description: `try ${attempt}: all ${BIG} images were made before the cancel reached the engine (the page got the first image late)`,
    })
    await expect(toasts(page, 'info').filter({ hasText: /cancel/i })).toHaveCount(0) // a finished job is not "cancelled"
  }
  throw new Error(`in ${TRIES} tries the job always finished before the cancel reached it`)
}

/** The user's view after a cancel: told so, some images kept, the rest never came, nothing running. */
async function expectCancelledPartWay(page: Page) {
  await expect(toasts(page, 'info').filter({ hasText: /cancel/i })).toBeVisible()
  await expect(page.getByTestId('cancel-button')).toBeDisabled()
  await expect(tiles(page)).toHaveCount(BIG)
  const done = await doneTiles(page).count()
  expect(done, 'images that arrived before the cancel stay').toBeGreaterThan(0)
  expect(done, 'a cancelled job must not finish').toBeLessThan(BIG)
  await expect(toasts(page, 'error')).toHaveCount(0)
}

test('Cancel stops a 64-image job mid-stream', async ({ studio: page }) => {
  await selectModel(page, GAN_ID)
  const o = await cancelMidJob(page, 'click-cancel', () => page.getByTestId('generate-button').click())
  await expectCancelledPartWay(page)
  // Noted, not asserted: through Chromium this includes how quickly a busy machine schedules the
  // browser's own processes. The 100 ms bound is asserted without a browser in server-cancel.spec.ts.
  test.info().annotations.push({ type: 'cancel-to-end', description: `${o.stopMs.toFixed(0)} ms in the page, ${o.imagesAfter} images streamed meanwhile` })
})

test('Ctrl+Enter generates, Esc cancels', async ({ studio: page }) => {
  await selectModel(page, GAN_ID)
  await setParam(page, 'count', 4)
  await page.locator('body').click({ position: { x: 5, y: 5 } }) // focus away from the fields
  await page.keyboard.press('Control+Enter')
  await expectGridDone(page, 4)

  await cancelMidJob(page, 'press-escape', () => page.keyboard.press('Control+Enter'))
  await expectCancelledPartWay(page)
})
