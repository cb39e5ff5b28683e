/**
 * `npm run soak -- [--minutes 10] [--clients 4] [--seed N] [--json FILE]`: the server host under mixed
 * load. Each client starts jobs of every family one after another (random sizes), cancels about a third
 * of them at a random moment, and waits for each to end; halfway through, the engine host is killed
 * once. Every 10 s it samples the resident memory and open file descriptors of the server and of the
 * engine host. Passes when every job ended (done, failed or cancelled) and neither process grew past
 * its warmed-up size by more than the allowance; prints the figures either way.
 *
 * Local, not CI: ten minutes of both cores. Its figures are in the README ("Security and reliability").
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { JobRequest } from '../src/common/contract'
import { Rng } from '../src/common/rng'
import { ServerSession } from '../e2e/helpers/server-rpc'
import { startServer } from './server'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** A job that has not ended this long after its start never will. */
const JOB_END_MS = 120_000
/** Growth allowed past the warmed-up size (after the first minute): ORT arenas and V8 heaps settle. */
const GROWTH_MIB = 150

const { values: opts } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    clients: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    json: { type: 'string' },
  },
})
const minutes = Number(opts.minutes)
const clients = Number(opts.clients)
if (!(minutes > 0) || !Number.isInteger(clients) || clients < 1) throw new Error('--minutes > 0 and --clients ≥ 1, please')

/** Resident memory (MiB) and open descriptors of a process (Linux /proc). */
function usage(pid: number): { rssMiB: number; fds: number } | null {
  try {
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024
    return { rssMiB: Math.round(rss), fds: readdirSync(`/proc/${pid}/fd`).length }
  } catch {
    return null
  }
}

/** One random job of any family, small enough that a client runs dozens in ten minutes. */
function randomJob(rng: Rng): JobRequest {
  const seed = Math.floor(rng.uniform() * 2 ** 32)
  const pick = Math.floor(rng.uniform() * 5)
  const n = (lo: number, hi: number) => lo + Math.floor(rng.uniform() * (hi - lo + 1))
  const jobs: JobRequest[] = [
    { modelId: 'dcgan-emoji', seed, params: { count: n(1, 64) } },
    { modelId: 'vaegan-emoji', seed, params: { count: n(1, 32) } },
    { modelId: 'rbm-mnist', seed, params: { count: n(1, 16), steps: n(10, 200) } },
    { modelId: rng.uniform() < 0.5 ? 'lstm-austen' : 'lstm-mobydick', seed, params: { prime: 'It was', length: n(50, 600), drafts: n(1, 4) } },
    { modelId: 'wavenet-notes', seed, params: { seconds: 0.5, voices: n(1, 2) } },
  ]
  return { ...jobs[pick], ep: 'cpu' }
}

type End = 'done' | 'failed' | 'cancelled' | 'never ended'

async function runClient(port: number, token: string, id: number, until: number, tally: Record<End, number>, log: (s: string) => void) {
  const rng = new Rng(Number(opts.seed) * 1000 + id)
  let s = await ServerSession.open({ port, token })
  while (Date.now() < until) {
    const req = randomJob(rng)
    const cancelAfter = rng.uniform() < 0.33 ? rng.uniform() * 400 : -1
    let end: End
    try {
      end = await new Promise<End>((resolveEnd) => {
        let jobId = ''
        const timer = setTimeout(() => (off(), resolveEnd('never ended')), JOB_END_MS)
        const off = s.onEvent((e) => {
          const p = e.payload as { jobId?: string; cancelled?: boolean }
          if (!jobId || p.jobId !== jobId) return
          if (e.name === 'job/done') (clearTimeout(timer), off(), resolveEnd('done'))
          if (e.name === 'job/failed') (clearTimeout(timer), off(), resolveEnd(p.cancelled ? 'cancelled' : 'failed'))
        })
        s.call('job/start', req).then(
          (r) => {
            jobId = r.jobId
            // Events may have beaten the reply: look back at what this session already received.
            const seen = s.events.find((e) => (e.payload as { jobId?: string }).jobId === jobId && (e.name === 'job/done' || e.name === 'job/failed'))
            if (seen) {
              clearTimeout(timer)
              off()
              resolveEnd(seen.name === 'job/done' ? 'done' : (seen.payload as { cancelled?: boolean }).cancelled ? 'cancelled' : 'failed')
            } else if (cancelAfter >= 0) setTimeout(() => s.call('job/cancel', { jobId }).catch(() => {}), cancelAfter)
          },
          (e: Error) => (clearTimeout(timer), off(), log(`client ${id}: job/start refused: ${e.message}`), resolveEnd('failed')),
        )
      })
    } catch (e) {
      log(`client ${id}: ${(e as Error).message}; reconnecting`)
      s.close()
      s = await ServerSession.open({ port, token })
      continue
    }
    tally[end]++
    s.events.length = 0 // the look-back list would otherwise grow with every event of the run
  }
  s.close()
}

async function main(): Promise<void> {
  const log = (m: string) => process.stderr.write(m + '\n')
  const server = await startServer(ROOT)
  const { port, hash } = new URL(server.url)
  const token = new URLSearchParams(hash.slice(1)).get('token')!
  const t0 = Date.now()
  const until = t0 + minutes * 60_000
  const tally: Record<End, number> = { done: 0, failed: 0, cancelled: 0, 'never ended': 0 }
  const samples: { s: number; server: ReturnType<typeof usage>; engine: ReturnType<typeof usage>; enginePid: number | null }[] = []
  const control = await ServerSession.open({ port: Number(port), token })
  const sample = async () => {
    const enginePid = (await control.call('engine/info', undefined).catch(() => null))?.pid ?? null
    samples.push({ s: Math.round((Date.now() - t0) / 1000), server: usage(server.pid), engine: enginePid ? usage(enginePid) : null, enginePid })
    const last = samples[samples.length - 1]
    log(`${last.s}s: server ${JSON.stringify(last.server)}, engine ${JSON.stringify(last.engine)}; jobs ${JSON.stringify(tally)}`)
  }
  const sampler = setInterval(() => void sample(), 10_000)
  let killed = false
  const killer = setTimeout(async () => {
    const pid = (await control.call('engine/info', undefined)).pid
    if (pid) process.kill(pid, 'SIGKILL')
    killed = true
    log(`killed the engine host (pid ${pid}) at ${Math.round((Date.now() - t0) / 1000)} s`)
  }, (minutes * 60_000) / 2)
  try {
    await Promise.all(Array.from({ length: clients }, (_, i) => runClient(Number(port), token, i, until, tally, log)))
    await sample()
  } finally {
    clearInterval(sampler)
    clearTimeout(killer)
    control.close()
    await server.stop()
  }
  // Growth: the last sample against the first one after a minute of warm-up. The engine host is compared
  // with itself: after the kill, a new one starts cold and loads its sessions again (~150 → ~300 MiB).
  const warm = samples.find((x) => x.s >= 60) ?? samples[0]
  const last = samples[samples.length - 1]
  const engineStart = samples.find((x) => x.enginePid === last.enginePid)?.s ?? last.s
  const engineWarm = samples.find((x) => x.enginePid === last.enginePid && x.s >= engineStart + 60) ?? last
  const growth = {
    serverMiB: (last.server?.rssMiB ?? 0) - (warm.server?.rssMiB ?? 0),
    engineMiB: (last.engine?.rssMiB ?? 0) - (engineWarm.engine?.rssMiB ?? 0),
    serverFds: (last.server?.fds ?? 0) - (warm.server?.fds ?? 0),
  }
  const report = { minutes, clients, jobs: tally, engineKilled: killed, growth, samples }
  console.log(JSON.stringify({ minutes, clients, jobs: tally, engineKilled: killed, growth }, null, 2))
  if (opts.json) writeFileSync(opts.json, JSON.stringify(report, null, 2) + '\n')
  const ok = tally['never ended'] === 0 && killed && growth.serverMiB < GROWTH_MIB && growth.engineMiB < GROWTH_MIB && growth.serverFds < 20
  console.log(ok ? 'soak: passed' : 'soak: FAILED')
  process.exit(ok ? 0 : 1)
}

main().catch((e) => {
  console.error(`soak: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
