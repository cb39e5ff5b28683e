/**
 * The studio window and its hardening: isolated, sandboxed renderer with our preload only; no
 * navigation away from our page, no new windows (https links open in the user's browser), no
 * <webview>.
 */
import { BrowserWindow, shell, type WebContents } from 'electron'
import { pathToFileURL } from 'node:url'

export interface WindowOptions {
  /** Built preload, `out/preload/index.cjs`. */
  preload: string
  /** Dev server URL (electron-vite dev), else undefined. */
  devUrl?: string
  /** Built renderer, `out/renderer/index.html`. */
  indexHtml: string
}

/** Whether `url` is our renderer page: the dev server's origin, or exactly our index.html file. */
export function appUrlCheck(opts: Pick<WindowOptions, 'devUrl' | 'indexHtml'>): (url: string) => boolean {
  const file = pathToFileURL(opts.indexHtml).href
  const devOrigin = opts.devUrl ? new URL(opts.devUrl).origin : null
  return (url) => {
    let u: URL
    try {
      u = new URL(url)
    } catch {
      return false
    }
    if (devOrigin) return u.origin === devOrigin
    return u.protocol === 'file:' && `file://${u.host}${u.pathname}` === file
  }
}

/** Deny every way out of the page for one webContents. */
export function harden(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault()
  })
  contents.on('will-redirect', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault()
  })
  contents.on('will-attach-webview', (e) => e.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    // Model cards link to data sets and licences: show those in the real browser, never in-app.
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 800,
    minHeight: 560,
    show: false,
    backgroundColor: '#121417', // the dark theme's background: no white flash before first paint
    title: 'Latent Studio',
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  })
  harden(win.webContents, appUrlCheck(opts))
  win.once('ready-to-show', () => win.show())
  if (opts.devUrl) void win.loadURL(opts.devUrl)
  else void win.loadFile(opts.indexHtml)
  return win
}
