/**
 * The built renderer's folder as the two hosts serve it read-only — the server over HTTP
 * (server/static-files.ts) and Electron over its app:// scheme (main/app-protocol.ts): which file a URL
 * path names (never one outside the folder: `..`, encoded slashes, NUL, symlinks escaping it), its MIME
 * type, and the security headers every response carries.
 */
import { realpath, stat } from 'node:fs/promises'
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

/** The Content-Type for a file, by its extension. */
export const mimeOf = (file: string): string => MIME[extname(file).toLowerCase()] ?? 'application/octet-stream'

/** Headers every response carries (the CSP comes from the caller: the server's names its port). */
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
