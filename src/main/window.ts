/**
 * The studio window and its hardening: isolated, sandboxed renderer with our preload only; no
 * navigation away from our page, no new windows (the few links in external-links.ts open in the
 * user's browser), no <webview>.
 */
import { BrowserWindow, shell, type WebContents } from 'electron'
import { APP_INDEX_URL } from './app-protocol'
import { isAllowedExternal } from './external-links'

export interface WindowOptions {
  /** Built preload, `out/preload/index.cjs`. */
  preload: string
  /** Dev server URL (electron-vite dev), else undefined: the built page loads from app:// (app-protocol.ts). */
  devUrl?: string
}

/** Whether `url` is our renderer page: the dev server's origin, or exactly app://studio/index.html. */
export function appUrlCheck(opts: Pick<WindowOptions, 'devUrl'>): (url: string) => boolean {
  const devOrigin = opts.devUrl ? new URL(opts.devUrl).origin : null
  return (url) => {
    let u: URL
    try {
      u = new URL(url)
    } catch {
      return false
    }
    if (devOrigin) return u.origin === devOrigin
    u.hash = '' // the page keeps state in its hash
    return u.href === APP_INDEX_URL
  }
}

/**
 * Deny every way out of the page for one webContents. Links to the few addresses in EXTERNAL_LINKS open
 * in the user's browser; everything else is refused (`allowExternal` is for tests).
 */
export function harden(contents: WebContents, isAppUrl: (url: string) => boolean, allowExternal: (url: string) => boolean = isAllowedExternal): void {
  contents.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault()
  })
  contents.on('will-redirect', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault()
  })
  contents.on('will-attach-webview', (e) => e.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    // Never in-app; in the real browser only when the link is one we ship (external-links.ts).
    if (allowExternal(url)) void shell.openExternal(url)
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
  else void win.loadURL(APP_INDEX_URL)
  return win
}
