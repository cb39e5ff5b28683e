/**
 * Inpainting a digit with the RBM in the browser host, as a user works it: draw a stroke on the blank
 * canvas and watch the chains complete it frame by frame (the stroke stays in every tile), export a tile
 * and drop the PNG back (the drawing and the settings return, and the same recipe makes the same
 * pixels); open a generated digit, press Inpaint, mask its lower half and watch it redrawn with the rest
 * kept; a file that is not an image gets the engine's message under the canvas.
 */
import { readFileSync } from 'node:fs'
import type { Download, Page } from '@playwright/test'
import sharp from 'sharp'
import { fromBase64 } from '../src/common/inputs'
import { pngRecipe } from './helpers/png'
import { dropFile, expect, expectGridDone, selectModel, setParam, setSeed, test, tiles, toasts } from './studio'

const ID = 'rbm-mnist'
const S = 28
const canvas = (page: Page) => page.getByTestId('inpaint-canvas')
const panel = (page: Page) => page.getByTestId('inpaint')

/** Drag across the canvas through cells (x, y) of the 28×28 grid, as a mouse would. */
async function drag(page: Page, cells: [number, number][]): Promise<void> {
  const box = (await canvas(page).boundingBox())!
  const at = ([x, y]: [number, number]) => [box.x + ((x + 0.5) * box.width) / S, box.y + ((y + 0.5) * box.height) / S] as const
  await page.mouse.move(...at(cells[0]))
  await page.mouse.down()
  for (const c of cells.slice(1)) await page.mouse.move(...at(c), { steps: 4 })
  await page.mouse.up()
  await expect(panel(page)).toHaveAttribute('data-busy', 'false') // the engine has read the PNG it became
}

/** In the page: every step tile 0 shows while the next job streams (the grid's data-step). */
async function watchSteps(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: number[] = ((window as unknown as { __steps: number[] }).__steps = [])
    new MutationObserver(() => {
      const s = Number(document.querySelector('[data-testid="grid-tile"][data-index="0"]')?.getAttribute('data-step') ?? 0)
      if (s && seen.at(-1) !== s) seen.push(s)
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-step'] })
  })
}
const steps = (page: Page) => page.evaluate(() => (window as unknown as { __steps: number[] }).__steps)

/** Open tile i and export it at ×1: the PNG's bytes. */
async function exportTile(page: Page, i: number): Promise<Uint8Array> {
  await tiles(page).nth(i).click()
  await page.getByTestId('export-scale').selectOption('1')
  const download: Promise<Download> = page.waitForEvent('download')
  await page.getByTestId('export-button').click()
  const png = new Uint8Array(readFileSync((await (await download).path())!))
  await page.keyboard.press('Escape')
  return png
}
/** (S*S,) 0/1 from a 28×28 picture's red channel. */
const bits = async (png: Uint8Array) => Array.from(await sharp(png).extractChannel(0).raw().toBuffer(), (v) => (v >= 128 ? 1 : 0))

test('draw a stroke, watch the chains complete it, export a tile and reopen its recipe', async ({ studio: page }) => {
  test.setTimeout(120_000)
  await selectModel(page, ID)
  await expect(page.getByTestId('inpaint-hint')).toContainText('Blank: free chains')
  // A short vertical stroke, 3 px wide: the top of a 1 or a 7.
  await drag(page, [[14, 5], [14, 9], [14, 13]])
  const inked = Number(await panel(page).getAttribute('data-ink'))
  expect(inked).toBeGreaterThan(12)
  await expect(page.getByTestId('inpaint-hint')).toContainText('Your strokes are kept')
  await setParam(page, 'count', 4)
  await setParam(page, 'steps', 600)
  await setParam(page, 'every', 10)
  await setSeed(page, 11)

  await watchSteps(page)
  await page.getByTestId('generate-button').click()
  await expectGridDone(page, 4)
  const seen = await steps(page)
  expect(seen.length, 'frames stream while the chains run').toBeGreaterThan(2)
  expect(seen.every((s, i) => i === 0 || s > seen[i - 1])).toBe(true)
  expect(seen.at(-1)).toBe(600)

  const png = await exportTile(page, 2)
  const recipe = pngRecipe(png)
  expect(recipe).toMatchObject({ modelId: ID, seed: 13, params: { count: 1, steps: 600, every: 10 } })
  expect(recipe.inputs?.mask).toBeUndefined()
  const drawing = await bits(fromBase64(recipe.inputs!.image.base64!))
  expect(drawing.filter(Boolean)).toHaveLength(inked)
  const made = await bits(png)
  expect(drawing.every((b, p) => !b || made[p] === 1), 'the stroke is in the finished digit').toBe(true)
  expect(made.filter(Boolean).length, 'and the chain drew more').toBeGreaterThan(inked + 20)

  // Move away, then drop the PNG: the drawing and the settings return, and the recipe remakes its pixels.
  await page.getByTestId('inpaint-clear').click()
  await expect(panel(page)).toHaveAttribute('data-ink', '0')
  await setSeed(page, 99)
  await dropFile(page, 'inpainted.png', png)
  await expect(toasts(page, 'info').filter({ hasText: /recipe restored/i })).toBeVisible()
  await expect(panel(page)).toHaveAttribute('data-ink', String(inked))
  await expect(page.getByTestId('seed-input')).toHaveValue('13')
  await expect(page.getByTestId('param-count')).toHaveValue('1')
  await expect(panel(page)).toHaveAttribute('data-busy', 'false')
  await page.getByTestId('generate-button').click()
  await expectGridDone(page, 1)
  expect(await bits(await exportTile(page, 0))).toEqual(made)
})

test('mask the lower half of a generated digit: it is redrawn and the rest kept', async ({ studio: page }) => {
  test.setTimeout(120_000)
  await selectModel(page, ID)
  await setParam(page, 'count', 2)
  await setParam(page, 'steps', 300)
  await setSeed(page, 3)
  await page.getByTestId('generate-button').click()
  await expectGridDone(page, 2)

  await tiles(page).nth(0).click()
  await page.getByTestId('viewer-inpaint').click()
  await expect(page.getByTestId('viewer')).toBeHidden()
  await expect(panel(page)).not.toHaveAttribute('data-ink', '0')
  await page.getByTestId('inpaint-tool-mask').click()
  await page.getByTestId('inpaint-brush').selectOption('2')
  for (const y of [16, 20, 24, 27]) await drag(page, [[0, y], [S - 1, y]]) // rows 14..27 with the 5-px brush
  await expect(page.getByTestId('inpaint-hint')).toContainText('The red area is redrawn')

  await setSeed(page, 50)
  await watchSteps(page)
  await page.getByTestId('generate-button').click()
  await expectGridDone(page, 2)
  expect((await steps(page)).length).toBeGreaterThan(1)

  const png = await exportTile(page, 1)
  const r = pngRecipe(png)
  const [digit, mask, made] = await Promise.all([bits(fromBase64(r.inputs!.image.base64!)), bits(fromBase64(r.inputs!.mask.base64!)), bits(png)])
  const kept = digit.map((_, p) => p).filter((p) => !mask[p])
  expect(mask.slice(0, 12 * S).every((m) => m === 0) && mask.slice(S * (S - 2)).every((m) => m === 1)).toBe(true)
  expect(kept.every((p) => made[p] === digit[p]), 'every unmasked pixel is as it was').toBe(true)
  expect(made.some((v, p) => mask[p] && v !== digit[p]), 'the masked part is drawn anew').toBe(true)
})

test('a file that is not an image gets the engine’s message under the canvas', async ({ studio: page }) => {
  await selectModel(page, ID)
  await page.getByTestId('inpaint-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a digit') })
  await expect(page.getByTestId('inpaint-error')).toContainText('"notes.txt" is not an image we can read')
  await expect(page.getByTestId('generate-button')).toBeDisabled()
  // A scan, black on white and 10× too big, is read as the model reads it and drawn on the canvas.
  const bar = Buffer.from(Array.from({ length: 280 * 280 }, (_, p) => (p % 280 >= 140 && p % 280 < 150 && p > 40 * 280 && p < 240 * 280 ? 0 : 255)))
  const scan = await sharp(bar, { raw: { width: 280, height: 280, channels: 1 } }).png().toBuffer()
  await page.getByTestId('inpaint-file').setInputFiles({ name: 'scan.png', mimeType: 'image/png', buffer: scan })
  await expect(page.getByTestId('inpaint-notice')).toHaveText('scan.png: read at 28×28, inverted to light strokes on dark')
  await expect(panel(page)).toHaveAttribute('data-ink', '20')
  await expect(page.getByTestId('inpaint-error')).toBeHidden()
  await expect(page.getByTestId('generate-button')).toBeEnabled()
})
