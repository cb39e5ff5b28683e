/**
 * The history store: finished jobs kept on the host's disk (common/history.ts has the layout), served to
 * the window as `history/*`. Node only; Electron main and the server each own one.
 *
 *   <dir>/settings.json                      { "capBytes": … }
 *   <dir>/<id>/entry.json                    the index (entry.ts)
 *   <dir>/<id>/dcgan-emoji-7.png …           the files, as exports write them
 *
 * Lasting writes: an entry is written into `.<id>.tmp/` (every file through writeFileAtomic: temp,
 * fsync, rename) and the folder is renamed into place last, so a listing sees a whole entry or none; a
 * delete renames it out of sight before removing it. Reading never trusts the disk: an entry whose
 * index is missing, torn or names a missing file is skipped with a note, the rest are listed. Writes are
 * one at a time (put, delete and the cap's pruning cannot interleave).
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import type { HistoryHandlers, HistoryMethod, Req, Res } from '../../common/contract'
import { HISTORY_LIMITS, matchesQuery, type HistoryEntry, type HistoryFile, type HistoryListing, type HistoryQuery, type HistorySettings } from '../../common/history'
import { writeFileAtomic, type AtomicIo } from '../atomic-write'
import { checkId, checkPut, ENTRY_FILE, entryJson, newEntryId, parseEntry } from './entry'

/** The server's history folder: `$LATENT_STUDIO_HISTORY`, else `~/.latent-studio/history`. */
export function defaultHistoryDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.LATENT_STUDIO_HISTORY || join(homedir(), '.latent-studio', 'history'))
}

const SETTINGS_FILE = 'settings.json'
/** Leftover temp folders of a crash are removed once they are this old (another process may be writing). */
const STALE_MS = 10 * 60_000

export interface HistoryStoreOptions {
  /** Clock for `createdAt` and ids (tests pin it). */
  now?: () => number
  /** The atomic writer's I/O (a test fills the disk midway). */
  io?: Partial<AtomicIo>
}

export class HistoryStore {
  readonly dir: string
  readonly #now: () => number
  readonly #io: Partial<AtomicIo> | undefined
  #ready: Promise<void> | null = null
  #chain: Promise<unknown> = Promise.resolve()

  constructor(dir: string, opts: HistoryStoreOptions = {}) {
    this.dir = resolve(dir)
    this.#now = opts.now ?? Date.now
    this.#io = opts.io
  }

  /** The contract's `history/*` requests, for the hosts' generated forwarders. */
  async invoke<K extends HistoryMethod>(method: K, args: Req<K>): Promise<Res<K>> {
    const a = (args ?? {}) as Record<string, unknown>
    const fns: { [M in HistoryMethod]: () => Promise<HistoryHandlers[M]['res']> } = {
      'history/put': () => this.put(args),
      'history/list': () => this.list(a as HistoryQuery),
      'history/get': () => this.get(a.id),
      'history/delete': () => this.remove(a.ids),
      'history/settings': () => this.settings(a.capBytes),
    }
    const fn = fns[method] as (() => Promise<Res<K>>) | undefined
    if (!fn) throw new Error(`not a history request: ${String(method)}`)
    return fn()
  }

  /** Keep a finished job (checked whole first); older entries go if the cap is passed. */
  async put(args: unknown): Promise<HistoryEntry> {
    const { put, files } = checkPut(args)
    return this.#serial(async () => {
      await this.#open()
      const createdAt = this.#now()
      const id = newEntryId(createdAt, put.modelId, put.recipe.seed)
      const entry: HistoryEntry = {
        id, createdAt, modelId: put.modelId, modelTitle: put.modelTitle, modality: put.modality, seed: put.recipe.seed,
        recipe: put.recipe, ms: put.ms, files, bytes: files.reduce((n, f) => n + f.size, 0), summary: put.summary,
      }
      const tmp = join(this.dir, `.${id}.tmp`)
      try {
        await mkdir(tmp)
        for (const f of put.files) await writeFileAtomic(join(tmp, f.name), f.bytes, { io: this.#io })
        await writeFileAtomic(join(tmp, ENTRY_FILE), entryJson(entry), { io: this.#io })
        await rename(tmp, join(this.dir, id))
        await syncDir(this.dir)
      } catch (e) {
        await rm(tmp, { recursive: true, force: true }).catch(() => undefined)
        throw new Error(`could not keep the job in ${this.dir}: ${codeOf(e)}`)
      }
      await this.#prune(await this.#cap())
      return entry
    })
  }

  /** Entries newest first, filtered by `q`; unreadable ones are named in `notes`. */
  async list(q?: HistoryQuery): Promise<HistoryListing> {
    const seed = q?.seed
    if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0)) throw new Error(`history/list: a seed is a whole number ≥ 0, got ${JSON.stringify(seed)}`)
    const query = { model: typeof q?.model === 'string' ? q.model : undefined, seed }
    const { entries, notes } = await this.#scan()
    return { ...(await this.#settings(entries)), entries: entries.filter((e) => matchesQuery(e, query)), notes }
  }

  /** One entry with its files' bytes; a file gone or damaged since is an error naming it. */
  async get(idArg: unknown): Promise<{ entry: HistoryEntry; files: HistoryFile[] }> {
    const id = checkId(idArg)
    await this.#open()
    let entry: HistoryEntry
    try {
      entry = await this.#read(id)
    } catch (e) {
      throw new Error(`history entry ${id} cannot be read: ${(e as Error).message}`)
    }
    const files: HistoryFile[] = []
    for (const f of entry.files) {
      try {
        files.push({ name: f.name, bytes: new Uint8Array(await readFile(join(this.dir, id, f.name))) })
      } catch (e) {
        throw new Error(`history entry ${id}: ${f.name} cannot be read (${codeOf(e)})`)
      }
    }
    return { entry, files }
  }

  /** Delete entries with their files; answers the ids that were there. */
  async remove(idsArg: unknown): Promise<{ deleted: string[] }> {
    if (!Array.isArray(idsArg) || idsArg.length > 10_000) throw new Error('history/delete needs {ids: [entry ids]}')
    const ids = idsArg.map(checkId)
    return this.#serial(async () => {
      await this.#open()
      const deleted: string[] = []
      for (const id of ids) if (await this.#delete(id)) deleted.push(id)
      return { deleted }
    })
  }

  /** The cap and what is kept; with `capBytes`, set the cap (and prune to it at once). */
  async settings(capArg?: unknown): Promise<HistorySettings> {
    if (capArg === undefined || capArg === null) return this.#scan().then(({ entries }) => this.#settings(entries))
    const cap = Number(capArg)
    const { minCapBytes: lo, maxCapBytes: hi } = HISTORY_LIMITS
    if (!Number.isInteger(cap) || cap < lo || cap > hi) throw new Error(`the history size cap must be a whole number of bytes from ${lo} (1 MiB) to ${hi}, got ${JSON.stringify(capArg)}`)
    return this.#serial(async () => {
      await this.#open()
      await writeFileAtomic(join(this.dir, SETTINGS_FILE), JSON.stringify({ capBytes: cap }) + '\n')
      await this.#prune(cap)
      return this.#settings((await this.#scan()).entries)
    })
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn, fn)
    this.#chain = run.catch(() => undefined)
    return run
  }

  /** Make the folder (once) and clear temp folders a crash left behind. */
  #open(): Promise<void> {
    this.#ready ??= (async () => {
      await mkdir(this.dir, { recursive: true })
      for (const name of await readdir(this.dir)) {
        if (!/^\..+\.(tmp|del)$/.test(name)) continue
        const s = await stat(join(this.dir, name)).catch(() => null)
        if (s && this.#now() - s.mtimeMs > STALE_MS) await rm(join(this.dir, name), { recursive: true, force: true }).catch(() => undefined)
      }
    })().catch((e) => {
      this.#ready = null // a folder that could not be made may be makeable on the next request
      throw new Error(`cannot use the history folder ${this.dir}: ${codeOf(e)}`)
    })
    return this.#ready
  }

  /** Every readable entry, newest first; one note per folder that is not. */
  async #scan(): Promise<{ entries: HistoryEntry[]; notes: string[] }> {
    await this.#open()
    const entries: HistoryEntry[] = []
    const notes: string[] = []
    for (const d of await readdir(this.dir, { withFileTypes: true })) {
      if (d.name.startsWith('.') || !d.isDirectory()) continue
      try {
        entries.push(await this.#read(d.name))
      } catch (e) {
        notes.push(`${d.name}: ${(e as Error).message} — skipped`)
      }
    }
    entries.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
    return { entries, notes }
  }

  async #read(id: string): Promise<HistoryEntry> {
    const folder = join(this.dir, checkId(id))
    let text: string
    try {
      text = await readFile(join(folder, ENTRY_FILE), 'utf8')
    } catch (e) {
      throw new Error(codeOf(e) === 'ENOENT' ? `no ${ENTRY_FILE}` : `${ENTRY_FILE} cannot be read (${codeOf(e)})`)
    }
    const entry = parseEntry(text)
    if (entry.id !== id) throw new Error(`${ENTRY_FILE} names another entry (${entry.id})`)
    const there = new Set(await readdir(folder))
    const missing = entry.files.find((f) => !there.has(f.name))
    if (missing) throw new Error(`${missing.name} is missing`)
    return entry
  }

  async #delete(id: string): Promise<boolean> {
    const gone = join(this.dir, `.${id}.${randomBytes(3).toString('hex')}.del`)
    try {
      await rename(join(this.dir, id), gone) // out of every listing at once
    } catch (e) {
      if (codeOf(e) === 'ENOENT') return false
      throw new Error(`could not delete history entry ${id}: ${codeOf(e)}`)
    }
    await rm(gone, { recursive: true, force: true })
    return true
  }

  /** Oldest first go until the rest fit `cap`; the newest entry always stays. */
  async #prune(cap: number): Promise<void> {
    const { entries } = await this.#scan()
    let used = entries.reduce((n, e) => n + e.bytes, 0)
    for (let i = entries.length - 1; i > 0 && used > cap; i--) {
      await this.#delete(entries[i].id)
      used -= entries[i].bytes
    }
  }

  async #cap(): Promise<number> {
    try {
      const cap = Number((JSON.parse(await readFile(join(this.dir, SETTINGS_FILE), 'utf8')) as { capBytes?: unknown }).capBytes)
      const { minCapBytes: lo, maxCapBytes: hi } = HISTORY_LIMITS
      if (Number.isInteger(cap) && cap >= lo && cap <= hi) return cap
    } catch {
      // no settings yet, or a damaged file: the default until the user sets one
    }
    return HISTORY_LIMITS.defaultCapBytes
  }

  async #settings(entries: readonly HistoryEntry[]): Promise<HistorySettings> {
    return { capBytes: await this.#cap(), usedBytes: entries.reduce((n, e) => n + e.bytes, 0), dir: this.dir }
  }
}

const codeOf = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? (e instanceof Error ? e.message : String(e))

/** Make a rename in `dir` last (Windows cannot fsync a folder; there the rename is as durable as it gets). */
async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r').catch(() => null)
  await h?.sync().catch(() => undefined)
  await h?.close().catch(() => undefined)
}
