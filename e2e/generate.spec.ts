/**
 * The GAN vertical slice in the browser host: a grid of real images, the viewer, a ×4 PNG export that
 * carries its recipe, and dropping that PNG back to restore (and regenerate) exactly that image.
 */
import { readFileSync } from 'node:fs'
import { GAN_ID } from './env'
import { comparePngWithTile, tileStats } from './helpers/pixels'
import { pngRecipe, pngSize } from './helpers/png'
import { doneTiles, dropFile, expect, expectGridDone, generateGrid, selectModel, setParam, setSeed, test, tiles, toasts } from './studio'

test('a grid of DCGAN images, the viewer, a ×4 PNG with its recipe, and the recipe restored by dropping it back', async ({ studio: page }) => {
  await selectModel(page, GAN_ID)
  await generateGrid(page, 6, 4242)

  // Every tile shows a real picture: varied colours, opaque, the model's 64×64.
  for (let i = 0; i < 6; i++) {
    const s = await tileStats(tiles(page).nth(i))
    expect(s, `tile ${i}`).toMatchObject({ width: 64, height: 64, opaque: true })
    expect(s.distinct, `tile ${i} distinct colours`).toBeGreaterThan(32)
    expect(s.std, `tile ${i} spread`).toBeGreaterThan(8)
  }
  // Seeds run on from the job seed, one per tile.
  await expect(tiles(page).nth(0)).toHaveAttribute('data-seed', '4242')
  await expect(tiles(page).nth(5)).toHaveAttribute('data-seed', '4247')
  await expect(page.getByTestId('status-ep')).toHaveText(/cpu|cuda|dml/i)

  // Click a tile: the viewer shows it large with its own seed.
  const tile = tiles(page).nth(3)
  const seed = Number(await tile.getAttribute('data-seed'))
  await tile.click()
  await expect(page.getByTestId('viewer')).toBeVisible()
  await expect(page.getByTestId('viewer-seed')).toContainText(String(seed))

  // Export at ×4: a browser download of a 256×256 PNG whose tEXt recipe names this model and seed.
  await page.getByTestId('export-scale').selectOption('4')
  const download = page.waitForEvent('download')
  await page.getByTestId('export-button').click()
  const file = await download
  const png = new Uint8Array(readFileSync((await file.path())!))
  expect(pngSize(png)).toEqual({ width: 256, height: 256 })
  const recipe = pngRecipe(png)
  expect(recipe.modelId).toBe(GAN_ID)
  expect(recipe.seed + (recipe.index ?? 0)).toBe(seed)
  expect(recipe.modelHash).toMatch(/^[0-9a-f]{16}$/)
  expect(recipe.ep).toMatch(/cpu|cuda|dml/i)
  // The file is the tile the user picked, upscaled with crisp nearest-neighbour pixels.
  const cmp = await comparePngWithTile(page, png, tile, 4)
  expect(cmp).toMatchObject({ pngWidth: 256, pngHeight: 256, unevenBlocks: 0 })
  expect(cmp.maxDiff).toBeLessThanOrEqual(1)

  // Move away from that recipe, then drop the PNG back onto the window.
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('viewer')).toBeHidden()
  await setSeed(page, 1)
  await setParam(page, 'count', 9)
  await dropFile(page, file.suggestedFilename(), png)
  await expect(toasts(page, 'info').filter({ hasText: /recipe restored/i })).toBeVisible()
  await expect(page.getByTestId('seed-input')).toHaveValue(String(seed))

  // Generating from the restored recipe makes that very image again.
  await page.getByTestId('generate-button').click()
  const n = Number(recipe.params.count ?? 1)
  await expectGridDone(page, n)
  const again = page.locator(`[data-testid="grid-tile"][data-seed="${seed}"]`)
  await expect(again).toHaveAttribute('data-state', 'done')
  const same = await comparePngWithTile(page, png, again, 4)
  expect(same.maxDiff, 'regenerated image vs exported PNG').toBeLessThanOrEqual(1)
  await expect(doneTiles(page)).toHaveCount(n)
})

test('a dropped file without a recipe is refused by name, and the panel is unchanged', async ({ studio: page }) => {
  await selectModel(page, GAN_ID)
  await setSeed(page, 777)
  await dropFile(page, 'holiday.png', Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130]))
  await expect(toasts(page, 'error').filter({ hasText: 'holiday.png' })).toBeVisible()
  await expect(page.getByTestId('seed-input')).toHaveValue('777')
})
