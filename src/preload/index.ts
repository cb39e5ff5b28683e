/**
 * The preload bridge (sandboxed, CommonJS, bundled: it may import nothing but `electron`).
 * Exposes `window.studio`: one named function per contract method (generated from the contract's
 * `ALL_METHODS`, so the allow-list is the contract) and `onEvent` for the contract's events.
 * ipcRenderer itself, and the IPC event object (which carries `sender`), never reach the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { ALL_METHODS, EVENT_NAMES, type EventName, type Events } from '../common/contract'
import type { StudioBridge } from '../renderer/client/bridge'

const EVENTS = new Set<string>(EVENT_NAMES)

const api: Record<string, unknown> = {}
for (const method of ALL_METHODS) api[method] = (args: unknown) => ipcRenderer.invoke(method, args)

api.onEvent = <E extends EventName>(name: E, cb: (payload: Events[E]) => void): (() => void) => {
  if (!EVENTS.has(name)) throw new Error(`studio.onEvent: unknown event ${JSON.stringify(name)}`)
  if (typeof cb !== 'function') throw new Error('studio.onEvent: callback must be a function')
  const listener = (_e: IpcRendererEvent, payload: Events[E]) => cb(payload)
  ipcRenderer.on(name, listener)
  return () => void ipcRenderer.removeListener(name, listener)
}

contextBridge.exposeInMainWorld('studio', Object.freeze(api as StudioBridge))
