/** The CLI as a subprocess (tsx, like `npm run cli`) from a folder of the test's, for tests that run it as a user does. */
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { REPO_ROOT } from './engine'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Absolute loader URL: the CLI runs from a temp cwd where a bare `tsx` would not resolve. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

export function runCli(cwd: string, ...args: string[]): Promise<CliRun> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', TSX, join(REPO_ROOT, 'src/cli/main.ts'), ...args], { cwd, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}
