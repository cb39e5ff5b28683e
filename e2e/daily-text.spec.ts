/**
 * Issue 18, the text pane as a daily tool: eight drafts are counted and each can be reached and read
 * side by side (none hidden sideways).
 */
import { draft, drafts, draftStatus, TEXT_ID } from './helpers/text'
import { expect, selectModel, setParam, setSeed, test } from './studio'

const DONE = /^(length|stop)$/

test('eight drafts: a count, a jump to each, and every draft a readable column in view', async ({ studio: page }) => {
  await selectModel(page, TEXT_ID)
  await setParam(page, 'prime', 'It was')
  await setParam(page, 'drafts', 8)
  await setParam(page, 'length', 40)
  await setSeed(page, 8)
  await page.getByTestId('generate-button').click()
  await expect(drafts(page)).toHaveCount(8)
  for (let i = 0; i < 8; i++) await expect(draftStatus(page, i)).toHaveAttribute('data-state', DONE, { timeout: 60_000 })

  await expect(page.getByTestId('draft-total')).toHaveText('8 drafts')
  const jumps = page.getByTestId('draft-jump')
  await expect(jumps).toHaveCount(8)
  // Nothing is pushed out sideways: the drafts wrap into rows of columns at least 240 px wide.
  const sideways = await page.locator('.drafts').evaluate((el) => el.scrollWidth - el.clientWidth)
  expect(sideways).toBeLessThanOrEqual(0)
  for (let i = 0; i < 8; i++) {
    await jumps.nth(i).click()
    await expect(draft(page, i)).toBeInViewport({ ratio: 0.9 })
    await expect(draft(page, i).getByRole('region')).toBeFocused()
    const box = (await draft(page, i).boundingBox())!
    expect(box.width, `draft ${i + 1} width`).toBeGreaterThanOrEqual(240)
  }
})
