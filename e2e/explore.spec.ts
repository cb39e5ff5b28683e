/**
 * Exploring a latent space in the browser host, as an artist does it: pick two tiles and interpolate
 * (the strip starts and ends on them), export the strip as a looping GIF with its recipe, drop it back
 * and make it again; breed children of a tile and reopen a child's PNG; drop your own image on a VAE
 * to get its reconstruction as a parent; a non-image dropped there is refused in words.
 */
import { readFileSync } from 'node:fs'
import sharp from 'sharp'
import type { Locator, Page } from '@playwright/test'
import { readGifComments } from '../src/common/gif'
import { GAN_ID } from './env'
import { pngRecipe } from './helpers/png'
import { doneTiles, dropFile, expect, generateGrid, selectModel, test, tiles, toasts } from './studio'

/** The tile's canvas pixels, as base64 (what the user sees, byte for byte). */
const pixels = (tile: Locator) =>
  tile.locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    let s = ''
    for (let i = 0; i < d.length; i += 4096) s += String.fromCharCode(...d.subarray(i, i + 4096))
    return btoa(s)
  })

/** The panel starts folded (the grid keeps the pane): unfold it once. */
async function openExplore(page: Page) {
  if (!(await page.getByTestId('explore-pick').isVisible())) await page.getByTestId('explore-toggle').click()
  await expect(page.getByTestId('explore-pick')).toBeVisible()
}

async function pick(page: Page, ...indices: number[]) {
  await openExplore(page)
  await page.getByTestId('explore-pick').click()
  for (const i of indices) await tiles(page).nth(i).click()
  await page.getByTestId('explore-pick').click()
  await expect(page.getByTestId('explore-parent')).toHaveCount(indices.length)
  // The grid marks the picked tiles with their letters.
  for (const [k, i] of indices.entries()) await expect(tiles(page).nth(i).getByTestId('tile-badge')).toHaveText(String.fromCharCode(65 + k))
}

async function download(page: Page, click: () => Promise<void>) {
  const d = page.waitForEvent('download')
  await click()
  const file = await d
  return { name: file.suggestedFilename(), bytes: new Uint8Array(readFileSync((await file.path())!)) }
}

test('interpolate two tiles, export the looping GIF, and make the strip again from the dropped file', async ({ studio: page }) => {
  await selectModel(page, GAN_ID)
  await generateGrid(page, 4, 300)
  const [a, b] = [await pixels(tiles(page).nth(0)), await pixels(tiles(page).nth(3))]
  await pick(page, 0, 3)
  await page.getByTestId('explore-frames').fill('5')
  await page.getByTestId('explore-interpolate').click()
  await expect(tiles(page)).toHaveCount(5)
  await expect(doneTiles(page)).toHaveCount(5, { timeout: 60_000 })
  // The strip starts on the first tile and ends on the second, through frames unlike both.
  expect(await pixels(tiles(page).nth(0))).toBe(a)
  expect(await pixels(tiles(page).nth(4))).toBe(b)
  const middle = await pixels(tiles(page).nth(2))
  expect(middle === a || middle === b).toBe(false)

  await page.getByTestId('explore-gif-scale').selectOption('2')
  const gif = await download(page, () => page.getByTestId('explore-export-gif').click())
  expect(gif.name).toBe(`${GAN_ID}-strip-300-303@2x.gif`)
  const meta = await sharp(gif.bytes, { animated: true }).metadata()
  expect([meta.format, meta.width, meta.pageHeight, meta.pages, meta.loop]).toEqual(['gif', 128, 128, 8, 0]) // 0 1 2 3 4 3 2 1
  const recipe = JSON.parse(readGifComments(gif.bytes)[0].replace(/^latent-studio:recipe\n/, ''))
  expect(recipe).toMatchObject({ modelId: GAN_ID, params: { count: 5 }, explore: { op: 'interpolate', from: { seed: 300 }, to: { seed: 303 }, frames: 5 } })

  // Reopen: the recipe comes back, and Make again draws the same strip.
  await dropFile(page, gif.name, gif.bytes, 'image/gif')
  await expect(toasts(page, 'info').filter({ hasText: /recipe restored/i })).toBeVisible()
  await expect(page.getByTestId('explore-restored')).toContainText('interpolate seed 300 → seed 303, 5 frames')
  await generateGrid(page, 2, 1) // something else on the stage first: the strip must be drawn anew
  await page.getByTestId('explore-again').click()
  await expect(tiles(page)).toHaveCount(5)
  await expect(doneTiles(page)).toHaveCount(5, { timeout: 60_000 })
  expect(await pixels(tiles(page).nth(2))).toBe(middle)
})

test('breed children of a tile; a child’s PNG reopens and makes that child alone; crossbreed two tiles', async ({ studio: page }) => {
  await selectModel(page, GAN_ID)
  await generateGrid(page, 2, 40)
  const parent = await pixels(tiles(page).nth(1))
  await pick(page, 1)
  await page.getByTestId('explore-children-count').fill('4')
  await page.getByTestId('explore-children').click()
  await expect(doneTiles(page)).toHaveCount(4, { timeout: 60_000 })
  const kids = await Promise.all([0, 1, 2, 3].map((i) => pixels(tiles(page).nth(i))))
  expect(new Set([...kids, parent]).size).toBe(5)

  await tiles(page).nth(2).click()
  const png = await download(page, () => page.getByTestId('export-button').click())
  const r = pngRecipe(png.bytes)
  expect(r).toMatchObject({ params: { count: 1 }, explore: { op: 'children', parent: { seed: 41 }, spread: 0.3 } })
  await page.keyboard.press('Escape')
  await dropFile(page, png.name, png.bytes)
  await expect(page.getByTestId('explore-restored')).toContainText('children of seed 41, how different 0.3')
  await page.getByTestId('explore-again').click()
  await expect(tiles(page)).toHaveCount(1)
  await expect(doneTiles(page)).toHaveCount(1, { timeout: 60_000 })
  expect(await pixels(tiles(page).nth(0))).toBe(kids[2])

  // Crossbreed two tiles of a new grid, weighted 3 : 1: four children unlike either parent.
  await page.getByTestId('explore-parents').getByRole('button', { name: /Remove parent A/ }).click()
  await generateGrid(page, 2, 60)
  const parents = [await pixels(tiles(page).nth(0)), await pixels(tiles(page).nth(1))]
  await pick(page, 0, 1)
  await page.getByTestId('explore-weight').first().fill('3')
  await page.getByTestId('explore-cross').click()
  await expect(tiles(page)).toHaveCount(4)
  await expect(doneTiles(page)).toHaveCount(4, { timeout: 60_000 })
  const crossed = await Promise.all([0, 1, 2, 3].map((i) => pixels(tiles(page).nth(i))))
  expect(new Set([...crossed, ...parents]).size).toBe(6)
})

test('encode your own image on a VAE: its reconstruction becomes a parent, moves along "more face"; a non-image is refused', async ({ studio: page }) => {
  await selectModel(page, 'vae-emoji')
  await openExplore(page)
  const face = await sharp(Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120"><circle cx="100" cy="60" r="55" fill="#ffcc33"/>' +
      '<circle cx="80" cy="45" r="7" fill="#402000"/><circle cx="120" cy="45" r="7" fill="#402000"/></svg>',
  )).png().toBuffer()
  const drop = (name: string, bytes: Uint8Array, type: string) =>
    page.getByTestId('explore-encode-drop').evaluate((el, { name, b64, type }) => {
      const dt = new DataTransfer()
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type }))
      for (const ev of ['dragenter', 'dragover', 'drop']) el.dispatchEvent(new DragEvent(ev, { bubbles: true, cancelable: true, dataTransfer: dt }))
    }, { name, b64: Buffer.from(bytes).toString('base64'), type })

  await drop('face.png', new Uint8Array(face), 'image/png')
  await expect(doneTiles(page)).toHaveCount(1, { timeout: 60_000 })
  await expect(page.getByTestId('explore-parent')).toHaveCount(1)
  await expect(toasts(page, 'info').filter({ hasText: /centre-cropped and resized from 200×120 to 64×64/ })).toBeVisible()
  await tiles(page).nth(0).click()
  const png = await download(page, () => page.getByTestId('export-button').click())
  expect(pngRecipe(png.bytes)).toMatchObject({ modelId: 'vae-emoji', explore: { op: 'encode' }, inputs: { photo: { fileName: 'face.png' } } })
  await page.keyboard.press('Escape')

  // The reconstruction moved along "more face": a strip of 4 that starts on it.
  const recon = await pixels(tiles(page).nth(0))
  await page.getByTestId('explore-direction').selectOption('face')
  await page.getByTestId('explore-frames').fill('4')
  await page.getByTestId('explore-attribute').click()
  await expect(tiles(page)).toHaveCount(4)
  await expect(doneTiles(page)).toHaveCount(4, { timeout: 60_000 })
  expect(await pixels(tiles(page).nth(0))).toBe(recon)
  expect(await pixels(tiles(page).nth(3))).not.toBe(recon)
  await expect(page.getByTestId('explore-export-gif')).toBeVisible()

  await drop('notes.txt', new TextEncoder().encode('not a picture'), 'text/plain')
  await expect(toasts(page, 'error').filter({ hasText: /"notes.txt" is not an image we can read/ })).toBeVisible({ timeout: 30_000 })
})
