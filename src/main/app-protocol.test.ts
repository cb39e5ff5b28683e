/**
 * The app:// scheme with Electron mocked at the shell boundary: the privileges it is registered with,
 * and the handler serving a real build folder to real fetch Requests — the page and its assets with our
 * CSP and MIME types, nothing outside the folder, nothing for another host or method.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'

const m = vi.hoisted(() => ({ schemes: [] as unknown[], handlers: new Map<string, (req: Request) => Promise<Response>>() }))
vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: (s: unknown[]) => void m.schemes.push(...s),
    handle: (scheme: string, fn: (req: Request) => Promise<Response>) => void m.handlers.set(scheme, fn),
  },
}))

const { APP_INDEX_URL, registerAppScheme, serveAppScheme } = await import('./app-protocol')
const { APP_CSP } = await import('./csp')

describe('app:// scheme', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-app-'))
  const root = join(dir, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Latent Studio</title>')
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(root, 'assets', 'ort.wasm'), new Uint8Array([0, 97, 115, 109]))
  writeFileSync(join(dir, 'secret.txt'), 'not for the page')
  symlinkSync(join(dir, 'secret.txt'), join(root, 'assets', 'link.txt'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  registerAppScheme()
  serveAppScheme(root, APP_CSP)
  const get = (url: string, method = 'GET') => m.handlers.get('app')!(new Request(url, { method }))

  it('is registered as a standard, secure scheme with fetch and streaming, before the handler', () => {
    expect(m.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } }])
    expect([...m.handlers.keys()]).toEqual(['app'])
  })

  it('serves the page and its assets with our CSP, nosniff and their MIME types', async () => {
    const page = await get(APP_INDEX_URL)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>Latent Studio</title>')
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(APP_CSP)
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect((await get('app://studio/')).status).toBe(200)
    const js = await get('app://studio/assets/index-abc.js')
    expect([js.status, js.headers.get('content-type'), await js.text()]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log(1)'])
    const wasm = await get('app://studio/assets/ort.wasm')
    expect(wasm.headers.get('content-type')).toBe('application/wasm')
    const head = await get(APP_INDEX_URL, 'HEAD')
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, '43', ''])
  })

  it('serves nothing outside the build folder, for another host, or for another method', async () => {
    for (const url of [
      'app://studio/../secret.txt', 'app://studio/%2e%2e/secret.txt', 'app://studio/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://studio/..%5csecret.txt', 'app://studio/assets/link.txt', 'app://studio/index.html%00.js', 'app://studio/assets',
      'app://studio/missing.js', 'app://other/index.html', 'app://studio.evil/index.html',
    ]) {
      const r = await get(url)
      expect(r.status, url).toBe(404)
      expect(await r.text(), url).not.toContain('not for the page')
    }
    const post = await get(APP_INDEX_URL, 'POST')
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD'])
  })
})
