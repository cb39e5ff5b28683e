/**
 * Issue 18, the parameter panel as a daily tool: a number field is typed into freely (cleared, replaced),
 * shows when its value cannot be used, and a job never runs with a value the user did not see.
 */
import type { Locator, Page } from '@playwright/test'
import { expectGridDone, expect, selectModel, test, tiles } from './studio'
import { GAN_ID } from './env'

/** Select everything in the field and type over it, key by key, as a person does. */
async function retype(page: Page, field: Locator, text: string): Promise<void> {
  await field.click()
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.press('Backspace')
  if (text) await page.keyboard.type(text)
}

test('a number field can be cleared and typed; an invalid value is shown and blocks Generate', async ({ studio: page }) => {
  await selectModel(page, GAN_ID)
  const count = page.getByTestId('param-count')
  const generate = page.getByTestId('generate-button')

  // Select-all + Backspace empties the field (it used to snap back to the old value).
  await retype(page, count, '')
  await expect(count).toHaveValue('')
  await expect(count).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByTestId('param-count-error')).toHaveText('Enter a whole number from 1 to 64')
  await expect(generate).toBeDisabled()
  await expect(page.getByTestId('generate-why')).toContainText('Images: Enter a whole number from 1 to 64')

  // Typing replaces: "5" is 5, not 165.
  await page.keyboard.type('5')
  await expect(count).toHaveValue('5')
  await expect(count).toHaveAttribute('aria-invalid', 'false')
  await expect(page.getByTestId('param-count-error')).toHaveCount(0)
  await expect(page.getByTestId('generate-why')).toHaveCount(0)

  // A float typed over the old one is what was typed, not a splice of both.
  const truncation = page.getByTestId('param-truncation')
  await retype(page, truncation, '0.5')
  await expect(truncation).toHaveValue('0.5')
  await retype(page, truncation, '1.25')
  await expect(truncation).toHaveValue('1.25')

  await generate.click()
  await expectGridDone(page, 5)

  // Out of range: shown as it is, never clamped, and neither the button nor Ctrl+Enter runs a job.
  await retype(page, count, '999')
  await page.keyboard.press('Tab')
  await expect(count).toHaveValue('999')
  await expect(page.getByTestId('param-count-error')).toHaveText('999 is above the maximum: 1 to 64')
  await expect(generate).toBeDisabled()
  await count.focus()
  await page.keyboard.press('ControlOrMeta+Enter')
  await expect(page.locator('[data-testid="toast"][data-kind="error"]').filter({ hasText: 'Cannot generate — Images: 999 is above the maximum' })).toBeVisible()
  await expect(page.getByTestId('history-item')).toHaveCount(1)
  await expect(tiles(page)).toHaveCount(5)
  await retype(page, count, '1e9')
  await expect(page.getByTestId('param-count-error')).toContainText('above the maximum')

  // The arrow keys still step a valid value, and the slider follows the field.
  await retype(page, count, '7')
  await page.keyboard.press('ArrowUp')
  await expect(count).toHaveValue('8')
  await expect(page.getByTestId('param-count-range')).toHaveValue('8')
})

test('at 1024x700 Generate and its Ctrl+Enter hint are in view without scrolling, for every model', async ({ studio: page }) => {
  await page.setViewportSize({ width: 1024, height: 700 })
  const ids = await page.locator('[data-testid="model-item"]:not([data-broken="true"])').evaluateAll((els) => els.map((e) => e.getAttribute('data-model-id')!))
  expect(ids).toContain('lstm-austen')
  const hint = page.getByRole('region', { name: 'Parameters' }).locator('kbd', { hasText: 'Enter' })
  for (const id of ids) {
    await page.locator(`[data-testid="model-item"][data-model-id="${id}"]`).click()
    await expect(page.getByTestId('generate-button'), id).toBeInViewport({ ratio: 1 })
    await expect(hint, id).toBeInViewport({ ratio: 1 })
  }
  // The text model's tall prime box scrolls inside the panel; the actions stay put.
  await selectModel(page, 'lstm-austen')
  await page.getByTestId('seed-input').scrollIntoViewIfNeeded()
  await expect(page.getByTestId('generate-button')).toBeInViewport({ ratio: 1 })
})
