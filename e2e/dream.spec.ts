/**
 * Deep Dream in the browser host, as a user works it: drop a photo on the panel, watch a frame per step
 * arrive on the photo stage, cancel (the last frame stays), run to the end, export the PNG (recipe with
 * the photo's SHA-256) and drop it back: the settings return, and the photo too when the recipe could
 * carry it (≤ 64 KiB), else a note names it and says so once the same file is dropped. Bad files give
 * the engine's message in the panel. Small (maxSide 128, one octave) so it stays quick on a loaded VM.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { ROOT } from './env'
import { pngRecipe, pngSize } from './helpers/png'
import { dropFile, expect, selectModel, setParam, setSeed, test, toasts } from './studio'

const ID = 'deepdream-inception'
const photo = (name: string) => new Uint8Array(readFileSync(join(ROOT, 'models', ID, 'photos', name)))
/** 75 KB: over the 64 KiB a recipe carries, so an exported PNG names it by hash only. */
const ASTRONAUT = photo('astronaut.jpg')
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

/** Drop a file on one element (the photo's drop zone), as a drag from the desktop would. */
async function dropOn(target: Locator, name: string, bytes: Uint8Array, type: string): Promise<void> {
  await target.evaluate(
    (el, { name, b64, type }) => {
      const dt = new DataTransfer()
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type }))
      for (const ev of ['dragenter', 'dragover', 'drop']) el.dispatchEvent(new DragEvent(ev, { bubbles: true, cancelable: true, dataTransfer: dt }))
    },
    { name, b64: Buffer.from(bytes).toString('base64'), type },
  )
}

const view = (page: Page) => page.getByTestId('dream-view')
const frame = (page: Page) => page.getByTestId('dream-canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL())
const step = async (page: Page) => Number((await view(page).getAttribute('data-step')) ?? 0)

/**
 * In the page: note each frame the stage draws (its step and pixels) and click Cancel once `n` have
 * arrived. Acting from the test would race the engine: a 128-px step takes well under 100 ms.
 */
async function cancelAfterFrames(page: Page, n: number): Promise<void> {
  await page.evaluate((n) => {
    const seen: { step: number; url: string }[] = ((window as unknown as { __dream: typeof seen }).__dream = [])
    const obs = new MutationObserver(() => {
      const v = document.querySelector('[data-testid="dream-view"]')
      const c = document.querySelector<HTMLCanvasElement>('[data-testid="dream-canvas"]')
      const s = Number(v?.getAttribute('data-step') ?? 0)
      if (!c || !s || v?.getAttribute('data-state') !== 'preview' || seen.at(-1)?.step === s) return
      seen.push({ step: s, url: c.toDataURL() })
      if (seen.length < n) return
      obs.disconnect()
      document.querySelector<HTMLButtonElement>('[data-testid="cancel-button"]')!.click()
    })
    obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-step', 'data-state'] })
  }, n)
}

/** Small, quick settings: a 128-px photo is one octave (a smaller one would be under the model's 75 px). */
async function small(page: Page, steps: number): Promise<void> {
  await setParam(page, 'maxSide', 128)
  await setParam(page, 'octaves', 1)
  await setParam(page, 'steps', steps)
  await setParam(page, 'layers', 'mixed3:1,mixed4:0.5')
}

test('drop a photo, watch the steps, cancel, dream to the end, export, and reopen the PNG', async ({ studio: page }) => {
  test.setTimeout(180_000)
  await selectModel(page, ID)
  await expect(page.getByTestId('generate-why')).toContainText('Photo: choose a photo first')

  await dropOn(page.getByTestId('input-drop-photo'), 'astronaut.jpg', ASTRONAUT, 'image/jpeg')
  await expect(page.getByTestId('input-summary-photo')).toHaveText(/^JPEG \d+×\d+ · 73 KB$/)
  await expect(page.getByTestId('input-thumb-photo')).toBeVisible()
  await expect(page.getByTestId('generate-why')).toBeHidden()
  await small(page, 50)
  await setSeed(page, 5)
  // The sliders follow the text field.
  await expect(page.getByTestId('layer-mixed4')).toHaveValue('0.5')

  // 50 steps: watch three frames arrive (recorded in the page as each is drawn), then cancel at once.
  await cancelAfterFrames(page, 3)
  await page.getByTestId('generate-button').click()
  await expect(page.getByTestId('dream-cancelled')).toContainText('the last frame stays', { timeout: 60_000 })
  const frames = await page.evaluate(() => (window as unknown as { __dream: { step: number; url: string }[] }).__dream)
  expect(frames.map((f) => f.step).every((s, i, all) => i === 0 || s > all[i - 1]), 'steps only move on').toBe(true)
  expect(new Set(frames.map((f) => f.url)).size, 'every step draws a different frame').toBe(3)
  await expect(view(page)).toHaveAttribute('data-state', 'preview')
  expect(await step(page)).toBeLessThan(50)
  expect(await frame(page)).not.toBe(frames[0].url)
  // Before/After shows the photo the job was given, and back.
  await page.getByTestId('dream-before').click()
  await expect(page.getByTestId('dream-photo')).toBeVisible()
  await page.getByTestId('dream-before').click()
  await expect(page.getByTestId('dream-photo')).toBeHidden()

  // Again, to the end: the full-size result, in the history strip.
  await setParam(page, 'steps', 3)
  await page.getByTestId('generate-button').click()
  await expect(view(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  await expect(page.getByTestId('dream-steps')).toContainText('step 3 / 3')
  await expect(page.getByTestId('history-item').filter({ hasText: 'Deep Dream' })).toHaveCount(2)

  const download = page.waitForEvent('download')
  await page.getByTestId('dream-export').click()
  const file = await download
  const png = new Uint8Array(readFileSync((await file.path())!))
  expect(pngSize(png)).toEqual({ width: 128, height: 128 })
  const recipe = pngRecipe(png)
  expect(recipe).toMatchObject({ modelId: ID, seed: 5, params: { steps: 3, octaves: 1, maxSide: 128, layers: 'mixed3:1,mixed4:0.5' } })
  expect(recipe.inputs?.photo).toEqual({ kind: 'image', sha256: sha(ASTRONAUT), size: ASTRONAUT.length, fileName: 'astronaut.jpg' })

  // Move away, drop the PNG on the window: the settings come back, and a note names the photo.
  await page.getByRole('button', { name: 'Remove astronaut.jpg' }).click()
  await setParam(page, 'steps', 9)
  await setSeed(page, 77)
  await dropFile(page, file.suggestedFilename(), png)
  await expect(toasts(page, 'info').filter({ hasText: /recipe restored/i })).toBeVisible()
  await expect(page.getByTestId('param-steps')).toHaveValue('3')
  await expect(page.getByTestId('seed-input')).toHaveValue('5')
  const note = page.getByTestId('input-note-photo')
  await expect(note).toHaveText(`Made from photo astronaut.jpg (sha256 ${sha(ASTRONAUT).slice(0, 12)}…): drop it here to dream again.`)
  // The same photo dropped (on the window this time): the hash matches, and the note says so.
  await dropFile(page, 'astronaut.jpg', ASTRONAUT, 'image/jpeg')
  await expect(note).toHaveText(/^This is the photo astronaut\.jpg \(sha256 [0-9a-f]{12}…\) the recipe was made from\.$/)
  await expect(page.getByTestId('generate-why')).toBeHidden()
})

test('a bundled photo small enough rides in the recipe and comes back with it', async ({ studio: page }) => {
  test.setTimeout(120_000)
  await selectModel(page, ID)
  await page.getByTestId('input-bundled-photo').selectOption('photos/coffee.jpg')
  await expect(page.getByTestId('input-name-photo')).toHaveText('coffee.jpg')
  await small(page, 2)
  await page.getByTestId('generate-button').click()
  await expect(view(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  const download = page.waitForEvent('download')
  await page.getByTestId('dream-export').click()
  const png = new Uint8Array(readFileSync((await (await download).path())!))
  expect(pngRecipe(png).inputs?.photo.base64).toBeTruthy()

  await page.getByRole('button', { name: 'Remove coffee.jpg' }).click()
  await dropFile(page, 'dream.png', png)
  await expect(page.getByTestId('input-name-photo')).toHaveText('coffee.jpg')
  await expect(page.getByTestId('input-note-photo')).toContainText('came back from the recipe')
})

test('a non-image, a truncated JPEG and a 20000×20000 image get the engine’s message in the panel, and nothing else breaks', async ({ studio: page }) => {
  await selectModel(page, ID)
  const drop = page.getByTestId('input-drop-photo')
  const error = page.getByTestId('input-error-photo')

  await dropOn(drop, 'notes.txt', new TextEncoder().encode('not a photo at all'), 'text/plain')
  await expect(error).toContainText('"notes.txt" is not an image we can read')
  await expect(page.getByTestId('generate-why')).toContainText('Photo: notes.txt cannot be used')
  await expect(page.getByTestId('generate-button')).toBeDisabled()

  const coffee = photo('coffee.jpg')
  await dropOn(drop, 'cut.jpg', coffee.subarray(0, coffee.length >> 1), 'image/jpeg')
  await expect(error).toContainText(/"cut\.jpg" \(JPEG, \d+×\d+\) could not be decoded: .*truncated or damaged/)

  await dropOn(drop, 'huge.jpg', claiming(coffee, 20000, 20000), 'image/jpeg')
  await expect(error).toContainText('"huge.jpg" is 20000×20000 (400 megapixels); at most 100 megapixels are accepted')
  await expect(toasts(page, 'error')).toHaveCount(0)

  // A good photo after all that works.
  await page.getByTestId('input-bundled-photo').selectOption('photos/chelsea.jpg')
  await expect(page.getByTestId('input-summary-photo')).toHaveText(/^JPEG 451×300/)
  await expect(error).toBeHidden()
  await expect(page.getByTestId('generate-button')).toBeEnabled()
})

/** The JPEG with its frame header claiming `w`×`h` (what a 20000×20000 photo's header says). */
function claiming(jpeg: Uint8Array, w: number, h: number): Uint8Array {
  const b = Buffer.from(jpeg)
  for (let i = 2; i < b.length; i += 2 + b.readUInt16BE(i + 2)) {
    if (b[i + 1] === 0xc0 || b[i + 1] === 0xc2) {
      b.writeUInt16BE(h, i + 5)
      b.writeUInt16BE(w, i + 7)
      return new Uint8Array(b)
    }
  }
  throw new Error('no frame header')
}
