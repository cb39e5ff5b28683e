/**
 * FIFO job queue inside the host: one job runs at a time (ORT already uses every core we give it),
 * queued jobs can be cancelled at once, the running one at its next checkpoint. Maintenance work
 * (models/reload) runs between jobs so no session is released under a running job.
 */
import type { JobRequest } from '../common/contract'
import { duplicateJobId } from '../common/rpc-jobs'
import type { JobFeeds } from './feeds'

export { checkJobId } from '../common/rpc-jobs'

/**
 * Ids remembered to refuse reuse: client ids are random (128 bits), so this only catches a client that
 * sends one twice. Finished jobs count too: text families key kept states by job id (JobRequest.branch).
 */
const REMEMBERED_IDS = 10_000

export interface Job {
  id: string
  req: JobRequest
  cancelled: boolean
  /** Items fed to it while queued or running (`job/feed`), made on the first feed. */
  feeds?: JobFeeds
}

export class JobQueue {
  private queue: Job[] = []
  private running: Job | null = null
  private between: (() => Promise<void>)[] = []
  private pumping = false
  /** Every id this queue has been given, oldest first (a Set iterates in insertion order). */
  private seen = new Set<string>()

  /** `execute` never throws: it reports the job's outcome itself (errors are values). */
  constructor(private readonly execute: (job: Job) => Promise<void>) {}

  /** Queue a job; throws if its id was used before (queued, running or finished). */
  add(job: Job): void {
    if (this.seen.has(job.id)) throw new Error(duplicateJobId(job.id))
    this.seen.add(job.id)
    if (this.seen.size > REMEMBERED_IDS) this.seen.delete(this.seen.values().next().value!)
    this.queue.push(job)
    // Deferred: the job/start reply must leave before this job's first event (a refusal can be instant).
    setImmediate(() => void this.pump())
  }

  /**
   * Returns the removed job when it was still queued (the caller reports it cancelled), `'running'`
   * when the running job was flagged, `null` when the id is unknown or already finished.
   */
  cancel(id: string): Job | 'running' | null {
    if (typeof id !== 'string') throw new Error(`job/cancel needs the jobId of a job, got ${JSON.stringify(id)}`)
    if (this.running && this.running.id === id) {
      this.running.cancelled = true
      return 'running'
    }
    const i = this.queue.findIndex((j) => j.id === id)
    if (i < 0) return null
    const [job] = this.queue.splice(i, 1)
    job.cancelled = true
    return job
  }

  /** The running or queued job with this id (not one that ended). */
  find(id: string): Job | undefined {
    return this.running?.id === id ? this.running : this.queue.find((j) => j.id === id)
  }

  /** Run `fn` as soon as no job is running, ahead of queued jobs. */
  runBetweenJobs<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.between.push(() => fn().then(resolve, reject))
      void this.pump()
    })
  }

  get size(): number {
    return this.queue.length + (this.running ? 1 : 0)
  }

  private async pump(): Promise<void> {
    if (this.pumping) return
    this.pumping = true
    try {
      for (;;) {
        const task = this.between.shift()
        if (task) {
          await task().catch(() => {}) // its caller got the rejection
          continue
        }
        const job = this.queue.shift()
        if (!job) break
        this.running = job
        try {
          await this.execute(job)
        } catch (e) {
          console.error(`[engine] job ${job.id} escaped its error handling:`, e) // keep the queue alive
        } finally {
          this.running = null
        }
      }
    } finally {
      this.pumping = false
    }
  }
}
