/**
 * The packaged studio page loads from `app://studio/index.html`, not `file://`. A file:// page shares
 * one origin with every file on the disk (a fetch or an iframe of file:///etc/… is same-origin), and
 * Electron grants file:// extra powers; on our own standard, secure scheme the page's origin is
 * `app://studio`, CSP `'self'` means our build folder only, module workers and fetch work as on https,
 * and the GrantFileProtocolExtraPrivileges fuse can be turned off (scripts/fuses.mjs).
 *
 * The handler serves the renderer's build folder read-only through the same path checks as the server
 * (engine/web-root.ts): GET/HEAD, our host only, nothing outside the folder, every response with our CSP.
 */
import { readFile } from 'node:fs/promises'
import { protocol } from 'electron'
import { mimeOf, resolveInRoot, securityHeaders } from '../engine'

export const APP_SCHEME = 'app'
export const APP_ORIGIN = 'app://studio'
/** The page the window loads. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`

/** Privileges of the scheme: a standard, secure origin for the page, its fetches, module workers and media. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
} as const

/** Before `app.whenReady()`: Electron only accepts privileged schemes then. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
}

/** After ready: answer app:// requests from the files under `root` (out/renderer). */
export function serveAppScheme(root: string, csp: string): void {
  protocol.handle(APP_SCHEME, (req) => appResponse(req, root, csp))
}

const text = (status: number, body: string, headers: Record<string, string>) =>
  new Response(body, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })

/** One app:// request → a file of `root`, or 404/405/400; pure apart from reading the folder (tested without Electron). */
export async function appResponse(req: Request, root: string, csp: string): Promise<Response> {
  const headers = securityHeaders(csp)
  let url: URL
  try {
    url = new URL(req.url)
  } catch {
    return text(400, 'bad url\n', headers)
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== new URL(APP_ORIGIN).host) return text(404, 'not found\n', headers)
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'method not allowed\n', { ...headers, Allow: 'GET, HEAD' })
  const file = await resolveInRoot(root, url.pathname)
  if (!file) return text(404, 'not found\n', headers)
  const bytes = await readFile(file)
  return new Response(req.method === 'HEAD' ? null : bytes, {
    status: 200,
    headers: { ...headers, 'Content-Type': mimeOf(file), 'Content-Length': String(bytes.byteLength), 'Cache-Control': 'no-cache' },
  })
}
