/**
 * `npm run serve` as a user runs it: the printed address works, the engine host is a child of its
 * own, and SIGINT/SIGTERM stop both cleanly.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { REPO_ROOT, SHIPPED_DIR } from '../engine/testing'
import { WsClient } from '../renderer/client/ws-client'
import { parseServeArgs, SERVE_USAGE } from './args'

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const extra = resolve(SHIPPED_DIR) === resolve(REPO_ROOT, 'models') ? [] : ['--models', SHIPPED_DIR]

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('serve command', () => {
  const web = mkdtempSync(join(tmpdir(), 'ls-serve-'))
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>studio</title>')
  afterAll(() => rmSync(web, { recursive: true, force: true }))

  it.each(['SIGTERM', 'SIGINT'] as const)('prints its address, serves, and on %s stops the engine host and exits 0', async (signal) => {
    const child = spawn(process.execPath, ['--import', TSX, join(REPO_ROOT, 'src/server/main.ts'), '--port', '0', '--web', web, '--threads', '1', ...extra], {
      env: { ...process.env, LATENT_STUDIO_TOKEN: 'f'.repeat(32), LATENT_STUDIO_MODELS: join(web, 'none') },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    while (!/\n/.test(out)) {
      if (child.exitCode !== null) throw new Error(`serve exited early: ${out}`)
      await new Promise((r) => setTimeout(r, 20))
    }
    const m = /^Latent Studio at http:\/\/127\.0\.0\.1:(\d+)\/#token=(f{32})\n$/.exec(out)
    expect(m, out).not.toBeNull()
    const port = Number(m![1])
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200)
    const c = new WsClient({ url: `ws://127.0.0.1:${port}/ws?token=${m![2]}`, socket: (u) => new WebSocket(u) as never })
    await c.connect()
    const info = await c.invoke('engine/info', undefined)
    c.close()
    expect(info.state).toBe('ready')
    expect(info.pid).not.toBe(child.pid)
    expect(alive(info.pid!)).toBe(true)
    child.kill(signal)
    expect(await exited).toBe(0)
    for (let i = 0; i < 100 && alive(info.pid!); i++) await new Promise((r) => setTimeout(r, 20))
    expect(alive(info.pid!)).toBe(false)
  })

  it('says what is wrong with its arguments', () => {
    expect(parseServeArgs(['--port', '0', '--models', 'a', '--models=b', '--threads', '2'])).toEqual({ port: 0, models: ['a', 'b'], threads: 2, help: false })
    expect(parseServeArgs([]).port).toBe(5178)
    expect(() => parseServeArgs(['--port', '70000'])).toThrow('--port needs a whole number 0..65535, got "70000"')
    expect(() => parseServeArgs(['--prot', '1'])).toThrow('unknown option --prot (see --help)')
    expect(() => parseServeArgs(['--models'])).toThrow('--models needs a value (DIR)')
    expect(() => parseServeArgs(['--web='])).toThrow('--web needs a value (DIR), got ""')
    expect(() => parseServeArgs(['--help=yes'])).toThrow('--help takes no value')
    expect(parseServeArgs(['-h']).help).toBe(true)
    expect(SERVE_USAGE).toMatch(/^ {2}--port N {2,}port on 127\.0\.0\.1 .*\n {2}--models DIR {2,}an extra folder of user models \(repeatable\)$/m)
  })
})
