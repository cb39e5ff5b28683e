/**
 * A test page built with Vite from a folder in e2e/ (a renderer module alone, before the studio shows it)
 * and served on 127.0.0.1 with the given headers. Node only (the Playwright runner).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { build, type PluginOption } from 'vite'
import { ROOT } from '../env'

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

export async function servePage(folder: string, opts: { plugins?: PluginOption[]; headers?: Record<string, string> } = {}): Promise<{ origin: string; close(): void }> {
  const out = mkdtempSync(join(tmpdir(), `${folder}-`))
  await build({ root: join(ROOT, 'e2e', folder), base: './', logLevel: 'warn', configFile: false, plugins: opts.plugins, build: { outDir: out, emptyOutDir: true, target: 'es2023' } })
  const server = createServer(async (req, res) => {
    const path = join(out, normalize((req.url ?? '/').split('?')[0]).replace(/^\/$/, '/index.html'))
    const body = await readFile(path).catch(() => null)
    res.writeHead(body ? 200 : 404, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', ...opts.headers })
    res.end(body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => (server.close(), rmSync(out, { recursive: true, force: true })),
  }
}
