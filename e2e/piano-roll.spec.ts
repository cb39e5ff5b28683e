/**
 * PianoRoll in Debian Chromium (page e2e/piano-roll/ built here with Vite): 5,000 notes drawn within a
 * frame budget, notes streaming in appear, select by click / box / ruler range, Delete, keyboard zoom and
 * scroll, the playhead.
 */
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { expect, test, type Page } from '@playwright/test'
import type { MidiNote } from '../src/common/midi'
import { servePage } from './helpers/built-page'

let served: Awaited<ReturnType<typeof servePage>>
let origin = ''

test.beforeAll(async () => {
  served = await servePage('piano-roll', { plugins: [svelte()] })
  origin = served.origin
})
test.afterAll(() => served?.close())

type Roll = { set(n: MidiNote[]): void; push(n: MidiNote[]): void; playhead(s: number | null): void; count(): number; changes(): number }
const roll = (page: Page) => page.evaluateHandle(() => (window as unknown as { roll: Roll }).roll)
/** Run `act` in the page and time it until the next frame has been drawn (ms). */
async function timed(page: Page, act: string): Promise<number> {
  return page.evaluate(async (code) => {
    const t = performance.now()
    new Function(code)()
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r)))
    return performance.now() - t
  }, act)
}

const notes = (n: number): MidiNote[] => Array.from({ length: n }, (_, i) => ({ pitch: 36 + ((i * 7) % 48), velocity: 40 + (i % 80), startS: i * 0.06, durS: 0.2, program: 0 }))

test('draws 5,000 notes, streams, selects, deletes, zooms and follows the playhead', async ({ page }) => {
  await page.goto(`${origin}/`)
  const r = await roll(page)
  // 5,000 notes fitted in view: all drawn on the canvas (the worst case); zoomed in, fewer
  await page.evaluate((n) => ((window as unknown as { notesFor: MidiNote[] }).notesFor = n), notes(5000))
  const mountMs = await timed(page, 'window.roll.set(window.notesFor)')
  const rollEl = page.getByTestId('piano-roll')
  await expect(rollEl).toHaveAttribute('data-shown', '5000')
  await expect(page.getByTestId('roll-note')).toHaveCount(0) // too many for per-note elements: canvas only
  await rollEl.focus()
  const zoomMs = await timed(page, "document.querySelector('[data-testid=piano-roll]').dispatchEvent(new KeyboardEvent('keydown', { key: '+', bubbles: true }))")
  const inView = Number(await rollEl.getAttribute('data-shown'))
  expect(inView).toBeLessThan(5000)
  console.log(`5,000 notes: first draw ${mountMs.toFixed(0)} ms, zoom to ${inView} in view ${zoomMs.toFixed(0)} ms`)
  expect(mountMs).toBeLessThan(250)

  // streaming: notes appended while the view is untouched keep appearing (the view refits)
  await r.evaluate((x) => x.set([]))
  await page.keyboard.press('f')
  for (let i = 0; i < 5; i++) await r.evaluate((x, i) => x.push([{ pitch: 60 + i, velocity: 90, startS: i * 0.5, durS: 0.4, program: 0 }]), i)
  await expect(page.getByTestId('roll-note')).toHaveCount(5)
  await expect(page.locator('[data-testid=roll-note][data-pitch="64"]')).toHaveAttribute('data-start', '2.000')

  // the canvas has the note where its element is (accent-coloured, not the row's grey)
  const n60 = (await page.locator('[data-testid=roll-note][data-pitch="60"]').boundingBox())!
  const px = await page.evaluate(({ x, y }) => {
    const c = document.querySelector('canvas')!
    const r = c.getBoundingClientRect()
    const d = c.getContext('2d')!.getImageData(Math.round((x - r.left) * devicePixelRatio), Math.round((y - r.top) * devicePixelRatio), 1, 1).data
    return [...d]
  }, { x: n60.x + n60.width / 2, y: n60.y + n60.height / 2 })
  expect(px[2]).toBeGreaterThan(150) // blue channel of the accent #7c8cff at ≥ 0.8 alpha

  // click selects, Delete removes it and reports the change
  await page.locator('[data-testid=roll-note][data-pitch="62"]').click()
  await expect(page.locator('[data-testid=roll-note][data-pitch="62"]')).toHaveClass(/selected/)
  await page.keyboard.press('Delete')
  await expect(page.getByTestId('roll-note')).toHaveCount(4)
  expect(await r.evaluate((x) => [x.count(), x.changes()])).toEqual([4, 1])

  // a drag on the ruler picks a time range and its notes; Escape clears
  const box = (await page.getByTestId('piano-roll').boundingBox())!
  const first = (await page.locator('[data-testid=roll-note][data-pitch="60"]').boundingBox())!
  const third = (await page.locator('[data-testid=roll-note][data-pitch="63"]').boundingBox())!
  await page.mouse.move(first.x + 2, box.y + 8)
  await page.mouse.down()
  await page.mouse.move(third.x + 2, box.y + 8, { steps: 4 })
  await page.mouse.up()
  await expect(page.locator('[data-testid=roll-note].selected')).toHaveCount(2) // 60 at 0 s and 61 at 0.5 s
  await page.keyboard.press('Escape')
  await expect(page.locator('[data-testid=roll-note].selected')).toHaveCount(0)

  // a box drag over notes selects them
  await page.mouse.move(first.x + 1, third.y + 2) // row 63 at 0 s: empty
  await page.mouse.down()
  await page.mouse.move(third.x + third.width + 4, first.y + first.height + 4, { steps: 4 })
  await page.mouse.up()
  await expect(page.locator('[data-testid=roll-note].selected')).toHaveCount(3)

  // keyboard: zoom in (around the middle) draws a note wider; the playhead sits at its time
  await page.keyboard.press('+')
  expect((await page.locator('[data-testid=roll-note][data-pitch="63"]').boundingBox())!.width).toBeGreaterThan(third.width * 1.4)
  await r.evaluate((x) => x.playhead(1.5))
  const ph = (await page.getByTestId('roll-playhead').boundingBox())!
  const n63 = (await page.locator('[data-testid=roll-note][data-pitch="63"]').boundingBox())!
  expect(Math.abs(ph.x + ph.width / 2 - n63.x)).toBeLessThan(2)
})
