/**
 * Routes job events to the client that started the job. Clients choose job ids (`JobStart.jobId`), so
 * the binding claims an id for its connection before forwarding `job/start`, and every event of the job,
 * however early, has its owner: nothing is held back.
 */
import type { Envelope } from '../common/contract'
import { duplicateJobId } from '../common/rpc-jobs'

type JobEvent = Extract<Envelope, { t: 'evt' }>

export class JobRouter {
  private owners = new Map<string, number>()

  /** Deliver to one client (no-op if it has gone). */
  constructor(private readonly deliver: (clientId: number, env: JobEvent) => void) {}

  /** Before forwarding `job/start`: this job's events go to `clientId`. Throws if the id is someone's live job. */
  claim(jobId: string, clientId: number): void {
    if (this.owners.has(jobId)) throw new Error(duplicateJobId(jobId))
    this.owners.set(jobId, clientId)
  }

  /** The engine refused the start: forget the claim (if it is still this client's). */
  unclaim(jobId: string, clientId: number): void {
    if (this.owners.get(jobId) === clientId) this.owners.delete(jobId)
  }

  /** A job event from the engine. `last` = job/done or job/failed. Events of unclaimed jobs are dropped. */
  event(jobId: string, env: JobEvent, last: boolean): void {
    const owner = this.owners.get(jobId)
    if (owner === undefined) return
    this.deliver(owner, env)
    if (last) this.owners.delete(jobId)
  }

  /** Jobs still running for a client (to cancel them when it disconnects); forgets them. */
  release(clientId: number): string[] {
    const jobs = [...this.owners].filter(([, c]) => c === clientId).map(([j]) => j)
    for (const j of jobs) this.owners.delete(j)
    return jobs
  }

  dispose(): void {
    this.owners.clear()
  }
}
