/**
 * Items fed to a job while it runs (`job/feed`): a note played on the keyboard while the keyboard's job
 * still sounds joins its batch as one more voice, instead of queueing a job behind it. The engine checks
 * a feed and queues it on its job; the runner takes what is queued between graph runs and answers each
 * feed with the item index it gave it (item i uses seed + i, like every item). Feeds the runner never
 * took — the job ended, failed or was cancelled — are answered null: the client starts a job instead.
 */
import type { ParamValues } from '../common/contract'

/** One fed item as the runner takes it: the params it sets (only those its family lets a feed set). */
export interface Feed {
  params: ParamValues
  /** The runner made it item `index` of the job. */
  accept(index: number): void
}

export class JobFeeds {
  private pending: { params: ParamValues; answer: (item: number | null) => void }[] = []
  private closed = false

  /** Queue a feed; resolves with its item index once the runner takes it, or null if it never does. */
  add(params: ParamValues): Promise<number | null> {
    if (this.closed) return Promise.resolve(null)
    return new Promise((answer) => this.pending.push({ params, answer }))
  }

  /** The runner: every feed queued since it last looked, in arrival order. */
  take(): Feed[] {
    const got = this.pending.splice(0)
    return got.map(({ params, answer }) => ({ params, accept: (index) => answer(index) }))
  }

  /** The job ended: feeds still queued (and any that come later) are answered null. */
  close(): void {
    this.closed = true
    for (const f of this.pending.splice(0)) f.answer(null)
  }
}
