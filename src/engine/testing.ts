/**
 * Test helpers for the engine's Vitest suites (not used at runtime): start a real supervised host on
 * given model folders and run one job to its end, collecting what a client would see.
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { newJobId, type Events, type JobPart, type JobRequest } from '../common/contract'
import type { ModelDir } from './model-dirs'
import { nodeSpawner } from './spawn-node'
import { EngineSupervisor, type SupervisorOptions } from './supervisor'

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../..')
/** The shipped models folder and the GAN every engine test runs for real. */
export const SHIPPED_DIR = resolve(REPO_ROOT, 'models')
export const GAN_ID = 'dcgan-emoji'

export function startEngine(dirs: ModelDir[], extra: Partial<SupervisorOptions> = {}): EngineSupervisor {
  return new EngineSupervisor({
    spawn: nodeSpawner(),
    host: { modelDirs: dirs, appVersion: '0.0.0-test', threads: 1 },
    log: () => {},
    ...extra,
  })
}

export interface JobOutcome extends JobEnd {
  images: Extract<JobPart, { kind: 'image' }>[]
}

/** What every job run ends with; the per-family outcomes extend it with their parts. */
export interface JobEnd {
  jobId: string
  progress: Events['job/progress'][]
  done?: Events['job/done']
  failed?: Events['job/failed']
}

/**
 * Start `req` on a real engine under a fresh client-chosen id and resolve with `o` once the job is done
 * or failed, filling its id, progress and end; `onPart` sees each of this job's parts in arrival order,
 * `onStarted` runs once the start was accepted (both may cancel or kill the host mid-job).
 */
export async function driveJob<O extends JobEnd>(
  engine: EngineSupervisor,
  req: JobRequest,
  o: O,
  hooks: { onPart?: (part: JobPart) => void; onStarted?: () => void } = {},
): Promise<O> {
  // The id is ours before the request leaves, so events that beat the reply are already ours.
  const jobId = (o.jobId = newJobId())
  let finish!: () => void
  const finished = new Promise<void>((r) => (finish = r))
  const offs = [
    engine.on('job/partial', (p) => p.jobId === jobId && hooks.onPart?.(p.part)),
    engine.on('job/progress', (p) => p.jobId === jobId && o.progress.push(p)),
    engine.on('job/done', (p) => p.jobId === jobId && ((o.done = p), finish())),
    engine.on('job/failed', (p) => p.jobId === jobId && ((o.failed = p), finish())),
  ]
  try {
    await engine.invoke('job/start', { ...req, jobId })
    hooks.onStarted?.()
    await finished
    return o
  } finally {
    for (const off of offs) off()
  }
}

/**
 * Start a job and resolve when it is done or failed. `onStarted` runs once the job id is known,
 * `onPartial` on every part (e.g. to cancel or kill the host mid-job).
 */
export function runJob(
  engine: EngineSupervisor,
  req: JobRequest,
  hooks: { onPartial?: (o: JobOutcome) => void; onStarted?: (o: JobOutcome) => void } = {},
): Promise<JobOutcome> {
  const o: JobOutcome = { jobId: '', images: [], progress: [] }
  return driveJob(engine, req, o, {
    onPart: (part) => {
      if (part.kind === 'image') o.images.push(part)
      hooks.onPartial?.(o)
    },
    onStarted: () => hooks.onStarted?.(o),
  })
}
