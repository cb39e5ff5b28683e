/**
 * The CLI's engine: the same supervised host process as the studio (node spawner), never ORT on the
 * CLI's own thread. `withEngine` always stops the host, so a failed command still exits.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EngineSupervisor, defaultModelDirs, nodeSpawner } from '../engine'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** package.json version: recipes record which app made a file. */
export function appVersion(): string {
  return (JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version
}

export interface EngineFlags {
  /** Extra user model folders. */
  models: string[]
  threads?: number
}

export async function withEngine<T>(flags: EngineFlags, fn: (engine: EngineSupervisor) => Promise<T>): Promise<T> {
  const modelDirs = [...defaultModelDirs(REPO_ROOT), ...flags.models.map((d) => ({ dir: resolve(d), source: 'user' as const }))]
  const engine = new EngineSupervisor(nodeSpawner(), { modelDirs, threads: flags.threads, appVersion: appVersion() })
  await engine.start()
  try {
    return await fn(engine)
  } finally {
    await engine.stop()
  }
}
