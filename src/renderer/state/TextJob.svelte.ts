/**
 * A text job as the text pane follows it: one draft per `drafts`, each growing as `text` parts stream in.
 * Parts are queued and applied at most every FRAME_MS (≤ 20 updates a second): the text still flows, and
 * what costs the browser is each update (paint, layout of the changed lines), not each character, so 8
 * drafts arriving every ~30 ms each are drawn together.
 *
 * A text opened from a file is a TextJob too: finished, one draft, no engine id (nothing to branch from
 * in the engine, so continuing from it warms the model up through the text instead).
 */
import type { JobPart, JobRequest, ModelSummary } from '../../common/contract'
import { textItemRecipe } from '../../common/items'
import type { Recipe } from '../../common/recipe'
import { applyTextParts, draftCount, draftStatus, emptyDrafts, textProgress, type Draft, type DraftStatus, type TextPart } from '../lib/text-drafts'
import { Job, type Progress } from './Job.svelte'

/** Drafts re-render at most this often (ms); the engine sends parts every ~30 ms per draft. */
const FRAME_MS = 50

export interface OpenedText {
  file: string
  prime: string
  written: string
  recipe: Recipe
}

export class TextJob extends Job<'text'> {
  readonly modality = 'text'
  /** What every draft starts from (dimmed at the top of each). */
  readonly prime: string
  /** Characters each draft may write (the `length` param). */
  readonly length: number

  #drafts = $state.raw<Draft[]>([])
  #queue: TextPart[] = []
  #timer: ReturnType<typeof setTimeout> | null = null

  constructor(request: JobRequest, model: ModelSummary, opened?: OpenedText) {
    super(request, model)
    this.prime = opened ? opened.prime : String(request.params.prime ?? '')
    const length = Number(request.params.length)
    this.length = Number.isFinite(length) && length > 0 ? length : 0
    this.#drafts = emptyDrafts(request.seed, opened ? 1 : draftCount(request.params))
    if (opened) {
      this.#drafts = [{ ...this.#drafts[0], text: opened.written, end: 'length' }]
      this.opened(opened.file, opened.recipe)
    }
  }

  get drafts(): readonly Draft[] { return this.#drafts }

  /** Characters written so far over all drafts (drafts that ended count as complete). */
  get progressShown(): Progress {
    const len = this.file ? Math.max(1, this.#drafts[0]?.text.length ?? 0) : this.length
    return { ...textProgress(this.#drafts, len), unit: 'chars' }
  }

  status(draft: number): DraftStatus {
    const d = this.#drafts[draft]
    if (this.file) return 'done'
    return d ? draftStatus(d, this.state) : 'waiting'
  }

  /** Prime + what draft `i` wrote: the text a cursor indexes into. */
  fullText(draft: number): string {
    return this.prime + (this.#drafts[draft]?.text ?? '')
  }

  receive(part: JobPart): void {
    if (part.kind !== 'text') return
    this.#queue.push(part)
    this.#timer ??= setTimeout(() => this.flush(), FRAME_MS)
  }

  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    const parts = this.#queue
    this.#queue = []
    this.#drafts = applyTextParts(this.#drafts, parts, this.request.seed)
  }

  /** The recipe that writes exactly draft `i` again (the engine's recipe when the job finished). */
  recipeForDraft(draft: number, appVersion: string): Recipe {
    return textItemRecipe(this.jobRecipe(appVersion), this.#drafts[draft] ?? { index: draft, text: '', end: null })
  }
}
