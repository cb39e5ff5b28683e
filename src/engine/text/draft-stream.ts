/**
 * Streams the drafts of a text job to the client in small batches: at once for the first character
 * (the user sees the model start), then every FLUSH_MS, and a draft's last part as soon as it ends.
 * One event per character would be thousands a second per draft, which the UI would only coalesce.
 */
import type { JobPart } from '../../common/contract'

type End = NonNullable<Extract<JobPart, { kind: 'text' }>['end']>

/** ~2 screen frames: text appears to flow, events stay at ≤ 33 per second per draft. */
export const FLUSH_MS = 30

export class DraftStream {
  private readonly pending: string[]
  private readonly written: number[]
  private readonly ended: (End | undefined)[]
  private lastFlush = -Infinity

  constructor(
    private readonly drafts: number,
    /** Characters each draft writes at most (for progress). */
    private readonly length: number,
    private readonly emit: (part: JobPart) => void,
    private readonly progress: (done: number, total: number) => void,
  ) {
    this.pending = Array.from({ length: drafts }, () => '')
    this.written = new Array<number>(drafts).fill(0)
    this.ended = new Array<End | undefined>(drafts)
  }

  add(draft: number, chars: string): void {
    this.pending[draft] += chars
    this.written[draft] += chars.length
  }

  count(draft: number): number {
    return this.written[draft]
  }

  /** The draft's remaining text goes out now, marked as its last part. */
  end(draft: number, why: End): void {
    this.ended[draft] = why
    this.emit({ kind: 'text', draft, text: this.pending[draft], end: why })
    this.pending[draft] = ''
  }

  /** Flush if FLUSH_MS passed since the last flush. */
  tick(): void {
    if (performance.now() - this.lastFlush >= FLUSH_MS) this.flush()
  }

  /** Send every draft's pending text (parts without `end`) and the progress. */
  flush(): void {
    this.lastFlush = performance.now()
    for (let d = 0; d < this.drafts; d++) {
      if (!this.pending[d]) continue
      this.emit({ kind: 'text', draft: d, text: this.pending[d] })
      this.pending[d] = ''
    }
    let done = 0
    for (let d = 0; d < this.drafts; d++) done += this.ended[d] ? this.length : this.written[d]
    this.progress(done, this.drafts * this.length)
  }
}
