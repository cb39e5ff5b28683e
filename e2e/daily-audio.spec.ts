/**
 * Issue 18, the audio pane as a daily tool: the spectrogram view turned on and off must not break the
 * next note (wavesurfer's plugin lifecycle), and a note's progress reads in seconds.
 */
import { expect, selectModel, setParam, setSeed, test } from './studio'

const AUDIO_ID = process.env.E2E_AUDIO_MODEL ?? 'wavenet-notes'

const lane = (page: import('@playwright/test').Page) => page.locator('[data-testid="wave-lane"][data-voice="0"]')

test('spectrogram on, then off, then Generate: the new note plays and reaches History, and an older note shows again', async ({ studio: page }) => {
  await selectModel(page, AUDIO_ID)
  await setParam(page, 'seconds', 0.5)
  await setSeed(page, 11)
  await page.getByTestId('generate-button').click()
  await expect(page.getByTestId('wave-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  await expect(lane(page)).toHaveAttribute('data-final', 'true')

  await page.getByTestId('wave-spectrogram').check()
  await page.getByTestId('wave-spectrogram').uncheck()

  await setSeed(page, 12)
  await page.getByTestId('generate-button').click()
  await expect(page.getByTestId('history-item')).toHaveCount(2)
  await expect(page.getByTestId('wave-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  await expect(lane(page)).toContainText('seed 12')
  await expect(lane(page)).toHaveAttribute('data-final', 'true')
  await expect(lane(page).getByTestId('wave-time')).toContainText('/ 0.50 s')
  await lane(page).getByTestId('wave-play').click()
  await expect(lane(page)).toHaveAttribute('data-playing', 'true')
  await lane(page).getByTestId('wave-stop').click()

  // With the spectrogram on again, showing the older note from History swaps the lane cleanly too.
  await page.getByTestId('wave-spectrogram').check()
  await page.getByTestId('wave-spectrogram').uncheck()
  await page.getByTestId('history-item').nth(1).click()
  await expect(lane(page)).toContainText('seed 11')
  await expect(lane(page)).toHaveAttribute('data-final', 'true')
  await expect(lane(page).getByTestId('wave-play')).toBeEnabled()
})

test('a note’s progress in the status bar reads in seconds, not samples', async ({ studio: page }) => {
  await selectModel(page, AUDIO_ID)
  await setParam(page, 'seconds', 0.5)
  await setParam(page, 'voices', 1)
  await page.getByTestId('generate-button').click()
  await expect(page.getByTestId('wave-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  await expect(page.getByTestId('progress')).toContainText('0.50 / 0.50 s')
  await expect(page.getByTestId('wave-status')).toContainText('· 0.50 s ·')
})
