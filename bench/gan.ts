/**
 * GAN throughput through the engine host (EngineSupervisor + nodeSpawner, CPU EP): images/s of a
 * 64-image job at batch sizes 1, 16 and 64 (hidden job param `batchSize`), timed in the parent from
 * `job/start` to `job/done`, so process hops and RGBA transfer are included, as a user pays them.
 */
import { join } from 'node:path'
import { EngineSupervisor, nodeSpawner } from '../src/engine'
import type { Events, JobRequest } from '../src/common/contract'
import { median } from './record'

export const GAN_BATCHES = [1, 16, 64] as const
/** Images per timed job: the manifest's largest grid, so batch 64 is one full batch. */
export const IMAGES_PER_JOB = 64

export interface GanRun {
  /** Median images/s per batch size, keyed `b1`, `b16`, `b64`. */
  imagesPerS: Record<string, number>
  /** Every timed run, for the printout. */
  samples: Record<string, number[]>
  /** Intra-op threads the engine used (the baseline gets as many). */
  threads: number
  ep: string
}

/** Start a job and resolve when it is done; events are caught from before the start (they may beat the reply). */
async function runJob(engine: EngineSupervisor, req: JobRequest): Promise<{ ms: number; ep: string }> {
  const finished = new Map<string, { done?: Events['job/done']; failed?: Events['job/failed'] }>()
  let wake: (() => void) | null = null
  const offs = [
    engine.on('job/done', (e) => (finished.set(e.jobId, { done: e }), wake?.())),
    engine.on('job/failed', (e) => (finished.set(e.jobId, { failed: e }), wake?.())),
  ]
  try {
    const t0 = performance.now()
    const { jobId } = await engine.invoke('job/start', req)
    while (!finished.has(jobId)) await new Promise<void>((r) => (wake = r))
    const ms = performance.now() - t0
    const r = finished.get(jobId)!
    if (r.failed) throw new Error(`bench job failed: ${r.failed.error}`)
    return { ms, ep: r.done!.ep }
  } finally {
    for (const off of offs) off()
  }
}

/** `threads`: ORT intra-op threads (default: the engine's own choice, what users get). `runs` timed jobs per batch size after one warm-up each; batch sizes interleave so CPU noise from the shared machine spreads evenly. */
export async function benchGan(root: string, modelId: string, runs: number, log: (s: string) => void, threads?: number): Promise<GanRun> {
  const engine = new EngineSupervisor({
    spawn: nodeSpawner(),
    host: { modelDirs: [{ dir: join(root, 'models'), source: 'shipped' }], appVersion: 'bench', threads },
    log,
  })
  await engine.start()
  try {
    const info = await engine.invoke('engine/info', undefined)
    const req = (b: number, seed: number): JobRequest => ({
      modelId,
      seed,
      params: { count: IMAGES_PER_JOB, batchSize: b },
      ep: 'cpu',
    })
    let ep = 'cpu'
    for (const b of GAN_BATCHES) ep = (await runJob(engine, req(b, 1))).ep // warm-up: session load, first-run allocations
    const samples: Record<string, number[]> = Object.fromEntries(GAN_BATCHES.map((b) => [`b${b}`, []]))
    for (let r = 0; r < runs; r++) {
      for (const b of GAN_BATCHES) {
        const { ms } = await runJob(engine, req(b, 1000 + r))
        samples[`b${b}`].push((IMAGES_PER_JOB * 1000) / ms)
      }
    }
    const imagesPerS = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]))
    return { imagesPerS, samples, threads: info.threads, ep }
  } finally {
    await engine.stop()
  }
}
