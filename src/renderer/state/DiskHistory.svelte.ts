/**
 * History that lasts, as the studio sees it: every job that finishes is kept by the host (`history/put`:
 * Electron main's data folder, or the server's folder), listed again after a reload or restart, found by
 * model and seed, opened back onto the stage, deleted with its files, under a size cap the user sets.
 *
 * The window saves, not the host: it already holds each finished item and writes its file with the same
 * code and recipe as an export (state/history-files.ts), so the host stays a plain file store with no
 * per-modality code and no copy of every streamed part; scripted clients (CLI, soak, benches) fill no
 * one's history. The cost: a job whose window closes in the instant it ends is not kept.
 */
import type { StudioClient } from '../../common/contract'
import { NO_HISTORY, type HistoryEntry, type HistorySettings } from '../../common/history'
import { modalityOf } from '../../common/modality'
import type { Catalog } from './Catalog.svelte'
import type { Job } from './Job.svelte'
import { RENDERER_MODALITIES } from './modalities'
import type { Toasts } from './Toasts.svelte'

/** What history needs of the studio. */
export interface HistoryHost {
  readonly client: StudioClient
  readonly toasts: Toasts
  readonly catalog: Catalog
  readonly appVersion: string
  /** Put a kept job on the stage (its recipe into the panel). */
  show(job: Job): void
}

const files = () => import('./history-files')
const message = (e: unknown) => (e instanceof Error ? e.message : String(e))

export class DiskHistory {
  readonly #host: HistoryHost
  #entries = $state.raw<HistoryEntry[]>([])
  #notes = $state.raw<string[]>([])
  #settings = $state.raw<HistorySettings | null>(null)
  #open = $state(false)
  #kept = $state(0)
  /** null until the first answer; false when the host keeps none. */
  #available = $state<boolean | null>(null)
  /** The search box: part of a model id or title. */
  model = $state('')
  /** The search box: a seed, as typed. */
  seed = $state('')

  constructor(host: HistoryHost) {
    this.#host = host
  }

  get entries(): readonly HistoryEntry[] { return this.#entries }
  /** One line per entry that could not be read (skipped, the rest listed). */
  get notes(): readonly string[] { return this.#notes }
  get settings(): HistorySettings | null { return this.#settings }
  get isOpen(): boolean { return this.#open }
  get available(): boolean | null { return this.#available }
  /** Jobs kept since the window opened (the panel's button counts them). */
  get kept(): number { return this.#kept }
  /** The seed box as a seed, null when empty, NaN when it is not one. */
  get seedQuery(): number | null {
    const t = this.seed.trim()
    if (!t) return null
    return /^\d{1,10}$/.test(t) && Number(t) <= 0xffffffff ? Number(t) : NaN
  }

  /**
   * Load the file writers while the window is idle: they bring the codecs and zod, and parsing them in
   * the moment a job ends would be a long task right after it.
   */
  prefetch(): void {
    const load = () => void files().catch(() => undefined)
    if (typeof requestIdleCallback === 'function') requestIdleCallback(load, { timeout: 3000 })
    else setTimeout(load, 1000)
  }

  toggle(): void {
    this.#open = !this.#open
    if (this.#open) void this.refresh()
  }

  /** List what the host keeps, filtered by the search boxes. */
  async refresh(): Promise<void> {
    const seed = this.seedQuery
    if (Number.isNaN(seed)) return
    try {
      const r = await this.#host.client.invoke('history/list', { model: this.model.trim() || undefined, seed: seed ?? undefined })
      this.#available = true
      this.#entries = r.entries
      this.#notes = r.notes
      this.#settings = { capBytes: r.capBytes, usedBytes: r.usedBytes, dir: r.dir }
    } catch (e) {
      this.#fail(e, 'Could not list the history')
    }
  }

  /** Keep a job once it has ended and its pane shows all of it (only jobs this window generated and finished). */
  async keep(job: Job): Promise<void> {
    if ((await job.settled()) !== 'done' || job.file || !job.id || this.#available === false) return
    const modality = modalityOf(job.model.family)
    if (!modality || modality !== job.modality) return
    try {
      const codec = (await files()).HISTORY_FILES[modality] as { files(j: Job, v: string): Promise<{ name: string; bytes: Uint8Array }[]>; summary(j: Job): string }
      const list = await codec.files(job, this.#host.appVersion)
      if (!list.length) return
      const recipe = job.jobRecipe(this.#host.appVersion)
      await this.#host.client.invoke('history/put', { modelId: job.model.id, modelTitle: job.model.title, modality, recipe, ms: job.ms, summary: codec.summary(job), files: list })
      this.#available = true
      this.#kept++
      if (this.#open) await this.refresh()
    } catch (e) {
      this.#fail(e, `Could not keep ${job.model.id} seed ${job.request.seed} in history`)
    }
  }

  /** Show a kept job again: its files back into a job on the stage, its recipe in the panel. */
  async open(entry: HistoryEntry): Promise<void> {
    const model = this.#host.catalog.find(entry.modelId)
    if (!model || model.error) {
      return this.#host.toasts.error(`${entry.modelTitle} (${entry.modelId}) is not installed now; its files are in ${this.#settings?.dir ?? 'the history folder'}/${entry.id}`)
    }
    try {
      const got = await this.#host.client.invoke('history/get', { id: entry.id })
      const parts = await (await files()).HISTORY_FILES[entry.modality].parts(got.entry, got.files)
      // An explore job keeps its op: its tiles are children or frames, not the prior's samples of their seeds.
      const explore = entry.recipe.explore ? { explore: entry.recipe.explore } : {}
      const job: Job = RENDERER_MODALITIES[entry.modality].job({ modelId: model.id, seed: entry.seed, params: { ...entry.recipe.params }, ...explore }, model)
      for (const p of parts) job.receive(p)
      job.finish({ jobId: '', ep: entry.recipe.ep, ms: entry.ms ?? 0, recipe: entry.recipe, warnings: [] })
      this.#host.show(job)
    } catch (e) {
      this.#host.toasts.error(`Could not open ${entry.modelId} seed ${entry.seed}: ${message(e)}`)
    }
  }

  /** Delete an entry and its files. */
  async remove(entry: HistoryEntry): Promise<void> {
    try {
      await this.#host.client.invoke('history/delete', { ids: [entry.id] })
      this.#entries = this.#entries.filter((e) => e.id !== entry.id)
      this.#host.toasts.info(`Deleted ${entry.modelId} seed ${entry.seed} from history`)
      await this.refresh()
    } catch (e) {
      this.#fail(e, 'Could not delete')
    }
  }

  /** Set the size cap in MiB (the oldest entries go at once when the kept ones pass it). */
  async setCap(mib: number): Promise<void> {
    try {
      this.#settings = await this.#host.client.invoke('history/settings', { capBytes: Math.round(mib * 1024 * 1024) })
      await this.refresh()
    } catch (e) {
      this.#fail(e, 'Could not set the size cap')
    }
  }

  #fail(e: unknown, what: string): void {
    const m = message(e)
    if (m.includes(NO_HISTORY)) {
      this.#available = false
      return
    }
    this.#host.toasts.error(`${what}: ${m}`)
  }
}
