/**
 * GAN throughput through the engine host (EngineSupervisor + nodeSpawner, CPU EP): images/s of a
 * 64-image job at batch sizes 1, 16 and 64 (hidden job param `batchSize`), timed in the parent from
 * `job/start` to `job/done`, so process hops and RGBA transfer are included, as a user pays them.
 */
import type { JobRequest } from '../src/common/contract'
import { medians, timedRuns, timeJob, withBenchEngine } from './engine-runs'

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

/** `threads`: ORT intra-op threads (default: the engine's own choice, what users get). `runs` timed jobs per batch size after one warm-up each; batch sizes interleave so CPU noise from the shared machine spreads evenly. */
export async function benchGan(root: string, modelId: string, runs: number, log: (s: string) => void, threads?: number): Promise<GanRun> {
  return withBenchEngine(root, log, threads, async (engine, info) => {
    const req = (b: number, seed: number): JobRequest => ({
      modelId,
      seed,
      params: { count: IMAGES_PER_JOB, batchSize: b },
      ep: 'cpu',
    })
    let ep = 'cpu'
    for (const b of GAN_BATCHES) ep = (await timeJob(engine, req(b, 1))).ep // warm-up: session load, first-run allocations
    const samples = await timedRuns(GAN_BATCHES, runs, async (b, r) => (IMAGES_PER_JOB * 1000) / (await timeJob(engine, req(b, 1000 + r))).ms)
    return { imagesPerS: medians(samples), samples, threads: info.threads, ep }
  })
}
