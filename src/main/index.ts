/**
 * Electron main: app lifecycle only. The engine runs in a utility process supervised here; the
 * window talks to it through the contract's IPC binding (`ipc.ts`).
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, session } from 'electron'
import { EngineSupervisor, HistoryStore, defaultModelDirs } from '../engine'
import { registerAppScheme, serveAppScheme } from './app-protocol'
import { APP_CSP, installCsp } from './csp'
import { utilitySpawner } from './engine-spawner'
import { bindIpc } from './ipc'
import { appUrlCheck, createMainWindow } from './window'

/** out/main (built); preload, renderer and engine-host sit beside it. */
const here = dirname(fileURLToPath(import.meta.url))
/** Shipped models: `<repo>/models` in development, `resources/models` when packaged. */
const appRoot = app.isPackaged ? process.resourcesPath : app.getAppPath()

const paths = {
  preload: join(here, '../preload/index.cjs'),
  /** The built renderer, served as app://studio/ (app-protocol.ts). */
  rendererDir: join(here, '../renderer'),
  devUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
  engineHost: join(here, 'engine-host.js'),
}

let win: BrowserWindow | null = null
let engine: EngineSupervisor | null = null

function openWindow(): void {
  win = createMainWindow(paths)
  win.on('closed', () => (win = null))
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.enableSandbox() // every renderer sandboxed, whatever a future window forgets to set
  registerAppScheme() // before ready, or Electron refuses the scheme's privileges
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore()
    win?.focus()
  })

  app.whenReady().then(() => {
    installCsp(session.defaultSession)
    serveAppScheme(paths.rendererDir, APP_CSP)
    engine = new EngineSupervisor({
      spawn: utilitySpawner(paths.engineHost),
      host: { modelDirs: defaultModelDirs(appRoot), appVersion: app.getVersion() },
    })
    // Finished jobs kept across restarts, in the app's own data folder (history/put from the window).
    const history = new HistoryStore(join(app.getPath('userData'), 'history'))
    bindIpc({ engine, history, window: () => win, isAppUrl: appUrlCheck(paths) })
    // The window shows the engine's state (engine/status); a failed start is reported there, not fatal.
    engine.start().catch((e: Error) => console.error(`[engine] ${e.message}`))
    openWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow()
    })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => void engine?.stop())
}
