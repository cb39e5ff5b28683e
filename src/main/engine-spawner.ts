/**
 * SpawnHost for the desktop app: the engine host as an Electron utility process (its own OS
 * process, so `session.run` never blocks the main thread or a window). Messages are structured
 * clones: RGBA Uint8Arrays and audio Float32Arrays arrive as typed arrays.
 */
import { utilityProcess, type UtilityProcess } from 'electron'
import type { HostMessage, HostPort, SpawnHost } from '../engine'

/** `hostPath`: the built host entry, `out/main/engine-host.js`. */
export function utilitySpawner(hostPath: string): SpawnHost {
  return (): HostPort => {
    const child: UtilityProcess = utilityProcess.fork(hostPath, [], {
      serviceName: 'latent-engine',
      stdio: 'inherit',
    })
    // Messages sent before the process is up are held here, so `init` is never lost.
    let queue: HostMessage[] | null = []
    child.once('spawn', () => {
      for (const m of queue ?? []) child.postMessage(m)
      queue = null
    })
    // A fatal V8 error in the host is reported here and followed by 'exit'; unhandled it would throw.
    child.on('error', (type: string, location: string) => console.error(`[engine] host ${type} at ${location}`))
    let exited = false
    child.once('exit', () => {
      exited = true
      queue = null
    })
    return {
      postMessage(m: HostMessage) {
        if (exited) return
        if (queue) queue.push(m)
        else child.postMessage(m)
      },
      onMessage: (cb) => void child.on('message', (m: unknown) => cb(m as HostMessage)),
      onExit: (cb) => void child.once('exit', (code: number) => cb(code)),
      kill: () => void child.kill(),
      get pid() {
        return child.pid ?? null
      },
    }
  }
}
