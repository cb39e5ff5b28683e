/**
 * Issue 18, smaller things a daily user notices: Rescan says what it found.
 */
import { expect, test } from './studio'

test('Rescan says how many models it found and how many have errors', async ({ studio: page }) => {
  const items = page.getByTestId('model-item')
  const n = await items.count()
  const bad = await page.locator('[data-testid="model-item"][data-broken="true"]').count()
  expect(bad, 'the e2e models folder holds broken fixtures').toBeGreaterThan(0)
  await page.getByRole('button', { name: 'Rescan' }).click()
  await expect(page.getByTestId('rescan-result')).toHaveText(`Found ${n} models, ${bad} with errors`)
  await expect(items).toHaveCount(n)
})
