/**
 * Job ids, chosen by the client (`JobStart.jobId`): the checks every host applies to them, and
 * `LiveJobs`, the jobs one client has started and not yet seen end. The supervisor (host process died)
 * and the WebSocket client (server went away) use it to fail those jobs visibly. A job is known from
 * the moment it is sent, so no event of it can arrive before its id is.
 */
import { JOB_ID_PATTERN, type EventName, type JobStart, type Res } from './contract'

/** The one message for an id that is taken (the engine, the server and the clients all say this). */
export const duplicateJobId = (id: string): string => `job id ${JSON.stringify(id)} is already in use; start each job with a fresh id (newJobId())`

/** A job id from an untrusted request, or a thrown Error saying what is wrong with it. */
export function checkJobId(id: unknown): string {
  if (typeof id !== 'string' || !JOB_ID_PATTERN.test(id)) {
    throw new Error(`job/start needs a jobId the client chose: 1–64 characters of A-Z a-z 0-9 _ . : -, got ${JSON.stringify(id)?.slice(0, 80)}`)
  }
  return id
}

export class LiveJobs {
  private live = new Set<string>()
  /** Sent, no reply yet: if the transport dies now the caller learns it from the call's rejection. */
  private starting = new Set<string>()

  /** Start a job through `call` under its client-chosen id; a bad id, or one still live here, is refused. */
  async start(args: JobStart, call: (args: JobStart) => Promise<Res<'job/start'>>): Promise<Res<'job/start'>> {
    const jobId = checkJobId(args?.jobId)
    if (this.live.has(jobId)) throw new Error(duplicateJobId(jobId))
    this.live.add(jobId)
    this.starting.add(jobId)
    try {
      return await call(args)
    } catch (e) {
      this.live.delete(jobId)
      throw e
    } finally {
      this.starting.delete(jobId)
    }
  }

  /** An event went by: `job/done` and `job/failed` end their job. */
  saw(name: EventName, payload: unknown): void {
    if (name === 'job/done' || name === 'job/failed') this.live.delete((payload as { jobId: string }).jobId)
  }

  /** The transport died: the started jobs that will never report now (forgets every job). */
  orphans(): string[] {
    const ids = [...this.live].filter((id) => !this.starting.has(id))
    this.live.clear()
    return ids
  }
}
