/**
 * `npm run serve -- [--port N] [--models DIR]... [--threads N] [--history DIR]`: the studio in any browser.
 * Prints `Latent Studio at http://127.0.0.1:PORT/#token=TOKEN`; SIGINT/SIGTERM stop the engine host
 * and exit 0.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EngineSupervisor, HistoryStore, defaultHistoryDir, defaultModelDirs, nodeSpawner } from '../engine'
import { parseServeArgs, SERVE_USAGE } from './args'
import { hasWebBuild, MISSING_WEB_MESSAGE, startServer } from './server'

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

function fail(message: string): never {
  process.stderr.write(`latent-studio serve: ${message}\n`)
  process.exit(1)
}

async function main(): Promise<void> {
  let args
  try {
    args = parseServeArgs(process.argv.slice(2))
  } catch (e) {
    fail((e as Error).message)
  }
  if (args.help) {
    process.stdout.write(SERVE_USAGE + '\n')
    return
  }
  const webRoot = resolve(args.web ?? resolve(REPO_ROOT, 'out/web'))
  if (!hasWebBuild(webRoot)) process.stderr.write(`warning: ${MISSING_WEB_MESSAGE} (looked in ${webRoot})\n`)

  const appVersion = (JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version
  const modelDirs = [...defaultModelDirs(REPO_ROOT), ...args.models.map((d) => ({ dir: resolve(d), source: 'user' as const }))]
  const engine = new EngineSupervisor(nodeSpawner(), { modelDirs, threads: args.threads, appVersion })
  await engine.start()

  const token = process.env.LATENT_STUDIO_TOKEN || randomBytes(16).toString('hex')
  let server
  try {
    const history = new HistoryStore(args.history ? resolve(args.history) : defaultHistoryDir())
    server = await startServer({ port: args.port, token, webRoot, engine, history })
  } catch (e) {
    await engine.stop()
    const err = e as NodeJS.ErrnoException
    fail(err.code === 'EADDRINUSE' ? `port ${args.port} is in use (try --port 0 for any free port)` : err.message)
  }
  process.stdout.write(`Latent Studio at ${server.url}\n`)

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    process.stderr.write(`${signal}: stopping\n`)
    await server.close()
    await engine.stop()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop('SIGINT'))
  process.once('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((e) => fail(e instanceof Error ? e.message : String(e)))
