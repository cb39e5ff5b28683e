/**
 * Serves the built renderer (`out/web`) read-only: GET/HEAD only, known MIME types, no paths outside
 * the root (`..`, encoded slashes, NUL, symlinks escaping the root), 404 for everything else.
 */
import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
}

/** Headers every response carries (the CSP comes from the caller: it names our port). */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  }
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(text)
}

/**
 * Resolve a URL path to a file inside `root`, or null. Pure path logic first (cheap rejects), then
 * `realpath` so a symlink inside the root cannot point outside it.
 */
export async function resolveInRoot(root: string, urlPath: string): Promise<string | null> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  const absRoot = resolve(root)
  const target = resolve(join(absRoot, rel))
  if (target !== absRoot && !target.startsWith(absRoot + sep)) return null
  try {
    const [realRoot, realTarget] = await Promise.all([realpath(absRoot), realpath(target)])
    if (!realTarget.startsWith(realRoot + sep)) return null
    if (!(await stat(realTarget)).isFile()) return null
    return realTarget
  } catch {
    return null
  }
}

/** Answer one static request. `root` must exist (the server checks at start-up). */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  headers: Record<string, string>,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'method not allowed\n', { ...headers, Allow: 'GET, HEAD' })
    return
  }
  const path = new URL(req.url ?? '/', 'http://x').pathname
  const file = await resolveInRoot(root, path)
  if (!file) {
    sendText(res, 404, 'not found\n', headers)
    return
  }
  const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream'
  const size = (await stat(file)).size
  res.writeHead(200, {
    ...headers,
    'Content-Type': type,
    'Content-Length': String(size),
    // Vite fingerprints assets; index.html must be re-read so a rebuild is picked up.
    'Cache-Control': file.endsWith('.html') ? 'no-cache' : 'max-age=3600',
  })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res)
}

export { sendText }
