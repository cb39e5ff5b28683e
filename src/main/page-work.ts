/**
 * The studio page's work in flight in main: the requests it is waiting on and the jobs it started. When
 * the page goes away (a reload, a renderer crash, the window closed) nobody will read their answers, so
 * requests are aborted (the engine stops reading a long `text/next`) and jobs cancelled — what the server
 * does for a closed socket (server/ws-binding.ts).
 */
import type { WebContents } from 'electron'

export class PageWork {
  private readonly requests = new Set<AbortController>()
  private readonly jobs = new Set<string>()
  private readonly watched = new WeakSet<object>()

  constructor(private readonly cancelJob: (jobId: string) => void) {}

  /** Watch `contents` (once) for its page going away: a new page committed, its renderer gone, or closed. */
  watch(contents: Pick<WebContents, 'on'>): void {
    if (this.watched.has(contents)) return
    this.watched.add(contents)
    const gone = () => this.gone()
    contents.on('did-navigate', gone)
    contents.on('render-process-gone', gone)
    contents.on('destroyed', gone)
  }

  /** Run one request with a signal that aborts when the page goes. */
  async request<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ctl = new AbortController()
    this.requests.add(ctl)
    try {
      return await fn(ctl.signal)
    } finally {
      this.requests.delete(ctl)
    }
  }

  /** A job the page is starting under `jobId` (known before the request leaves, so no event can beat it). */
  started(jobId: string): void {
    this.jobs.add(jobId)
  }

  /** The job ended (done, failed or refused). */
  ended(jobId: string): void {
    this.jobs.delete(jobId)
  }

  /** In flight now: for tests and logs. */
  get size(): { requests: number; jobs: number } {
    return { requests: this.requests.size, jobs: this.jobs.size }
  }

  gone(): void {
    for (const c of this.requests) c.abort()
    for (const jobId of this.jobs) this.cancelJob(jobId)
    this.jobs.clear()
  }
}
