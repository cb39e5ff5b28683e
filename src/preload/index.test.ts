/**
 * The preload bridge with Electron mocked: the page gets one function per contract method and
 * onEvent, never ipcRenderer, never the IPC event object.
 */
import { describe, expect, it, vi } from 'vitest'
import { ENGINE_METHODS, HISTORY_METHODS, SHELL_METHODS } from '../common/contract'

const m = vi.hoisted(() => ({
  exposed: new Map<string, Record<string, unknown>>(),
  invoked: [] as [string, unknown][],
  listeners: new Map<string, Set<(event: unknown, payload: unknown) => void>>(),
}))
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => m.exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (channel: string, args: unknown) => (m.invoked.push([channel, args]), { ok: true, value: channel }),
    on: (channel: string, fn: (event: unknown, payload: unknown) => void) => {
      if (!m.listeners.has(channel)) m.listeners.set(channel, new Set())
      m.listeners.get(channel)!.add(fn)
    },
    removeListener: (channel: string, fn: (event: unknown, payload: unknown) => void) => m.listeners.get(channel)?.delete(fn),
  },
}))

await import('./index')
const studio = m.exposed.get('studio') as Record<string, (...a: unknown[]) => unknown>

describe('preload bridge', () => {
  it('exposes exactly one function per contract method plus onEvent, frozen', () => {
    expect([...m.exposed.keys()]).toEqual(['studio'])
    expect(Object.keys(studio).sort()).toEqual([...ENGINE_METHODS, ...HISTORY_METHODS, ...SHELL_METHODS, 'onEvent'].sort())
    for (const v of Object.values(studio)) expect(typeof v).toBe('function')
    expect(Object.isFrozen(studio)).toBe(true)
  })

  it('invokes the channel named after the method', async () => {
    expect(await studio['job/start']({ modelId: 'x', seed: 1, params: {} })).toEqual({ ok: true, value: 'job/start' })
    expect(m.invoked).toEqual([['job/start', { modelId: 'x', seed: 1, params: {} }]])
  })

  it('delivers event payloads without the IPC event, and unsubscribes', () => {
    const got: unknown[][] = []
    const off = studio.onEvent('job/progress', (...a: unknown[]) => got.push(a)) as () => void
    const fire = (payload: unknown) => m.listeners.get('job/progress')!.forEach((fn) => fn({ sender: 'ipcRenderer!' }, payload))
    fire({ jobId: 'j', done: 1, total: 2 })
    off()
    fire({ jobId: 'j', done: 2, total: 2 })
    expect(got).toEqual([[{ jobId: 'j', done: 1, total: 2 }]])
  })

  it('refuses channels that are not contract events', () => {
    expect(() => studio.onEvent('ELECTRON_BROWSER_WINDOW_ALERT', () => {})).toThrow(/unknown event/)
    expect(m.listeners.has('ELECTRON_BROWSER_WINDOW_ALERT')).toBe(false)
  })
})
