/**
 * Test helpers for the engine's Vitest suites (not used at runtime): start a real supervised host on
 * given model folders and run one job to its end, collecting what a client would see.
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Events, JobPart, JobRequest } from '../common/contract'
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
 * Start `req` on a real engine and resolve with `o` once the job is done or failed, filling its id,
 * progress and end; `onPart` sees each of this job's parts in arrival order, `onStarted` runs once
 * the id is known (both may cancel or kill the host mid-job).
 */
export async function driveJob<O extends JobEnd>(
  engine: EngineSupervisor,
  req: JobRequest,
  o: O,
  hooks: { onPart?: (part: JobPart) => void; onStarted?: () => void } = {},
): Promise<O> {
  // Events may arrive right after the reply: buffer them until the id is known.
  const early: [keyof Events, { jobId: string }][] = []
  let finish!: () => void
  const finished = new Promise<void>((r) => (finish = r))
  const handle = (name: keyof Events, p: { jobId: string }) => {
    if (!o.jobId) return void early.push([name, p])
    if (p.jobId !== o.jobId) return
    if (name === 'job/partial') hooks.onPart?.((p as Events['job/partial']).part)
    else if (name === 'job/progress') o.progress.push(p as Events['job/progress'])
    else if (name === 'job/done') (o.done = p as Events['job/done']), finish()
    else if (name === 'job/failed') (o.failed = p as Events['job/failed']), finish()
  }
  const offs = (['job/partial', 'job/progress', 'job/done', 'job/failed'] as const).map((n) => engine.on(n, (p) => handle(n, p)))
  try {
    o.jobId = (await engine.invoke('job/start', req)).jobId
    hooks.onStarted?.()
    for (const [n, p] of early.splice(0)) handle(n, p)
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
