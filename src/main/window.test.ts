/**
 * Window hardening and the CSP header with Electron mocked: what a page could do to escape, and
 * what the header says.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { serverCsp } from '../server/csp'

const m = vi.hoisted(() => ({ opened: [] as string[] }))
vi.mock('electron', () => ({
  BrowserWindow: class {},
  shell: { openExternal: async (url: string) => void m.opened.push(url) },
  protocol: {},
}))

const { appUrlCheck, harden } = await import('./window')
const { isAllowedExternal } = await import('./external-links')
const { APP_CSP, installCsp } = await import('./csp')

function fakeContents() {
  const on = new Map<string, (e: { preventDefault(): void; prevented?: boolean }, url?: string) => void>()
  let openHandler: (d: { url: string }) => { action: string } = () => ({ action: 'allow' })
  return {
    on: (ev: string, fn: (e: { preventDefault(): void }, url?: string) => void) => void on.set(ev, fn),
    setWindowOpenHandler: (fn: typeof openHandler) => void (openHandler = fn),
    fire(ev: string, url?: string): boolean {
      const e = { prevented: false, preventDefault() { this.prevented = true } }
      on.get(ev)!(e, url)
      return e.prevented
    },
    open: (url: string) => openHandler({ url }),
  }
}

describe('window hardening', () => {
  const isApp = appUrlCheck({})

  it('recognises only our own page', () => {
    expect(isApp('app://studio/index.html')).toBe(true)
    expect(isApp('app://studio/index.html#token=x')).toBe(true)
    expect(isApp('app://studio/assets/x.js')).toBe(false)
    expect(isApp('app://studio/index.html?x=1')).toBe(false)
    expect(isApp('app://other/index.html')).toBe(false)
    expect(isApp('file:///opt/ls/out/renderer/index.html')).toBe(false) // the page no longer loads from file://
    expect(isApp('file:///etc/passwd')).toBe(false)
    expect(isApp('https://example.com/')).toBe(false)
    expect(isApp('not a url')).toBe(false)
    const dev = appUrlCheck({ devUrl: 'http://localhost:5173/' })
    expect(dev('http://localhost:5173/src/main.ts')).toBe(true)
    expect(dev('http://localhost:5174/')).toBe(false)
  })

  it('blocks navigation away, webviews and new windows; only allow-listed links go to the real browser', () => {
    const c = fakeContents()
    harden(c as never, isApp, (url) => isAllowedExternal(url, ['https://github.com/licence']))
    expect(c.fire('will-navigate', 'https://evil.example/')).toBe(true)
    expect(c.fire('will-navigate', 'app://studio/index.html')).toBe(false)
    expect(c.fire('will-navigate', 'file:///opt/ls/out/renderer/index.html')).toBe(true)
    expect(c.fire('will-redirect', 'https://evil.example/')).toBe(true)
    expect(c.fire('will-attach-webview')).toBe(true)
    for (const url of ['https://github.com/licence', 'https://evil.example/', 'https://github.com/licence/../x', 'file:///etc/passwd', 'ms-settings:', 'mailto:a@b.c']) {
      expect(c.open(url), url).toEqual({ action: 'deny' })
    }
    expect(m.opened).toEqual(['https://github.com/licence'])
  })

  it('opens nothing outside the app by default: the app links to no address today', () => {
    m.opened.length = 0
    const c = fakeContents()
    harden(c as never, isApp)
    expect(c.open('https://github.com/licence')).toEqual({ action: 'deny' })
    expect(m.opened).toEqual([])
  })
})

describe('CSP header', () => {
  it('replaces any policy on every response with ours and denies permission requests', () => {
    let hook!: (d: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void
    let permission: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined
    let check: (() => boolean) | undefined
    installCsp({
      webRequest: { onHeadersReceived: (fn: typeof hook) => void (hook = fn) },
      setPermissionRequestHandler: (fn: typeof permission) => void (permission = fn),
      setPermissionCheckHandler: (fn: typeof check) => void (check = fn),
    } as never)
    let out: Record<string, string[]> = {}
    hook({ responseHeaders: { 'content-security-policy': ["default-src *"], 'X-Other': ['1'] } }, (r) => (out = r.responseHeaders))
    expect(out).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [APP_CSP] })
    expect(APP_CSP).toMatch(/default-src 'self'; script-src 'self' 'wasm-unsafe-eval';/)
    expect(APP_CSP).toMatch(/object-src 'none'/)
    let granted: boolean | undefined
    permission!({}, 'media', (ok) => (granted = ok))
    expect(granted).toBe(false)
    expect(check!()).toBe(false)
  })
})

/** Directive → value of a policy string. */
function directives(policy: string): Map<string, string> {
  return new Map(policy.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0], d.split(/\s+/).slice(1).join(' ')]))
}

describe('one policy everywhere', () => {
  const html = readFileSync(new URL('../renderer/index.html', import.meta.url), 'utf8')
  const meta = directives(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)![1])

  it.each([
    ['the desktop header', APP_CSP],
    ['the server header', serverCsp(5178)],
  ])('%s repeats every directive of the renderer meta (only connect-src narrowed)', (_name, policy) => {
    const header = directives(policy)
    for (const [name, value] of meta) {
      if (name === 'connect-src') expect(header.get(name)).toMatch(/^'self'/)
      else expect(header.get(name), name).toBe(value)
    }
  })
})
