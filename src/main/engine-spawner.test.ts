/**
 * The utilityProcess spawner with Electron's utilityProcess mocked: the host is forked as the
 * `latent-engine` service, `init` sent before the process is up is not lost, and messages, exit and
 * kill pass through.
 */
import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'

const m = vi.hoisted(() => ({ forks: [] as { path: string; args: string[]; options: Record<string, unknown>; child: unknown }[] }))
vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events')
  class FakeUtility extends EventEmitter {
    pid: number | undefined = undefined
    posted: unknown[] = []
    killed = false
    postMessage(msg: unknown) {
      if (this.pid === undefined) throw new Error('posted before spawn')
      this.posted.push(msg)
    }
    kill() {
      this.killed = true
      return true
    }
  }
  return {
    utilityProcess: {
      fork: (path: string, args: string[], options: Record<string, unknown>) => {
        const child = new FakeUtility()
        m.forks.push({ path, args, options, child })
        return child
      },
    },
  }
})

const { utilitySpawner } = await import('./engine-spawner')

type Fake = EventEmitter & { pid?: number; posted: unknown[]; killed: boolean }

describe('utilityProcess spawner', () => {
  it('forks the host as the latent-engine service and relays messages, exit and kill', () => {
    const port = utilitySpawner('/app/out/main/engine-host.js')()
    const { path, args, options, child } = m.forks[0] as { path: string; args: string[]; options: Record<string, unknown>; child: Fake }
    expect([path, args, options.serviceName]).toEqual(['/app/out/main/engine-host.js', [], 'latent-engine'])
    expect(port.pid).toBeNull()

    const init = { t: 'req' as const, id: 1, method: 'host/init', args: { modelDirs: [], appVersion: 't' } }
    port.postMessage(init) // before 'spawn': must be held, not thrown or dropped
    child.pid = 4242
    child.emit('spawn')
    expect(child.posted).toEqual([init])
    expect(port.pid).toBe(4242)

    const got: unknown[] = []
    port.onMessage((msg) => got.push(msg))
    const rgba = new Uint8Array([1, 2, 3, 4])
    child.emit('message', { t: 'evt', name: 'job/partial', payload: { rgba } })
    expect(got).toEqual([{ t: 'evt', name: 'job/partial', payload: { rgba } }])

    let code: number | null | undefined
    port.onExit((c) => (code = c))
    port.kill()
    expect(child.killed).toBe(true)
    child.emit('exit', 9)
    expect(code).toBe(9)
    port.postMessage(init) // after exit: ignored, not thrown
    expect(child.posted).toHaveLength(1)
  })

  it('survives a fatal error report from the host (it is followed by exit)', () => {
    utilitySpawner('/x.js')()
    const child = m.forks.at(-1)!.child as Fake
    const err = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => child.emit('error', 'FatalError', 'v8', '')).not.toThrow()
    expect(err).toHaveBeenCalledWith(expect.stringMatching(/FatalError/))
    err.mockRestore()
  })
})
