/**
 * Issue 18, the text pane as a daily tool: eight drafts are counted and each can be reached and read
 * side by side (none hidden sideways), and a pasted prime with accents or emoji is read, with one note.
 */
import { draft, drafts, draftStatus, TEXT_ID } from './helpers/text'
import { expect, selectModel, setParam, setSeed, test, toasts } from './studio'

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

test('a prime with accents is read without them and one with an emoji leaves it out, each with one note; an empty prime is refused before start', async ({ studio: page }) => {
  await selectModel(page, TEXT_ID)
  await setParam(page, 'drafts', 1)
  await setParam(page, 'length', 20)
  await setSeed(page, 3)

  await setParam(page, 'prime', 'The café was')
  await page.getByTestId('generate-button').click()
  await expect(draftStatus(page, 0)).toHaveAttribute('data-state', DONE, { timeout: 60_000 })
  await expect(toasts(page, 'info').filter({ hasText: `the prime's "é" (U+00E9) was read as "e"` })).toHaveCount(1)
  await expect(toasts(page, 'error')).toHaveCount(0)

  await setParam(page, 'prime', 'It was 😀 late')
  await page.getByTestId('generate-button').click()
  await expect(page.getByTestId('history-item')).toHaveCount(2)
  await expect(draftStatus(page, 0)).toHaveAttribute('data-state', DONE, { timeout: 60_000 })
  const note = toasts(page, 'info').filter({ hasText: 'emoji' })
  await expect(note).toHaveCount(1)
  await expect(note).toContainText(`the prime's emoji 😀 was left out`)
  await expect(page.getByText('�')).toHaveCount(0)
  await expect(toasts(page, 'error')).toHaveCount(0)

  // A character that has no plain form: named once, readably, beside the drafts (not again in a toast).
  await setParam(page, 'prime', 'Straße 中')
  await page.getByTestId('generate-button').click()
  await expect(page.getByTestId('text-failed')).toHaveText('Failed: the prime has characters this model never saw: "ß" (U+00DF), "中" (U+4E2D). Remove or replace them')
  await expect(page.getByText('never saw')).toHaveCount(1)
  await expect(toasts(page, 'error')).toHaveCount(0)

  // An empty prime: said under the field, and Generate cannot start a job.
  await setParam(page, 'prime', '')
  await expect(page.getByTestId('param-prime-error')).toHaveText('Write a prime: the model continues it')
  await expect(page.getByTestId('generate-button')).toBeDisabled()
  await expect(page.getByTestId('generate-why')).toContainText('Prime: Write a prime')
})
