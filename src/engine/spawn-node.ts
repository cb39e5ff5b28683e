/**
 * `nodeSpawner`: the SpawnHost for the server, CLI, bench and tests — a Node child process via
 * `child_process.fork`, serialization 'advanced' (structured clone: RGBA Uint8Arrays and audio
 * Float32Arrays cross as typed arrays, not JSON). Electron's main passes its own utilityProcess spawner.
 */
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { HostMessage, HostPort, SpawnHost } from './protocol'

export interface NodeSpawnerOptions {
  /** Host entry; default: host-main.ts beside this file (under tsx), else host-main.js / engine-host.js. */
  hostPath?: string
  /** Node flags for the child; default `--import <tsx loader>` for a .ts entry, none for .js. */
  execArgv?: string[]
  env?: NodeJS.ProcessEnv
}

/** Where the host entry is and how to run it, whether we run from TS source or from built JS. */
export function resolveHostEntry(opts: NodeSpawnerOptions = {}): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url)
  const dir = dirname(here)
  const path =
    opts.hostPath ??
    (here.endsWith('.ts')
      ? join(dir, 'host-main.ts')
      : [join(dir, 'host-main.js'), join(dir, 'engine-host.js')].find((p) => existsSync(p)) ?? join(dir, 'host-main.js'))
  if (opts.execArgv) return { path, execArgv: opts.execArgv }
  if (!path.endsWith('.ts')) return { path, execArgv: [] }
  // Absolute loader URL: `--import tsx` alone would resolve from the child's cwd, which may be anywhere.
  let loader = 'tsx'
  try {
    loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  } catch {
    // fall back to resolution from cwd
  }
  return { path, execArgv: ['--import', loader] }
}

export function nodeSpawner(opts: NodeSpawnerOptions = {}): SpawnHost {
  const entry = resolveHostEntry(opts)
  return (): HostPort => {
    const child = fork(entry.path, [], {
      serialization: 'advanced',
      execArgv: entry.execArgv, // not the parent's (vitest/tsx flags would leak in)
      env: opts.env ?? process.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    // A send racing the child's death emits 'error'; unhandled it would take the parent down with it.
    child.on('error', (e) => console.warn(`[engine] host process ${child.pid}: ${e.message}`))
    return {
      postMessage: (m: HostMessage) => {
        if (child.connected) child.send(m)
      },
      onMessage: (cb) => void child.on('message', (m) => cb(m as HostMessage)),
      onExit: (cb) => void child.once('exit', (code) => cb(code)),
      kill: () => void child.kill(),
      get pid() {
        return child.pid ?? null
      },
    }
  }
}
