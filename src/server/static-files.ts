/**
 * Serves the built renderer (`out/web`) read-only: GET/HEAD only, known MIME types, no paths outside
 * the root (`..`, encoded slashes, NUL, symlinks escaping the root; engine/web-root.ts), 404 for everything else.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { mimeOf, resolveInRoot, securityHeaders } from '../engine'

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(text)
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
  const type = mimeOf(file)
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

export { securityHeaders, sendText }
