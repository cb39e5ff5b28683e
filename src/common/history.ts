/**
 * History that lasts: every finished job kept on disk by the host the studio talks to (Electron main:
 * `<userData>/history`; the server: `--history DIR`, `$LATENT_STUDIO_HISTORY` or `~/.latent-studio/history`).
 * One folder per job holding the very files an export writes (PNG / MD / WAV, each with its item's recipe
 * inside, through common/codecs) and `entry.json`, the small index below, so an entry is also plain files a
 * user can open. The store is `src/engine/history/`; the requests are `history/*` in the contract.
 *
 * Type-only imports: the renderer keeps this in its startup chunk.
 */
import type { HistoryMethod, Req, Res } from './contract'
import type { Modality } from './modality'
import type { Recipe } from './recipe'

const MiB = 1024 * 1024

/** One output file of a job: its name in the entry's folder and its bytes (recipe inside). */
export interface HistoryFile {
  name: string
  bytes: Uint8Array
}

/** What `entry.json` records of each file. */
export interface HistoryFileInfo {
  name: string
  /** The seed in the file's own recipe: the item's (job seed + index). */
  seed: number
  /** File size in bytes. */
  size: number
}

/** One kept job, as `entry.json` holds it and `history/list` returns it. */
export interface HistoryEntry {
  /** Its folder's name: `<utc stamp>-<model id>-<seed>-<random>`. */
  id: string
  /** When it was kept, ms since 1970 (UTC). */
  createdAt: number
  modelId: string
  /** The model's title when the job ran (the model may be gone since). */
  modelTitle: string
  modality: Modality
  /** The job's seed; item i was made by seed + i. */
  seed: number
  /** The job's recipe as the engine sent it with `job/done`; each file carries its item's own. */
  recipe: Recipe
  /** Engine time of the job (ms), when known. */
  ms: number | null
  files: HistoryFileInfo[]
  /** Sum of the files' sizes (what the size cap counts). */
  bytes: number
  /** A line to recognise it by (the first words of a text, an instrument and note); may be ''. */
  summary: string
}

/** `history/put`: a job that just finished, as files the codecs wrote. */
export interface HistoryPut {
  modelId: string
  modelTitle: string
  modality: Modality
  recipe: Recipe
  ms: number | null
  summary: string
  files: HistoryFile[]
}

/** `history/list`'s filter: both optional, both must match. */
export interface HistoryQuery {
  /** Part of a model id or title, any case ("dcgan", "Austen"). */
  model?: string
  /** A seed: the job's, or any of its items' (seed 9 finds a 4-image job seeded 7). */
  seed?: number
}

export interface HistorySettings {
  /** Oldest entries go first when the files together pass this many bytes. */
  capBytes: number
  /** What the kept entries take now. */
  usedBytes: number
  /** The folder, so a user can find the files. */
  dir: string
}

export interface HistoryListing extends HistorySettings {
  /** Newest first. */
  entries: HistoryEntry[]
  /** Entries that could not be read, one line each ("<folder>: entry.json is not JSON — skipped"). */
  notes: string[]
}

/** Limits the store enforces on `history/put` (the host reads at most MAX_REQUEST_BYTES a request). */
export const HISTORY_LIMITS = {
  maxFiles: 256,
  maxEntryBytes: 40 * MiB,
  minCapBytes: MiB,
  maxCapBytes: 1024 * 1024 * MiB,
  defaultCapBytes: 1024 * MiB,
} as const

/** Entry ids (folder names): no dot first (temp folders start with one), nothing that leaves the folder. */
export const HISTORY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,159}$/
/** File names inside an entry: one name, no folders, no leading dot. */
export const HISTORY_FILE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/

/** Whether an entry matches a query (the store filters with it; the studio's search box sends one). */
export function matchesQuery(e: HistoryEntry, q: HistoryQuery | undefined): boolean {
  const model = q?.model?.trim().toLowerCase()
  if (model && !e.modelId.toLowerCase().includes(model) && !e.modelTitle.toLowerCase().includes(model)) return false
  if (q?.seed !== undefined && e.seed !== q.seed && !e.files.some((f) => f.seed === q.seed)) return false
  return true
}

/** What a host without a history store answers to `history/*` (a test binding, a bare server). */
export const NO_HISTORY = 'this host keeps no history'

/** What a host needs of its history store: the contract's `history/*` (HistoryStore.invoke). */
export interface HistoryInvoker {
  invoke<K extends HistoryMethod>(method: K, args: Req<K>): Promise<Res<K>>
}
