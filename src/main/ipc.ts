/**
 * The Electron binding of the contract: `ipcMain.handle` for exactly the contract's `ALL_METHODS`,
 * each answering a `Result` value (errors cross as values, not as Electron's wrapped exceptions),
 * and engine events forwarded to the studio window with `webContents.send`. Engine methods are
 * forwarded to the supervisor by a map generated from `ENGINE_METHODS`, history methods to the history
 * store by one generated from `HISTORY_METHODS`; only the shell's own methods
 * (native dialogs) are written here, and the compiler refuses a shell method left out.
 *
 * Only our own window's main frame, showing our own page, may call (Electron Fiddle's habit): a
 * frame that navigated elsewhere, a subframe or another webContents gets `{ok:false}` and nothing runs.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import {
  ALL_METHODS,
  ENGINE_METHODS,
  EVENT_NAMES,
  HISTORY_METHODS,
  type EngineHandlers,
  type EngineMethod,
  type EventName,
  type Events,
  type Handlers,
  type HistoryHandlers,
  type HistoryMethod,
  type Req,
  type Res,
  type Result,
  type ShellHandlers,
} from '../common/contract'
import { NO_HISTORY, type HistoryInvoker } from '../common/history'
import { dispatch, forwarders, type HandlerFns } from '../common/rpc'
import { saveFile } from './file-save'
import { PageWork } from './page-work'

/** Re-exported for tests: the channels forwarded to the window. */
export { EVENT_NAMES }

/** What the binding needs of the engine (the supervisor). */
export interface IpcEngine {
  invoke<K extends EngineMethod>(method: K, args: Req<K>, opts?: { signal?: AbortSignal }): Promise<Res<K>>
  on<E extends EventName>(name: E, cb: (payload: Events[E]) => void): () => void
}

export interface IpcOptions {
  engine: IpcEngine
  /** The history store (`<userData>/history`); without one, `history/*` answer that none is kept. */
  history?: HistoryInvoker
  /** The studio window (null while none is open). */
  window: () => BrowserWindow | null
  /** Whether a URL is our renderer (the built index.html or the dev server). */
  isAppUrl: (url: string) => boolean
  log?: (line: string) => void
}

/** True only for our window's top frame, currently showing our page. */
export function isOwnSender(event: IpcMainInvokeEvent, win: BrowserWindow | null, isAppUrl: (url: string) => boolean): boolean {
  if (!win || win.isDestroyed()) return false
  const wc = win.webContents
  const frame = event.senderFrame
  if (event.sender !== wc || !frame) return false
  const main = wc.mainFrame
  return frame.routingId === main.routingId && frame.processId === main.processId && isAppUrl(frame.url)
}

/** Bind every contract method and forward events. Returns a function that undoes it all. */
export function bindIpc({ engine, history, window, isAppUrl, log = (l) => console.warn(l) }: IpcOptions): () => void {
  const shell: HandlerFns<ShellHandlers, unknown> = {
    'file/save': (a) => saveFile(a, window()),
  }
  // The page's requests and jobs end when it goes away (page-work.ts).
  const work = new PageWork((jobId) => void engine.invoke('job/cancel', { jobId }).catch(() => {}))
  const forward = forwarders<EngineHandlers, EngineMethod, AbortSignal>(ENGINE_METHODS, (m, a, signal) => engine.invoke(m, a, { signal }))
  const handlers: HandlerFns<Handlers, AbortSignal> = {
    ...forward,
    'job/start': async (a, signal) => {
      const jobId = typeof a?.jobId === 'string' ? a.jobId : null
      if (jobId) work.started(jobId)
      try {
        return await forward['job/start'](a, signal)
      } catch (e) {
        if (jobId) work.ended(jobId)
        throw e
      }
    },
    ...forwarders<HistoryHandlers, HistoryMethod>(HISTORY_METHODS, async (m, a) => {
      if (!history) throw new Error(NO_HISTORY)
      return history.invoke(m, a)
    }),
    ...shell,
  }
  const known = new Set<string>(ALL_METHODS)
  for (const method of ALL_METHODS) {
    ipcMain.handle(method, async (event, args: unknown): Promise<Result<unknown>> => {
      if (!isOwnSender(event, window(), isAppUrl)) {
        log(`[ipc] refused ${method} from ${event.senderFrame?.url ?? 'a destroyed frame'}`)
        return { ok: false, error: `${method}: refused (not the studio window)` }
      }
      work.watch(event.sender)
      return work.request((signal) => dispatch(handlers, known, method, args, signal))
    })
  }
  const offs = EVENT_NAMES.map((name) =>
    engine.on(name, (payload) => {
      const win = window()
      if (win && !win.isDestroyed()) win.webContents.send(name, payload)
    }),
  )
  offs.push(engine.on('job/done', (p) => work.ended(p.jobId)), engine.on('job/failed', (p) => work.ended(p.jobId)))
  return () => {
    for (const m of ALL_METHODS) ipcMain.removeHandler(m)
    for (const off of offs) off()
  }
}
