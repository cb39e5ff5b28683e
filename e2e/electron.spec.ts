/**
 * The desktop app (`_electron.launch` of the electron-vite build) through the same core flow as the
 * browser project: pick the DCGAN, a grid of real images, the viewer, a ×4 export through the native save
 * dialog (stubbed in main: the shell boundary), its recipe, drop it back, cancel, a broken model.
 * Skips with the reason where the Electron binary is not installed (it cannot be downloaded here).
 */
import { execSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron, test as base, type ElectronApplication, type Page } from '@playwright/test'
import { E2E_USER_MODELS, GAN_ID, ROOT, electronBinary } from './env'
import { tileStats } from './helpers/pixels'
import { pngRecipe, pngSize } from './helpers/png'
import {
  dropFile, expect, expectGridDone, generateGrid, modelItem, onFirstImage,
  selectModel, setParam, setSeed, tiles, toasts, watchConsole,
} from './studio'

const bin = electronBinary()
const test = base

test.describe('desktop app', () => {
  test.skip('missing' in bin, 'missing' in bin ? bin.missing : '')
  test.describe.configure({ mode: 'serial' })

  let app: ElectronApplication
  let page: Page
  let errors: string[]
  const outDir = mkdtempSync(join(tmpdir(), 'latent-e2e-electron-'))

  test.beforeAll(async () => {
    execSync('npx electron-vite build', { cwd: ROOT, stdio: 'inherit' })
    app = await _electron.launch({
      executablePath: 'path' in bin ? bin.path : undefined,
      args: [ROOT, '--no-sandbox'],
      cwd: ROOT,
      env: { ...process.env, LATENT_STUDIO_MODELS: E2E_USER_MODELS },
    })
    page = await app.firstWindow()
    errors = watchConsole(page)
    await expect(modelItem(page, GAN_ID)).toBeVisible({ timeout: 30_000 })
  })

  test.afterAll(async () => {
    await app?.close()
  })

  test.afterEach(() => {
    expect(errors.splice(0), 'the window logged errors').toEqual([])
  })

  test('generate a grid, view a tile, export it ×4 through the save dialog, drop it back', async () => {
    await selectModel(page, GAN_ID)
    await generateGrid(page, 6, 99)
    for (let i = 0; i < 6; i++) {
      const s = await tileStats(tiles(page).nth(i))
      expect(s.distinct, `tile ${i} distinct colours`).toBeGreaterThan(32)
    }
    const tile = tiles(page).nth(2)
    const seed = Number(await tile.getAttribute('data-seed'))
    await tile.click()
    await expect(page.getByTestId('viewer-seed')).toContainText(String(seed))

    const target = join(outDir, 'export.png')
    // Mock only the shell boundary: the native dialog answers with our path; main writes the file.
    await app.evaluate(({ dialog }, filePath) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath })) as typeof dialog.showSaveDialog
    }, target)
    await page.getByTestId('export-scale').selectOption('4')
    await page.getByTestId('export-button').click()
    await expect(toasts(page, 'info').filter({ hasText: 'export.png' })).toBeVisible()
    const png = new Uint8Array(readFileSync(target))
    expect(pngSize(png)).toEqual({ width: 256, height: 256 })
    const recipe = pngRecipe(png)
    expect(recipe.modelId).toBe(GAN_ID)
    expect(recipe.seed + (recipe.index ?? 0)).toBe(seed)

    await page.keyboard.press('Escape')
    await setSeed(page, 1)
    await dropFile(page, 'export.png', png)
    await expect(toasts(page, 'info').filter({ hasText: /recipe restored/i })).toBeVisible()
    await expect(page.getByTestId('seed-input')).toHaveValue(String(seed))
  })

  test('cancel a 64-image job mid-stream', async () => {
    await selectModel(page, GAN_ID)
    await setParam(page, 'count', 64)
    // As in cancel.spec.ts: a try where all 64 images were made before the cancel got there is replayed.
    for (let attempt = 1; ; attempt++) {
      await onFirstImage(page, 'click-cancel')
      await page.getByTestId('generate-button').click()
      await expect(page.getByTestId('cancel-button')).toBeDisabled()
      if (/cancelled/.test((await page.getByTestId('progress').textContent()) ?? '')) break
      if (attempt === 3) throw new Error('in 3 tries the job always finished before the cancel reached it')
    }
    await expect(toasts(page, 'info').filter({ hasText: /cancel/i })).toBeVisible()
    const done = await page.locator('[data-testid="grid-tile"][data-state="done"]').count()
    expect(done).toBeGreaterThan(0)
    expect(done).toBeLessThan(64)
  })

  test('a broken model names its file and the DCGAN still works', async () => {
    await selectModel(page, 'broken-gan')
    await page.getByTestId('generate-button').click()
    await expect(toasts(page, 'error').filter({ hasText: 'generator.onnx' })).toBeVisible()
    await selectModel(page, GAN_ID)
    await setParam(page, 'count', 4)
    await page.getByTestId('generate-button').click()
    await expectGridDone(page, 4)
  })
})
