/**
 * The studio as the e2e specs drive it: a `studio` fixture (page opened on the server host, long-task
 * observer installed, console errors failing the test) and user-level actions shared by the browser
 * and electron projects. Everything goes through the data-testids of the team brief.
 */
import { test as base, expect, type Locator, type Page } from '@playwright/test'
import { GAN_ID } from './env'

/** Installed before any page script: records every long task (> 50 ms on the main thread). */
export function installLongTaskObserver(): void {
  const w = window as unknown as { __longTasks: { start: number; duration: number }[] }
  w.__longTasks = []
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration })
    }).observe({ type: 'longtask', buffered: true })
  } catch {
    // no longtask support: the responsiveness spec checks that the list is observable
  }
}

/** One engine event as the page received it over the WebSocket (page clock, ms). */
export interface TappedEvent {
  t: number
  name: string
  jobId?: string
  cancelled?: boolean
}

/**
 * Installed before any page script (browser host only): notes the name and arrival time of every engine
 * event frame the studio receives, before the studio's own handler runs. Observation only: frames pass
 * through untouched. Lets a test act on the first streamed image the instant it arrives, and time how
 * long the engine kept streaming after a cancel, without the renderer's frame pacing in the way.
 */
export function installWsTap(): void {
  const w = window as unknown as { __ws: { events: TappedEvent[]; onEvent: ((e: TappedEvent) => void) | null } }
  w.__ws = { events: [], onEvent: null }
  const Native = window.WebSocket
  class Tapped extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols)
      this.addEventListener('message', (ev: MessageEvent) => {
        if (!(ev.data instanceof ArrayBuffer)) return
        // common/wire.ts frame: [u32 LE header length][JSON header]…
        const n = new DataView(ev.data).getUint32(0, true)
        let env: { t?: string; name?: string; payload?: { jobId?: string; cancelled?: boolean } }
        try {
          env = JSON.parse(new TextDecoder().decode(new Uint8Array(ev.data, 4, n)))
        } catch {
          return
        }
        if (env.t !== 'evt' || !env.name) return
        const e: TappedEvent = { t: performance.now(), name: env.name, jobId: env.payload?.jobId, cancelled: env.payload?.cancelled }
        w.__ws.events.push(e)
        w.__ws.onEvent?.(e)
      })
    }
  }
  window.WebSocket = Tapped
}

/** Collects console errors and uncaught page errors; the test fails if any were seen. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`)
  })
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`))
  return errors
}

export const test = base.extend<{ consoleErrors: string[]; studio: Page }>({
  consoleErrors: async ({ page }, use) => {
    const errors = watchConsole(page)
    await use(errors)
    expect(errors, 'the page logged errors').toEqual([])
  },
  studio: async ({ page, consoleErrors, baseURL }, use) => {
    void consoleErrors
    await page.addInitScript(installLongTaskObserver)
    await page.addInitScript(installWsTap)
    await page.goto(baseURL!)
    await expect(modelItem(page, GAN_ID)).toBeVisible({ timeout: 30_000 })
    await use(page)
  },
})
export { expect }

export const modelItem = (page: Page, id: string): Locator => page.locator(`[data-testid="model-item"][data-model-id="${id}"]`)
export const tiles = (page: Page): Locator => page.getByTestId('grid-tile')
export const doneTiles = (page: Page): Locator => page.locator('[data-testid="grid-tile"][data-state="done"]')
export const toasts = (page: Page, kind: 'info' | 'error'): Locator => page.locator(`[data-testid="toast"][data-kind="${kind}"]`)

export async function selectModel(page: Page, id: string): Promise<void> {
  await modelItem(page, id).click()
}

/** Set an input the way a user would: type into text/number fields, pick in selects, drag-equivalent for ranges. */
export async function setField(field: Locator, value: number | string): Promise<void> {
  const kind = await field.evaluate((el) => (el instanceof HTMLSelectElement ? 'select' : (el as HTMLInputElement).type))
  if (kind === 'select') await field.selectOption(String(value))
  else if (kind === 'range') {
    // fill() refuses range inputs; set the value and fire the events a drag fires.
    await field.evaluate((el, v) => {
      const input = el as HTMLInputElement
      input.value = v
      input.dispatchEvent(new Event('input', { bubbles: true }))
      input.dispatchEvent(new Event('change', { bubbles: true }))
    }, String(value))
  } else {
    await field.fill(String(value))
    await field.press('Tab') // commit on change as well as input
  }
  await expect(field).toHaveValue(String(value))
}

export const setParam = (page: Page, key: string, value: number | string) => setField(page.getByTestId(`param-${key}`), value)
export const setSeed = (page: Page, seed: number) => setField(page.getByTestId('seed-input'), seed)

/** Generate `count` images from `seed` with the DCGAN (or the selected model) and wait for every tile. */
export async function generateGrid(page: Page, count: number, seed?: number): Promise<void> {
  await setParam(page, 'count', count)
  if (seed !== undefined) await setSeed(page, seed)
  await page.getByTestId('generate-button').click()
  await expectGridDone(page, count)
}

export async function expectGridDone(page: Page, count: number): Promise<void> {
  await expect(tiles(page)).toHaveCount(count)
  await expect(doneTiles(page)).toHaveCount(count, { timeout: 60_000 })
}

/**
 * Arrange, inside the page, for `action` to happen the moment the first image of the next job is drawn
 * (a Playwright round trip can be longer than a whole DCGAN job). For the desktop app, which has no
 * WebSocket to tap; the browser specs use `cancelAtFirstFrame`, which acts even earlier.
 */
export async function onFirstImage(page: Page, action: 'click-cancel' | 'press-escape'): Promise<void> {
  await page.evaluate((action) => {
    const isDone = (n: Node) => n instanceof Element && n.matches('[data-testid="grid-tile"][data-state="done"]')
    // Mutation records, not a query: the previous grid's tiles are done too, and the keyed grid reuses
    // their elements for the next job (done → pending → done).
    const obs = new MutationObserver((records) => {
      const hit = records.some((r) =>
        r.type === 'attributes' ? isDone(r.target) : [...r.addedNodes].some((n) => isDone(n) || (n instanceof Element && [...n.querySelectorAll('*')].some(isDone))),
      )
      if (!hit) return
      obs.disconnect()
      if (action === 'click-cancel') (document.querySelector('[data-testid="cancel-button"]') as HTMLButtonElement).click()
      else {
        const target = document.activeElement ?? document.body
        target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true, cancelable: true }))
      }
    })
    obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] })
  }, action)
}

/**
 * Browser host: cancel (Cancel button or Esc) the instant the first image of the next job arrives over
 * the WebSocket. Acting on the rendered tile instead would race the engine: the renderer draws once
 * per animation frame, and a whole 64-image DCGAN job can finish before the first tile is painted.
 */
export async function cancelAtFirstFrame(page: Page, action: 'click-cancel' | 'press-escape'): Promise<void> {
  await page.evaluate((action) => {
    const w = window as unknown as { __ws: { onEvent: ((e: TappedEvent) => void) | null }; __cancel: { at: number; jobId?: string } }
    w.__cancel = { at: -1 }
    w.__ws.onEvent = (e) => {
      if (e.name !== 'job/partial') return
      w.__ws.onEvent = null
      w.__cancel = { at: performance.now(), jobId: e.jobId }
      if (action === 'click-cancel') (document.querySelector('[data-testid="cancel-button"]') as HTMLButtonElement).click()
      else {
        const target = document.activeElement ?? document.body
        target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true, cancelable: true }))
      }
    }
  }, action)
}

/** After `cancelAtFirstFrame`: wait until that job ended (any way) and say how. */
export async function cancelOutcome(page: Page): Promise<{ cancelled: boolean; stopMs: number; imagesAfter: number }> {
  const probe = () => {
    const w = window as unknown as { __ws: { events: TappedEvent[] }; __cancel: { at: number; jobId?: string } }
    const { at, jobId } = w.__cancel
    if (at < 0) return null
    const mine = w.__ws.events.filter((e) => e.jobId === jobId && e.t >= at)
    const end = mine.find((e) => e.name === 'job/failed' || e.name === 'job/done')
    if (!end) return null
    return {
      cancelled: end.name === 'job/failed' && end.cancelled === true,
      stopMs: end.t - at,
      imagesAfter: mine.filter((e) => e.name === 'job/partial').length,
    }
  }
  await page.waitForFunction(probe, undefined, { timeout: 60_000 })
  return (await page.evaluate(probe))!
}

/** Drop a file on the middle of the window, as a drag from the file manager does. */
export async function dropFile(page: Page, name: string, bytes: Uint8Array, type = 'image/png'): Promise<void> {
  await page.evaluate(
    ({ name, b64, type }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      const dt = new DataTransfer()
      dt.items.add(new File([data], name, { type }))
      const x = innerWidth / 2
      const y = innerHeight / 2
      const target = document.elementFromPoint(x, y) ?? document.body
      for (const ev of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(ev, { bubbles: true, cancelable: true, composed: true, dataTransfer: dt, clientX: x, clientY: y }))
      }
    },
    { name, b64: Buffer.from(bytes).toString('base64'), type },
  )
}
