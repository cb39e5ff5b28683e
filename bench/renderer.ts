/**
 * The renderer's main thread while results stream in (browser host: Debian Chromium + the server).
 *
 * For a 64-image DCGAN job and an 8-draft text job: the longest task on the page's main thread
 * (Chrome's own trace, `RunTask` slices of `CrRendererMain`, between the Generate click and the job's
 * end) and the 95th-percentile frame time (gaps between requestAnimationFrame callbacks). These are
 * wall-clock figures: a loaded CPU makes them worse, which is why they live here and not in e2e.
 */
import { chromium, type CDPSession, type Page } from '@playwright/test'
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/env'
import { median } from './record'
import { startServer } from './server'

export interface RendererScenario {
  name: string
  modelId: string
  /** `data-testid="param-<key>"` fields to fill before the runs. */
  params: Record<string, string>
}

export const RENDERER_SCENARIOS: RendererScenario[] = [
  { name: 'gan64', modelId: 'dcgan-emoji', params: { count: '64' } },
  { name: 'text8', modelId: 'lstm-austen', params: { drafts: '8', length: '600' } },
]

export interface RendererFigures {
  /** Median over runs of each run's longest main-thread task (ms). */
  longestTaskMs: number
  /** Median over runs of each run's p95 frame time (ms). */
  p95FrameMs: number
  samples: { longestTaskMs: number; p95FrameMs: number; frames: number }[]
}

/** In the page: record every animation frame's timestamp until `__frames.stop()`. Source text (see browser.ts). */
const FRAME_RECORDER = `(() => {
  const f = { t: [], on: true, stop() { this.on = false; return this.t } }
  const tick = (t) => { if (!f.on) return; f.t.push(t); requestAnimationFrame(tick) }
  requestAnimationFrame(tick)
  window.__frames = f
})()`

interface TraceEvent {
  ph: string
  name: string
  pid: number
  tid: number
  ts: number
  dur?: number
  args?: { name?: string }
}

async function waitIdle(page: Page): Promise<void> {
  const cancel = page.getByTestId('cancel-button')
  const until = Date.now() + 120_000
  while (!(await cancel.isDisabled())) {
    if (Date.now() > until) throw new Error('the bench job did not finish within 120 s')
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function traced(cdp: CDPSession, during: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = []
  let complete = () => {}
  const ended = new Promise<void>((r) => (complete = r))
  // Playwright types CDP events only through the generic 'event' channel.
  const onEvent = ({ method, params }: { method: string; params?: object }) => {
    if (method === 'Tracing.dataCollected') events.push(...(params as { value: TraceEvent[] }).value)
    else if (method === 'Tracing.tracingComplete') complete()
  }
  cdp.on('event', onEvent)
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline', transferMode: 'ReportEvents' })
  try {
    await during()
  } finally {
    await cdp.send('Tracing.end')
    await ended
    cdp.off('event', onEvent)
  }
  return events
}

/** Longest top-level task of the page's main thread, in ms. */
export function longestMainThreadTask(events: TraceEvent[]): number {
  const mains = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  )
  let longest = 0
  for (const e of events) {
    if (e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && mains.has(`${e.pid}:${e.tid}`)) longest = Math.max(longest, (e.dur ?? 0) / 1000)
  }
  return longest
}

export function p95FrameTime(stamps: number[]): number {
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b)
  return gaps.length ? gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * 0.95))] : 0
}

async function oneRun(page: Page, cdp: CDPSession): Promise<RendererFigures['samples'][number]> {
  let stamps: number[] = []
  const events = await traced(cdp, async () => {
    await page.evaluate(FRAME_RECORDER)
    await page.getByTestId('generate-button').click()
    await waitIdle(page)
    stamps = (await page.evaluate('window.__frames.stop()')) as number[]
  })
  return { longestTaskMs: longestMainThreadTask(events), p95FrameMs: p95FrameTime(stamps), frames: stamps.length }
}

/** Each scenario: one warm-up job, then `runs` traced jobs; medians of the per-run figures. */
export async function benchRenderer(root: string, runs: number): Promise<Record<string, RendererFigures>> {
  const server = await startServer(root)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  const out: Record<string, RendererFigures> = {}
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(server.url)
    const cdp = await page.context().newCDPSession(page)
    for (const s of RENDERER_SCENARIOS) {
      await page.locator(`[data-testid="model-item"][data-model-id="${s.modelId}"]`).click()
      for (const [key, value] of Object.entries(s.params)) {
        const field = page.getByTestId(`param-${key}`)
        await field.fill(value)
        await field.press('Tab')
      }
      await page.getByTestId('generate-button').click() // warm-up: session load, first canvases
      await waitIdle(page)
      const samples = []
      for (let i = 0; i < runs; i++) samples.push(await oneRun(page, cdp))
      out[s.name] = {
        longestTaskMs: median(samples.map((x) => x.longestTaskMs)),
        p95FrameMs: median(samples.map((x) => x.p95FrameMs)),
        samples,
      }
    }
  } finally {
    await browser.close()
    await server.stop()
  }
  return out
}
