/**
 * Routes job events to the client that started the job. The engine host may emit a job's first
 * events before the `job/start` reply has come back (it queues and starts the job, then replies),
 * so events of a job nobody has claimed yet are held until `claim` (or dropped after `holdMs`).
 */
import type { Envelope } from '../common/contract'

type JobEvent = Extract<Envelope, { t: 'evt' }>

export class JobRouter {
  private owners = new Map<string, number>()
  private held = new Map<string, { events: JobEvent[]; timer: ReturnType<typeof setTimeout> }>()

  constructor(
    /** Deliver to one client (no-op if it has gone). */
    private readonly deliver: (clientId: number, env: JobEvent) => void,
    /** How long unclaimed events wait: a job started by a client that vanished mid-reply. */
    private readonly holdMs = 30_000,
  ) {}

  /** A job event from the engine. `last` = job/done or job/failed. */
  event(jobId: string, env: JobEvent, last: boolean): void {
    const owner = this.owners.get(jobId)
    if (owner !== undefined) {
      this.deliver(owner, env)
      if (last) this.owners.delete(jobId)
      return
    }
    let h = this.held.get(jobId)
    if (!h) {
      h = { events: [], timer: setTimeout(() => this.held.delete(jobId), this.holdMs) }
      h.timer.unref?.()
      this.held.set(jobId, h)
    }
    h.events.push(env)
  }

  /** Call after the `job/start` reply was sent, so the client sees the reply before the events. */
  claim(jobId: string, clientId: number): void {
    const h = this.held.get(jobId)
    this.held.delete(jobId)
    if (h) clearTimeout(h.timer)
    const ended = h?.events.some((e) => e.name === 'job/done' || e.name === 'job/failed') ?? false
    if (!ended) this.owners.set(jobId, clientId)
    for (const e of h?.events ?? []) this.deliver(clientId, e)
  }

  /** Jobs still running for a client (to cancel them when it disconnects); forgets them. */
  release(clientId: number): string[] {
    const jobs = [...this.owners].filter(([, c]) => c === clientId).map(([j]) => j)
    for (const j of jobs) this.owners.delete(j)
    return jobs
  }

  dispose(): void {
    for (const h of this.held.values()) clearTimeout(h.timer)
    this.held.clear()
    this.owners.clear()
  }
}
