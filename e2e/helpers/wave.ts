/**
 * Reading a wave lane the way a user sees it: wavesurfer draws into canvases inside its shadow root,
 * so "how much of the note is drawn" is measured from those pixels, not from our own attributes.
 */
import type { Locator, Page } from '@playwright/test'

export interface Growth {
  drawn: number
  extent: number
  final: boolean
}
type ProbeWindow = { __measureSound: (lane: Element) => number; __growth: Growth[] }

/**
 * In-page (one self-contained function: the CSP allows no eval): defines `__measureSound(lane)` and
 * records every redraw of lane `voice` in `__growth` (samples drawn, sound extent, finished?).
 * The sound extent is the fraction of the lane's width, from the left, up to the last pixel column
 * where the waveform is taller than a flat line (silence still to come draws a 1-px line across).
 */
function installProbe(voice: number): void {
  const w = window as unknown as ProbeWindow
  const measure = (lane: Element): number => {
    const root = lane.querySelector('.surface > div')?.shadowRoot
    const wrapper = root?.querySelector('.wrapper') as HTMLElement | null
    if (!root || !wrapper || !wrapper.clientWidth) return 0
    let right = 0
    for (const c of root.querySelectorAll<HTMLCanvasElement>('.canvases canvas')) {
      const ctx = c.getContext('2d')
      if (!ctx || !c.width || !c.height || !c.clientHeight) continue
      const { data } = ctx.getImageData(0, 0, c.width, c.height)
      const left = c.getBoundingClientRect().left - wrapper.getBoundingClientRect().left
      for (let x = c.width - 1; x >= 0; x--) {
        let ink = 0
        for (let y = 0; y < c.height; y++) if (data[(y * c.width + x) * 4 + 3] > 40) ink++
        if (ink > (4 * c.height) / c.clientHeight) {
          right = Math.max(right, left + ((x + 1) * c.clientWidth) / c.width)
          break
        }
      }
    }
    return right / wrapper.clientWidth
  }
  w.__measureSound = measure
  w.__growth = []
  const seen = new WeakSet<Element>()
  const watch = (lane: Element) => {
    if (seen.has(lane)) return
    seen.add(lane)
    new MutationObserver(() => {
      // Wavesurfer paints after its load resolves: measure two frames later.
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          const el = lane as HTMLElement
          w.__growth.push({ drawn: Number(el.dataset.drawn), extent: measure(lane), final: el.dataset.final === 'true' })
        }),
      )
    }).observe(lane, { attributes: true, attributeFilter: ['data-drawn', 'data-final'] })
  }
  const find = () => document.querySelectorAll(`[data-testid="wave-lane"][data-voice="${voice}"]`).forEach(watch)
  new MutationObserver(find).observe(document.body, { subtree: true, childList: true })
  find()
}

export const installWaveProbe = (page: Page, voice = 0) => page.evaluate(installProbe, voice)

/** Sound extent (see installProbe) of a lane now. */
export const soundExtent = (lane: Locator) => lane.evaluate((el) => (window as unknown as ProbeWindow).__measureSound(el))

/** Every redraw the probe saw, in order. */
export const laneGrowth = (page: Page) => page.evaluate(() => (window as unknown as ProbeWindow).__growth)

/** The playback time a lane shows, in seconds ("0.53 / 2.00 s" → 0.53). */
export async function laneTime(lane: Locator): Promise<number> {
  return Number((await lane.getByTestId('wave-time').textContent())?.split('/')[0])
}

/** Drag across a lane's waveform from fraction `from` to `to` of its width, as a user selects a region. */
export async function dragRegion(page: Page, lane: Locator, from: number, to: number): Promise<void> {
  const box = (await lane.locator('.surface').boundingBox())!
  const y = box.y + 30
  await page.mouse.move(box.x + box.width * from, y)
  await page.mouse.down()
  for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + box.width * (from + ((to - from) * i) / 8), y)
  await page.mouse.up()
}
