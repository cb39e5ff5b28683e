/**
 * Issue 18, the image grid as a daily tool: a batch fits the pane at whole-multiple sizes, the
 * thumbnail size is a remembered choice, Export all writes every image with its recipe in one ZIP,
 * and closing the viewer gives focus back to the tile it showed.
 */
import { readFileSync } from 'node:fs'
import { unzipSync } from 'fflate'
import { readPngText } from '../src/common/png'
import { parseRecipe, RECIPE_KEY } from '../src/common/recipe'
import { GAN_ID } from './env'
import { expect, generateGrid, modelItem, selectModel, test, tiles } from './studio'

test('16 images fit a 1440x900 window whole, the size choice is remembered, and Export all zips 16 PNGs with their recipes', async ({ studio: page }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await selectModel(page, GAN_ID)
  await generateGrid(page, 16, 500)

  // Every tile fully in view (no cut fourth row), at a whole multiple of the 64-px image, not above 4x.
  for (let i = 0; i < 16; i++) await expect(tiles(page).nth(i), `tile ${i}`).toBeInViewport({ ratio: 1 })
  const side = Number(await page.getByTestId('grid').getAttribute('data-tile'))
  expect(side % 64, `tile side ${side}`).toBe(0)
  expect(side).toBeGreaterThanOrEqual(128)
  expect(side).toBeLessThanOrEqual(256)
  expect(await tiles(page).first().locator('canvas').evaluate((c) => c.getBoundingClientRect().width)).toBe(side)

  // A fixed size, remembered across a reload; then back to fitting the batch.
  await page.locator('[data-testid="grid-size"][data-size="small"]').click()
  await expect(page.getByTestId('grid')).toHaveAttribute('data-tile', '64')
  await page.reload()
  await expect(modelItem(page, GAN_ID)).toBeVisible({ timeout: 30_000 })
  await selectModel(page, GAN_ID)
  await generateGrid(page, 16, 500)
  await expect(page.locator('[data-testid="grid-size"][data-size="small"]')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('grid')).toHaveAttribute('data-tile', '64')
  await page.locator('[data-testid="grid-size"][data-size="fit"]').click()
  await expect(page.getByTestId('grid')).toHaveAttribute('data-tile', String(side))

  // Export all: one ZIP download, 16 PNGs, each with the recipe of exactly that image.
  const download = page.waitForEvent('download')
  await page.getByTestId('export-all').click()
  const zip = await download
  expect(zip.suggestedFilename()).toBe(`${GAN_ID}-seed-500-16-images-x1.zip`)
  const files = unzipSync(new Uint8Array(readFileSync((await zip.path())!)))
  const names = Object.keys(files).sort()
  expect(names).toEqual(Array.from({ length: 16 }, (_, i) => `${GAN_ID}-seed-${500 + i}-x1.png`).sort())
  for (const name of names) {
    const r = parseRecipe(readPngText(files[name])[RECIPE_KEY])
    expect(r.ok, name).toBe(true)
    if (r.ok) expect(r.value).toMatchObject({ modelId: GAN_ID, seed: Number(/seed-(\d+)/.exec(name)![1]), params: { count: 1 } })
  }
})

test('closing the viewer puts focus back on the tile it showed', async ({ studio: page }) => {
  await selectModel(page, GAN_ID)
  await generateGrid(page, 4, 40)
  await tiles(page).nth(1).click()
  await expect(page.getByTestId('viewer')).toBeVisible()
  await page.keyboard.press('ArrowRight') // browse to the third image, then close
  await expect(page.getByTestId('viewer-seed')).toHaveText('42')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('viewer')).toBeHidden()
  await expect(tiles(page).nth(2)).toBeFocused()
  await page.keyboard.press('Enter') // the keyboard goes on from there: the same image opens again
  await expect(page.getByTestId('viewer-seed')).toHaveText('42')
  await page.getByRole('button', { name: 'Close' }).click()
  await expect(tiles(page).nth(2)).toBeFocused()
})
