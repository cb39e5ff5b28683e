/**
 * The Electron IPC binding with Electron mocked at the shell boundary (Electron Fiddle's habit) and a
 * real engine host process behind it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ENGINE_METHODS, HISTORY_METHODS, SHELL_METHODS, type Result } from '../common/contract'
import { GAN_ID, SHIPPED_DIR, startEngine } from '../engine/testing'

const electron = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, args: unknown) => Promise<unknown>>(),
}))
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, args: unknown) => Promise<unknown>) => {
      if (electron.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      electron.handlers.set(channel, fn)
    },
    removeHandler: (channel: string) => electron.handlers.delete(channel),
  },
  dialog: { showSaveDialog: async () => ({ canceled: true }) },
  app: { getPath: () => '/tmp' },
}))

const { bindIpc, EVENT_NAMES } = await import('./ipc')

const APP_URL = 'file:///opt/latent-studio/out/renderer/index.html'
const sent: { channel: string; payload: unknown }[] = []
const mainFrame = { routingId: 1, processId: 7, url: APP_URL }
const pageListeners = new Map<string, (() => void)[]>()
const webContents = {
  mainFrame,
  send: (channel: string, payload: unknown) => sent.push({ channel, payload }),
  on: (ev: string, fn: () => void) => void pageListeners.set(ev, [...(pageListeners.get(ev) ?? []), fn]),
}
/** What Electron does when the page reloads ('did-navigate'), its renderer dies, or the window closes. */
const pageEvent = (ev: string) => pageListeners.get(ev)?.forEach((fn) => fn())
const win = { isDestroyed: () => false, webContents }

const own = { sender: webContents, senderFrame: { ...mainFrame } }
const foreign = {
  'another webContents': { sender: { mainFrame }, senderFrame: { ...mainFrame } },
  'a subframe': { sender: webContents, senderFrame: { ...mainFrame, routingId: 2 } },
  'a frame that navigated away': { sender: webContents, senderFrame: { ...mainFrame, url: 'https://evil.example/' } },
  'a destroyed frame': { sender: webContents, senderFrame: null },
}

function call(event: unknown, channel: string, args?: unknown): Promise<Result<unknown>> {
  const h = electron.handlers.get(channel)
  if (!h) throw new Error(`${channel} is not bound`)
  return h(event, args) as Promise<Result<unknown>>
}

describe('ipc binding', () => {
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }])
  let unbind: () => void
  beforeAll(async () => {
    unbind = bindIpc({ engine, window: () => win as never, isAppUrl: (u) => u === APP_URL, log: () => {} })
    await engine.start()
  })
  afterAll(() => engine.stop())

  it('binds every contract method and nothing else', () => {
    expect([...electron.handlers.keys()].sort()).toEqual([...ENGINE_METHODS, ...HISTORY_METHODS, ...SHELL_METHODS].sort())
  })

  it('answers our window’s main frame through the real engine', async () => {
    const r = await call(own, 'models/list')
    expect(r.ok).toBe(true)
    expect((r as { value: { id: string }[] }).value.map((m) => m.id)).toContain(GAN_ID)
    expect(await call(own, 'job/cancel', { jobId: 'nope' })).toEqual({ ok: true, value: { cancelled: false } })
  })

  it('forwards engine events to the window, pixels as Uint8Array', async () => {
    expect(sent.some((s) => s.channel === 'engine/status' && (s.payload as { state: string }).state === 'ready')).toBe(true)
    const r = (await call(own, 'job/start', { jobId: 'ipc-1', modelId: GAN_ID, seed: 5, params: { count: 2 }, ep: 'cpu' })) as Result<{ jobId: string }>
    if (!r.ok) throw new Error(r.error)
    const { jobId } = r.value
    while (!sent.some((s) => s.channel === 'job/done' && (s.payload as { jobId: string }).jobId === jobId)) {
      await new Promise((res) => setTimeout(res, 5))
    }
    const parts = sent.filter((s) => s.channel === 'job/partial' && (s.payload as { jobId: string }).jobId === jobId)
    expect(parts).toHaveLength(2)
    for (const p of parts) expect((p.payload as { part: { rgba: unknown } }).part.rgba).toBeInstanceOf(Uint8Array)
    expect(new Set(sent.map((s) => s.channel)).size).toBeLessThanOrEqual(EVENT_NAMES.length)
  })

  it.each(Object.entries(foreign))('refuses %s, for every method', async (_name, event) => {
    for (const m of [...ENGINE_METHODS, ...SHELL_METHODS]) {
      const r = await call(event, m, m === 'job/start' ? { jobId: 'refused', modelId: GAN_ID, seed: 1, params: {} } : undefined)
      expect(r).toEqual({ ok: false, error: `${m}: refused (not the studio window)` })
    }
  })

  it('refuses everyone once the window is gone', async () => {
    const closed = { ...win, isDestroyed: () => true }
    const unbindClosed = (() => {
      unbind()
      return bindIpc({ engine, window: () => closed as never, isAppUrl: (u) => u === APP_URL, log: () => {} })
    })()
    try {
      expect((await call(own, 'models/list')).ok).toBe(false)
    } finally {
      unbindClosed()
      unbind = bindIpc({ engine, window: () => win as never, isAppUrl: (u) => u === APP_URL, log: () => {} })
    }
  })

  it('a page that goes away ends its requests (text/next stops within 100 ms) and cancels its jobs', async () => {
    const long = 'It is a truth universally acknowledged, that a single man. '.repeat(300)
    const reading = call(own, 'text/next', { modelId: 'lstm-austen', text: long, params: {}, n: 3 })
    await new Promise((r) => setTimeout(r, 300))
    const t = performance.now()
    pageEvent('did-navigate') // the window reloaded
    expect(await reading).toEqual({ ok: false, error: 'text/next: cancelled' })
    expect(performance.now() - t).toBeLessThan(100)

    const jobId = 'ipc-orphan'
    const failed = new Promise<unknown>((resolve) => {
      const off = engine.on('job/failed', (p) => p.jobId === jobId && (off(), resolve(p)))
    })
    expect((await call(own, 'job/start', { jobId, modelId: 'lstm-austen', seed: 1, params: { length: 20000, drafts: 1 }, ep: 'cpu' })).ok).toBe(true)
    pageEvent('destroyed') // the window closed
    expect(await failed).toMatchObject({ jobId, cancelled: true })
  })

  it('returns bad requests as error values, and unbinding removes every channel', async () => {
    const r = await call(own, 'file/save', { suggestedName: 'x.png', bytes: [1, 2, 3], filterName: 'PNG', extensions: ['png'] })
    expect(r).toEqual({ ok: false, error: 'file/save: bytes must be a Uint8Array' })
    unbind()
    expect(electron.handlers.size).toBe(0)
  })
})
