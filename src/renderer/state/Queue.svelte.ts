/**
 * The studio's one queue, for every modality: jobs wait here in the order the user chose and go to the
 * engine one at a time. The engine's own queue is first-in first-out and cannot reorder, so jobs that
 * have not started stay here and the next is sent when the engine ends the current one (a round trip
 * between jobs, ~1 ms locally, against jobs of 50 ms and more). Each job's place, an ETA from measured
 * speed (lib/eta.ts) and the last few that ended are what the queue strip shows.
 */
import { formatEta, queueEtas, remainingMs, SpeedBook, type EtaJob } from '../lib/eta'
import type { Job } from './Job.svelte'

/** Ended jobs the strip keeps showing (their results stay in history either way). */
const KEEP_ENDED = 6
/** How often ETAs count down while a job runs. */
const TICK_MS = 500

export class Queue {
  /** Measured speed per model, from the jobs this queue ran. */
  readonly speeds = new SpeedBook()
  readonly #send: (job: Job) => Promise<void>
  #waiting = $state.raw<Job[]>([])
  #current = $state.raw<Job | null>(null)
  #ended = $state.raw<Job[]>([])
  #now = $state(performance.now())
  #tick: ReturnType<typeof setInterval> | null = null

  /** `send` starts a job in the engine; it reports the job's end (or a failed start) through `end`. */
  constructor(send: (job: Job) => Promise<void>) {
    this.#send = send
  }

  /** Not sent yet, in the order they will run. */
  get waiting(): readonly Job[] { return this.#waiting }
  /** Sent to the engine and not ended. */
  get current(): Job | null { return this.#current }
  /** The last few that ended, newest first. */
  get ended(): readonly Job[] { return this.#ended }
  /** Jobs that have not ended. */
  get size(): number { return this.#waiting.length + (this.#current ? 1 : 0) }

  /** Queue a job; it goes at once when nothing runs. */
  add(job: Job): void {
    job.queue()
    this.#waiting = [...this.#waiting, job]
    this.#pump()
  }

  /** The engine ended `job` (`doneMs`: its engine time when it finished, which measures the model's speed). */
  end(job: Job, doneMs: number | null = null): void {
    if (this.#current !== job) return
    if (doneMs !== null) this.speeds.record(job.model.id, job.work, doneMs)
    this.#current = null
    this.#remember(job)
    this.#pump()
  }

  /** Take a job that has not started out of the queue (it ends as cancelled); false if it is not waiting. */
  drop(job: Job): boolean {
    if (!this.#waiting.includes(job)) return false
    this.#waiting = this.#waiting.filter((j) => j !== job)
    job.fail('', true)
    this.#remember(job)
    return true
  }

  /** Move a waiting job `delta` places (−1: it runs sooner). */
  move(job: Job, delta: number): void {
    const from = this.#waiting.indexOf(job)
    const to = Math.max(0, Math.min(this.#waiting.length - 1, from + delta))
    if (from < 0 || to === from) return
    const next = this.#waiting.filter((j) => j !== job)
    next.splice(to, 0, job)
    this.#waiting = next
  }

  clearEnded(): void {
    this.#ended = []
  }

  /** 1-based place among the waiting jobs; 0 for the running one; null once ended. */
  position(job: Job): number | null {
    if (job === this.#current) return 0
    const i = this.#waiting.indexOf(job)
    return i < 0 ? null : i + 1
  }

  /** Ms from now until `job` ends, from measured speed; null while unknown (or when it is not queued). */
  eta(job: Job): number | null {
    const now = this.#now
    const current = this.#current
    const run: EtaJob | null = current && {
      modelId: current.model.id,
      work: current.work,
      fraction: current.progressShown.total ? current.progressShown.done / current.progressShown.total : 0,
      elapsedMs: current.sentAt === null ? 0 : now - current.sentAt,
    }
    const rate = (m: string) => this.speeds.rate(m)
    if (job === current) return run && remainingMs(run, rate)
    const i = this.#waiting.indexOf(job)
    if (i < 0) return null
    return queueEtas(run, this.#waiting.slice(0, i + 1).map((j) => ({ modelId: j.model.id, work: j.work })), rate)[i]
  }

  /** "ETA 4 s", or why there is none yet. */
  etaText(job: Job): string {
    const ms = this.eta(job)
    if (ms !== null) return `ETA ${formatEta(ms)}`
    return this.speeds.samples(job.model.id) ? 'ETA once the jobs ahead are measured' : 'ETA after a first run'
  }

  dispose(): void {
    this.#stopTick()
  }

  #remember(job: Job): void {
    this.#ended = [job, ...this.#ended.filter((j) => j !== job)].slice(0, KEEP_ENDED)
  }

  #pump(): void {
    if (this.#current || !this.#waiting.length) {
      if (!this.#current) this.#stopTick()
      return
    }
    const [job, ...rest] = this.#waiting
    this.#waiting = rest
    this.#current = job
    this.#tick ??= setInterval(() => (this.#now = performance.now()), TICK_MS)
    void this.#send(job)
  }

  #stopTick(): void {
    if (this.#tick !== null) clearInterval(this.#tick)
    this.#tick = null
  }
}
