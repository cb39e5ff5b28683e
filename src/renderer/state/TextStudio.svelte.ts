/**
 * The text modality's actions: the cursor a writer places in a draft (with the next-character candidates
 * at it and the characters picked by hand), continuing from it, copy, export and opening a text file.
 * Engine traffic goes through the services' client; jobs go through services.generate.
 */
import type { TextNextReply } from '../../common/contract'
import { clampAt, continueParams, nextRequest, type CursorAt } from '../lib/text-branch'
import type { TextFormat } from '../lib/text-export'
import type { ModalityActions } from './modality-actions'
import type { StudioServices } from './services'
import { TextJob } from './TextJob.svelte'

export interface TextCursor extends CursorAt {
  job: TextJob
}

export type Candidates = TextNextReply['candidates']

export class TextStudio implements ModalityActions {
  readonly #studio: StudioServices
  #cursor = $state.raw<TextCursor | null>(null)
  #candidates = $state.raw<Candidates | null>(null)
  #loading = $state(false)
  #error = $state<string | null>(null)
  /** Only the reply to the latest text/next request is shown. */
  #seq = 0

  constructor(services: StudioServices) {
    this.#studio = services
  }

  /** The cursor, while the job it sits in is the one shown. */
  get cursor(): TextCursor | null {
    const c = this.#cursor
    return c && c.job === this.#studio.shown ? c : null
  }
  get candidates(): Candidates | null { return this.#candidates }
  get loading(): boolean { return this.#loading }
  get error(): string | null { return this.#error }

  /** Why "Continue from here" cannot run at the cursor, or null when it can. */
  get blocked(): string | null {
    const c = this.cursor
    if (!c) return null
    const r = continueParams(c, this.#studio.catalog.find(c.modelId)?.params ?? [], {})
    return r.ok ? null : r.error
  }

  /** Place the cursor after character `at` of draft `draft` (prime included) and ask for the odds there. */
  openAt(job: TextJob, draft: number, at: number): void {
    const full = job.fullText(draft)
    if (!full) return
    this.#set({ job, jobId: job.id, modelId: job.model.id, draft, full, at: clampAt(at, full), picked: '' })
  }

  /** Arrow keys: move the cursor by `delta` characters (dropping picked ones), within the draft. */
  move(delta: number): void {
    const c = this.cursor
    if (!c) return
    const full = c.job.fullText(c.draft)
    this.#set({ ...c, full, at: clampAt(c.at + delta, full), picked: '' })
  }

  /** Append a character picked from the chips; the candidates after it follow. */
  pick(char: string): void {
    const c = this.cursor
    if (c) this.#set({ ...c, picked: c.picked + char })
  }

  /** Take back picked characters: keep the first `keep` (Backspace keeps all but the last). */
  unpick(keep?: number): void {
    const c = this.cursor
    if (c?.picked) this.#set({ ...c, picked: c.picked.slice(0, keep ?? -1) })
  }

  close(): void {
    this.#seq++
    this.#cursor = null
    this.#candidates = null
    this.#loading = false
    this.#error = null
  }

  /** "Continue from here": a new job primed with the text before the cursor, reusing the draft's state. */
  async continueHere(): Promise<void> {
    const c = this.cursor
    if (!c) return
    const s = this.#studio
    if (s.catalog.selected?.id !== c.modelId) s.selectModel(c.modelId)
    if (s.form.modelId !== c.modelId) return s.toasts.error(`Model "${c.modelId}" is not available any more`)
    const r = continueParams(c, s.form.specs, s.form.snapshot())
    if (!r.ok) return s.toasts.error(`Cannot continue: ${r.error}`)
    s.form.set('prime', r.params.prime)
    this.close()
    // Jobs run one at a time: a source still writing would hold the new drafts back until it ends. The
    // writer chose where to go on, so it stops there (keeping what it wrote, and its states to branch from).
    if (c.job.active) await s.cancel()
    await s.generate(r.branch)
  }

  async copy(job: TextJob, draft: number): Promise<void> {
    const text = job.fullText(draft)
    try {
      await writeClipboard(text)
      this.#studio.toasts.info(`Copied draft ${draft + 1} (${text.length} characters)`)
    } catch (e) {
      this.#studio.toasts.error(`Could not copy: ${message(e)}`)
    }
  }

  exportDraft(job: TextJob, draft: number, format: TextFormat): Promise<void> {
    const s = this.#studio
    return s.save(async () => {
      // Loaded on first use, like the PNG encoder: zod stays out of the startup chunk.
      const [{ CODECS }, { textFileName }] = await Promise.all([import('../../common/codecs'), import('../lib/text-export')])
      const recipe = job.recipeForDraft(draft, s.appVersion)
      const bytes = await CODECS.text.encode({ text: job.fullText(draft) }, recipe, { format })
      return { name: textFileName(job.model.id, recipe.seed, format), bytes, mime: format === 'md' ? 'text/markdown' : 'text/plain' }
    })
  }

  /** A .txt/.md opened or dropped: restore its model, seed and params, and show its text. */
  openFile(file: File): Promise<void> {
    return this.#studio.open(file, 'text', async (...a) => (await import('../lib/text-export')).restoreFromText(...a), (r) =>
      new TextJob({ modelId: r.model.id, seed: r.seed, params: r.params }, r.model, { file: file.name, prime: r.prime, written: r.written, recipe: r.recipe }),
    )
  }

  /** Esc closes the cursor's toolbar. */
  escape(): boolean {
    if (!this.cursor) return false
    this.close()
    return true
  }

  /** The cursor belongs to its job: it shows again with it (see `cursor`). */
  staged(): void {}

  #set(cursor: TextCursor): void {
    // The job may have got its engine id since the cursor was placed (then its states can be reused).
    const c = { ...cursor, jobId: cursor.job.id }
    // The previous chips stay until the new odds arrive: no flicker, no jump while walking the text.
    this.#cursor = c
    this.#error = null
    this.#loading = true
    const seq = ++this.#seq
    const s = this.#studio
    // The odds the next job would draw with: the panel's sampling params when it is on this model.
    const params = s.form.modelId === c.modelId ? s.form.snapshot() : c.job.request.params
    s.client.invoke('text/next', nextRequest(c, params)).then(
      (r) => {
        if (seq !== this.#seq) return
        this.#candidates = r.candidates
        this.#loading = false
      },
      (e) => {
        if (seq !== this.#seq) return
        this.#error = message(e)
        this.#loading = false
      },
    )
  }
}

async function writeClipboard(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) return navigator.clipboard.writeText(text)
  // Older Electron/insecure contexts: a hidden textarea and the legacy copy command.
  const ta = document.createElement('textarea')
  ta.value = text
  ta.style.position = 'fixed'
  ta.style.opacity = '0'
  document.body.append(ta)
  ta.select()
  const ok = document.execCommand('copy')
  ta.remove()
  if (!ok) throw new Error('the clipboard is not available here')
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
