/**
 * Starts the headless server host for the browser bench: `tsx src/server/main.ts --port 0` with an
 * empty user-models folder, reading the address it prints. Stops it (and its engine host) on `stop()`.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface BenchServer {
  /** `http://127.0.0.1:PORT/#token=TOKEN` */
  url: string
  /** The server process (its engine host is a child of it). */
  pid: number
  stop(): Promise<void>
}

/** `args`: more server flags (`--models DIR`: a folder of models beside the shipped ones). */
export async function startServer(root: string, args: string[] = []): Promise<BenchServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/server/main.ts'), '--port', '0', ...args], {
    cwd: root,
    env: { ...process.env, LATENT_STUDIO_MODELS: mkdtempSync(join(tmpdir(), 'latent-bench-models-')) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let errText = ''
  child.stderr.on('data', (d: Buffer) => (errText += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`server did not print its address in 120 s\n${errText}`)), 120_000)
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /Latent Studio at (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited (${code}) before printing its address\n${errText}`))
    })
  })
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        const force = setTimeout(() => child.kill('SIGKILL'), 5_000)
        child.once('exit', () => (clearTimeout(force), resolve()))
        child.kill('SIGTERM') // the server stops its engine host on SIGTERM
      }),
  }
}
