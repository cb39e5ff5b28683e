/**
 * Facts shared by playwright.config.ts, the e2e specs and the bench: where the e2e server listens,
 * its fixed token, the Debian Chromium we drive, and whether an Electron binary is installed.
 * Node only (runs in the Playwright runner, never in the page).
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Fixed so the config, the specs and a developer's browser agree; 5178 (the default) stays free for `npm run serve`.
 * `E2E_PORT` in the environment moves it (two runs on one machine must not share, or stop, each other's server).
 */
export const E2E_PORT = Number(process.env.E2E_PORT) || 5291
/** 32 hex chars, like the server's random ones. Test-only: the server binds 127.0.0.1. */
export const E2E_TOKEN = 'e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0'
export const E2E_ORIGIN = `http://127.0.0.1:${E2E_PORT}`
export const E2E_URL = `${E2E_ORIGIN}/#token=${E2E_TOKEN}`
/** User models folder for the e2e hosts: a broken GAN and a bad manifest beside the shipped models. */
export const E2E_USER_MODELS = join(ROOT, 'e2e', 'fixtures', 'user-models')

/** The shipped DCGAN every flow generates with. */
export const GAN_ID = 'dcgan-emoji'

export const CHROMIUM = '/usr/bin/chromium'
/**
 * No sandbox (CI runs as root), no GPU (none here), and no lookups of Google hosts: Chromium still tries
 * them with Playwright's flags, and this machine is offline.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
]

/**
 * Where the Electron binary is, or why it is not there. Reads only the files electron's installer writes:
 * `require('electron')` from plain Node would try to download the binary.
 */
export function electronBinary(): { path: string } | { missing: string } {
  const pkg = join(ROOT, 'node_modules', 'electron')
  const pathTxt = join(pkg, 'path.txt')
  const howTo = 'run `npx electron --version` (it downloads the binary) on a machine with internet, or copy node_modules/electron/dist from one'
  if (!existsSync(pathTxt)) return { missing: `Electron binary not installed: node_modules/electron/path.txt missing — ${howTo}` }
  const rel = readFileSync(pathTxt, 'utf8').trim()
  const bin = join(pkg, 'dist', rel)
  if (!rel || !existsSync(bin)) return { missing: `Electron binary not installed: node_modules/electron/dist/${rel} missing — ${howTo}` }
  return { path: bin }
}
