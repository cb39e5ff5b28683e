/**
 * The engine host as a supervised process: EP fallback is visible, cancel is quick, a killed host
 * fails its job loudly and comes back, and the parent's event loop never waits on inference.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineState } from '../common/contract'
import { epCandidates } from './sessions'
import { nodeSpawner } from './spawn-node'
import { EngineSupervisor } from './supervisor'
import { GAN_ID, runJob, SHIPPED_DIR, startEngine } from './testing'

const cudaInstalled = epCandidates('auto', 'linux').includes('cuda')

describe('supervised engine host', () => {
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }])
  const states: EngineState[] = []
  engine.on('engine/status', (s) => states.push(s.state))
  beforeAll(() => engine.start())
  afterAll(() => engine.stop())
  // Long enough to cancel/kill mid-way: 64 images in batches of 2 (≈ 32 runs).
  const long = { modelId: GAN_ID, seed: 1, params: { count: 64, batchSize: 2 }, ep: 'cpu' as const }

  it.skipIf(cudaInstalled)('falls back to CPU with a visible warning when pinned CUDA cannot start', async () => {
    const o = await runJob(engine, { modelId: GAN_ID, seed: 7, params: { count: 2 }, ep: 'cuda' })
    expect(o.done?.ep).toBe('cpu')
    expect(o.done?.recipe).toMatchObject({ ep: 'cpu', epPref: 'cuda' })
    expect(o.done?.warnings.join('\n')).toMatch(/CUDA was requested but could not start: .+; running on CPU/)
    // The fallback is the same model on CPU: the pixels match a CPU job.
    const cpu = await runJob(engine, { modelId: GAN_ID, seed: 7, params: { count: 2 }, ep: 'cpu' })
    expect(Buffer.from(o.images[1].rgba).equals(Buffer.from(cpu.images[1].rgba))).toBe(true)
  })

  it('cancels a running job within 100 ms and reports it cancelled', async () => {
    let cancelledAt = 0
    // Default batch size, threads as configured: the latency a user gets.
    const o = await runJob(engine, { ...long, params: { count: 64 } }, {
      onPartial: (o) => {
        if (o.images.length !== 4) return
        cancelledAt = performance.now()
        void engine.invoke('job/cancel', { jobId: o.jobId })
      },
    })
    const ms = performance.now() - cancelledAt
    expect(o.failed).toMatchObject({ cancelled: true })
    expect(o.images.length).toBeLessThan(64)
    console.log(`cancel took ${ms.toFixed(1)} ms`)
    expect(ms).toBeLessThan(100)
  })

  it('cancels a queued job at once while the running one finishes', async () => {
    let firstRunning!: () => void
    const running = new Promise<void>((r) => (firstRunning = r))
    const first = runJob(engine, { ...long, params: { count: 64, batchSize: 1 } }, { onPartial: () => firstRunning() })
    let queuedId = ''
    const second = runJob(engine, { ...long, seed: 2 }, { onStarted: (o) => (queuedId = o.jobId) })
    await running // the first job's first image: it runs, so the second one waits in the queue
    while (!queuedId) await new Promise((r) => setTimeout(r, 1))
    expect(await engine.invoke('job/cancel', { jobId: queuedId })).toEqual({ cancelled: true })
    const [a, b] = await Promise.all([first, second])
    expect(b.failed).toMatchObject({ cancelled: true })
    expect(b.images).toHaveLength(0)
    expect(a.done).toBeDefined()
    expect(a.images).toHaveLength(64)
    expect(await engine.invoke('job/cancel', { jobId: a.jobId })).toEqual({ cancelled: false })
  })

  it('runs a job under the id its client chose and refuses that id again, live or finished', async () => {
    const jobId = 'client-chosen-1'
    const ended = new Promise<string>((resolve) => engine.on('job/done', (p) => p.jobId === jobId && resolve(p.jobId)))
    expect(await engine.invoke('job/start', { jobId, modelId: GAN_ID, seed: 1, params: { count: 1 }, ep: 'cpu' })).toEqual({ jobId })
    // Still live in this client: refused before it leaves the process.
    await expect(engine.invoke('job/start', { jobId, modelId: GAN_ID, seed: 1, params: {} })).rejects.toThrow('job id "client-chosen-1" is already in use')
    expect(await ended).toBe(jobId)
    // Finished: the engine host refuses it (text families keep states by job id).
    await expect(engine.invoke('job/start', { jobId, modelId: GAN_ID, seed: 1, params: {} })).rejects.toThrow('job id "client-chosen-1" is already in use')
    await expect(engine.invoke('job/cancel', {} as never)).rejects.toThrow('job/cancel needs the jobId of a job, got undefined')
  })

  it('keeps the parent event loop free during a long generation (1 ms timer, max gap < 50 ms)', async () => {
    let last = performance.now()
    let maxGap = 0
    let ticks = 0
    const timer = setInterval(() => {
      const now = performance.now()
      maxGap = Math.max(maxGap, now - last)
      last = now
      ticks++
    }, 1)
    // At least a second of generation (64-image grids, one image per run), whatever the CPU speed.
    const t0 = performance.now()
    let images = 0
    for (let i = 0; i < 20 && performance.now() - t0 < 1000; i++) {
      images += (await runJob(engine, { ...long, seed: i, params: { count: 64, batchSize: 1 } })).images.length
    }
    clearInterval(timer)
    expect(images % 64).toBe(0)
    expect(ticks).toBeGreaterThan(100)
    console.log(`max timer gap ${maxGap.toFixed(1)} ms over ${ticks} ticks`)
    expect(maxGap).toBeLessThan(50)
  })

  it('fails the running job with a clear message when the host is killed, restarts it, and runs the next job', async () => {
    const pid = engine.pid
    states.length = 0
    const o = await runJob(engine, long, { onPartial: (o) => o.images.length === 2 && process.kill(pid!) })
    expect(o.failed?.cancelled).toBe(false)
    expect(o.failed?.error).toMatch(/^the engine process (was killed|stopped \(exit code \d+\)) while running this job — it has been restarted$/)
    const next = await runJob(engine, { modelId: GAN_ID, seed: 7, params: { count: 2 }, ep: 'cpu' })
    expect(next.done).toBeDefined()
    expect(states).toEqual(['restarting', 'ready'])
    expect(engine.pid).not.toBe(pid)
    expect((await engine.invoke('engine/info', undefined)).state).toBe('ready')
  })
})

describe('crash loop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-crash-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('stops restarting a host that keeps dying and says why', async () => {
    const script = join(dir, 'dies.mjs')
    writeFileSync(script, 'process.exit(3)\n')
    const engine = new EngineSupervisor({
      spawn: nodeSpawner({ hostPath: script }),
      host: { modelDirs: [], appVersion: 'test' },
      maxCrashes: 2,
      log: () => {},
    })
    await expect(engine.start()).rejects.toThrow(/the engine process stopped \(exit code 3\), and crashed 3 times/)
    expect(engine.state).toBe('stopped')
    await expect(engine.invoke('models/list', undefined)).rejects.toThrow(/crashed 3 times .*: not restarting/)
  })
})
