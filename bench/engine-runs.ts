/**
 * The part every engine-host benchmark shares: start a supervised host on the shipped models (CPU EP),
 * time one job from `job/start` to `job/done` in this process (process hops and transfers included, as
 * a user pays them), and interleave timed runs over batch sizes so noise from the shared CPU spreads evenly.
 */
import { join } from 'node:path'
import { newJobId, type EngineInfo, type Events, type JobPart, type JobRequest } from '../src/common/contract'
import { EngineSupervisor, nodeSpawner } from '../src/engine'
import { median } from './record'

/**
 * Run `fn` on a started engine host over `root/models` (or `modelsDir`); `threads`: ORT intra-op threads
 * (default: the engine's own choice).
 */
export async function withBenchEngine<T>(
  root: string,
  log: (s: string) => void,
  threads: number | undefined,
  fn: (engine: EngineSupervisor, info: EngineInfo) => Promise<T>,
  modelsDir = join(root, 'models'),
): Promise<T> {
  const engine = new EngineSupervisor({
    spawn: nodeSpawner(),
    host: { modelDirs: [{ dir: modelsDir, source: 'shipped' }], appVersion: 'bench', threads },
    log,
  })
  await engine.start()
  try {
    return await fn(engine, await engine.invoke('engine/info', undefined))
  } finally {
    await engine.stop()
  }
}

/** One job, timed; throws if it failed. `count` sums a number over the job's parts (e.g. characters). */
export async function timeJob(
  engine: EngineSupervisor,
  req: JobRequest,
  count?: (part: JobPart) => number,
): Promise<{ ms: number; ep: string; counted: number }> {
  // Our own id: the job's events are recognised from the first one, even if it beats the reply.
  const jobId = newJobId()
  let counted = 0
  let end!: (e: { done?: Events['job/done']; failed?: Events['job/failed'] }) => void
  const ended = new Promise<{ done?: Events['job/done']; failed?: Events['job/failed'] }>((r) => (end = r))
  const offs = [
    engine.on('job/done', (e) => e.jobId === jobId && end({ done: e })),
    engine.on('job/failed', (e) => e.jobId === jobId && end({ failed: e })),
  ]
  if (count) offs.push(engine.on('job/partial', (e) => void (e.jobId === jobId && (counted += count(e.part)))))
  try {
    const t0 = performance.now()
    await engine.invoke('job/start', { ...req, jobId })
    const r = await ended
    const ms = performance.now() - t0
    if (r.failed) throw new Error(`${req.modelId} bench job failed: ${r.failed.error}`)
    return { ms, ep: r.done!.ep, counted }
  } finally {
    for (const off of offs) off()
  }
}

/** `runs` rounds over `batches` (interleaved); `measure(b, r)` gives one sample. Keyed `b<batch>`. */
export async function timedRuns(
  batches: readonly number[],
  runs: number,
  measure: (b: number, r: number) => Promise<number>,
): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = Object.fromEntries(batches.map((b) => [`b${b}`, []]))
  for (let r = 0; r < runs; r++) for (const b of batches) samples[`b${b}`].push(await measure(b, r))
  return samples
}

/** The median of each list of samples. */
export const medians = (samples: Record<string, number[]>): Record<string, number> =>
  Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]))
