/**
 * Where models live: the repo's shipped `models/` and a per-user folder. Node only.
 */
import { mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/** One folder of `<id>/model.json` model folders. */
export interface ModelDir {
  dir: string
  source: 'shipped' | 'user'
}

/** The user models folder: `$LATENT_STUDIO_MODELS`, else `~/.latent-studio/models`. */
export function userModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.LATENT_STUDIO_MODELS || join(homedir(), '.latent-studio', 'models'))
}

/**
 * Shipped `<repoRoot>/models` first, then the user folder. The user folder is created on a best-effort
 * basis (a read-only home must not stop the studio); the registry tolerates either folder missing.
 */
export function defaultModelDirs(repoRoot: string, env: NodeJS.ProcessEnv = process.env): ModelDir[] {
  const user = userModelsDir(env)
  try {
    mkdirSync(user, { recursive: true })
  } catch {
    // tolerated: the registry lists what exists
  }
  return [
    { dir: resolve(repoRoot, 'models'), source: 'shipped' },
    { dir: user, source: 'user' },
  ]
}
