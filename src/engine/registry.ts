/**
 * Model registry: scans model folders, validates each `model.json` and its ONNX files, hashes the
 * weights. One broken model never hides the others: it is listed with `error` naming file and field.
 * Session-level checks (real input/output signature) happen later, on first load (`sessions.ts`),
 * and mark the entry broken through `markBroken`.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { readDirections } from './latent-directions'
import { homedir } from 'node:os'
import { basename, dirname, join, relative } from 'node:path'
import type { ModelSummary } from '../common/contract'
import type { InputSpec } from '../common/inputs'
import { parseManifest, type Manifest } from '../common/manifest'
import type { ModelDir } from './model-dirs'

/** Larger ONNX files are refused: they would not load in reasonable memory anyway. */
export const MAX_ONNX_BYTES = 1024 ** 3
/** A manifest is a few KiB of JSON; anything near this is not one. */
export const MAX_MANIFEST_BYTES = 1024 * 1024

export interface RegistryEntry {
  summary: ModelSummary
  /** Set when the manifest is valid (the entry may still be broken, e.g. a missing file). */
  manifest?: Manifest
  /** Graph role → absolute ONNX path. */
  files: Record<string, string>
  /** How paths of this model are shown in errors, e.g. `models/dcgan-emoji/generator.onnx`. */
  label(absPath: string): string
}

export interface RegistryOptions {
  maxOnnxBytes?: number
  /** Families this engine can run; others are listed as broken with a clear reason. */
  isSupported?: (family: string) => boolean
  /** The job inputs a family takes (its runner's `inputs`), copied into ModelSummary.inputs. */
  inputsOf?: (family: string) => Readonly<Record<string, InputSpec>> | undefined
}

/** Graph roles in hash order: sorted by role name (plain code-unit order, same as Python's sorted()). */
export function hashOrder(manifest: Manifest): string[] {
  return Object.keys(manifest.graphs).sort()
}

/**
 * ModelSummary.hash: sha256 over the bytes of the ONNX files concatenated in `hashOrder` (roles sorted
 * by name), first 16 hex chars. `training/lstudio/export.py:files_hash` computes the same.
 */
export async function hashFiles(paths: string[]): Promise<string> {
  const h = createHash('sha256')
  for (const p of paths) {
    // Streamed: a 1 GiB model must not sit in memory twice just to be listed.
    for await (const chunk of createReadStream(p)) h.update(chunk as Buffer)
  }
  return h.digest('hex').slice(0, 16)
}

/** Same hash over buffers already in memory (the bytes a session was really created from). */
export function hashBuffers(bufs: Uint8Array[]): string {
  const h = createHash('sha256')
  for (const b of bufs) h.update(b)
  return h.digest('hex').slice(0, 16)
}

function labeller(d: ModelDir): (p: string) => string {
  return (p) => {
    if (d.source === 'shipped') return relative(dirname(d.dir), p) // models/<id>/<file>
    const home = homedir()
    return home && p.startsWith(home) ? '~' + p.slice(home.length) : p
  }
}

export class ModelRegistry {
  private entries: RegistryEntry[] = []
  private byId = new Map<string, RegistryEntry>()

  constructor(
    private readonly dirs: ModelDir[],
    private readonly opts: RegistryOptions = {},
  ) {}

  /** Rescan every folder (sequentially: hashing is disk-bound and the CPU is shared). */
  async scan(): Promise<ModelSummary[]> {
    const entries: RegistryEntry[] = []
    for (const d of this.dirs) {
      let names: string[]
      try {
        names = (await readdir(d.dir, { withFileTypes: true }))
          .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith('.'))
          .map((e) => e.name)
          .sort()
      } catch (e) {
        // A missing user folder is normal; anything else is worth a line in the log.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') console.warn(`[engine] cannot read ${d.dir}: ${(e as Error).message}`)
        continue
      }
      for (const name of names) entries.push(await this.load(d, join(d.dir, name)))
    }
    this.index(entries)
    return this.list()
  }

  list(): ModelSummary[] {
    return this.entries.map((e) => e.summary)
  }

  get(id: string): RegistryEntry | undefined {
    return this.byId.get(id)
  }

  /** A problem found after scanning (e.g. the session's real signature): the model shows as broken. */
  markBroken(id: string, error: string): void {
    const e = this.byId.get(id)
    if (e) e.summary = { ...e.summary, error }
  }

  /** Remember a hash recomputed at load time (the file changed since the scan). */
  setHash(id: string, hash: string): void {
    const e = this.byId.get(id)
    if (e) e.summary = { ...e.summary, hash }
  }

  private index(entries: RegistryEntry[]): void {
    this.byId.clear()
    for (const e of entries) {
      const first = this.byId.get(e.summary.id)
      if (first) {
        // Later folder loses; it keeps a distinct id so lists keyed by id stay unique.
        const where = first.label(join(first.summary.dir, 'model.json'))
        e.summary = {
          ...e.summary,
          id: uniqueId(e.summary.id, this.byId),
          error: e.summary.error ?? `${e.label(join(e.summary.dir, 'model.json'))}: id: "${first.summary.id}" is already used by ${where}`,
        }
      }
      this.byId.set(e.summary.id, e)
    }
    this.entries = entries
  }

  private async load(d: ModelDir, dir: string): Promise<RegistryEntry> {
    const label = labeller(d)
    const folder = basename(dir)
    const summary: ModelSummary = {
      id: folder, family: 'unknown', title: folder, description: '', source: d.source, dir,
      params: [], license: '', dataSource: '', metrics: {}, hash: '',
    }
    const entry: RegistryEntry = { summary, files: {}, label }
    const broken = (error: string) => ((entry.summary = { ...entry.summary, error }), entry)
    const mPath = join(dir, 'model.json')

    let json: unknown
    try {
      // stat first: reading a named pipe (or a device) as model.json would block the scan, and the
      // supervisor would restart into the same hang.
      const s = await stat(mPath)
      if (!s.isFile()) return broken(`${label(mPath)}: not a plain file (a manifest must be a regular JSON file)`)
      if (s.size > MAX_MANIFEST_BYTES) return broken(`${label(mPath)}: ${s.size} bytes is over the ${MAX_MANIFEST_BYTES / 1024} KiB limit for a manifest`)
      json = JSON.parse(await readFile(mPath, 'utf8'))
    } catch (e) {
      const err = e as NodeJS.ErrnoException
      if (err.code === 'ENOENT') return broken(`${label(mPath)}: missing (every model folder needs a model.json manifest)`)
      return broken(`${label(mPath)}: not valid JSON (${err.message})`)
    }
    const parsed = parseManifest(json)
    if (!parsed.ok) {
      const id = (json as { id?: unknown })?.id
      if (typeof id === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(id)) entry.summary.id = id
      return broken(parsed.errors.map((m) => `${label(mPath)}: ${m}`).join('; '))
    }
    const m = parsed.value
    entry.manifest = m
    const inputs = this.opts.inputsOf?.(m.family)
    entry.summary = {
      ...summary, id: m.id, family: m.family, title: m.title, description: m.description, params: m.params,
      license: m.license, dataSource: m.data.source, metrics: m.metrics, manifest: m,
      ...(inputs && Object.keys(inputs).length ? { inputs: structuredClone(inputs) as Record<string, InputSpec> } : {}),
    }
    if (this.opts.isSupported && !this.opts.isSupported(m.family)) {
      return broken(`${label(mPath)}: family: "${m.family}" is not supported by this version of the engine yet`)
    }

    const max = this.opts.maxOnnxBytes ?? MAX_ONNX_BYTES
    const paths: string[] = []
    for (const role of hashOrder(m)) {
      const p = join(dir, m.graphs[role].file)
      const field = `graphs.${role}.file`
      try {
        const s = await stat(p)
        if (!s.isFile()) return broken(`${label(p)}: not a plain file (${field})`)
        if (s.size > max) return broken(`${label(p)}: ${gib(s.size)} is over the ${gib(max)} limit for one ONNX file (${field})`)
      } catch (e) {
        const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message
        return broken(`${label(p)}: ${why} (${field} in ${label(mPath)})`)
      }
      entry.files[role] = p
      paths.push(p)
    }
    try {
      entry.summary.hash = await hashFiles(paths)
    } catch (e) {
      return broken(`${label(dir)}: cannot read ONNX files (${(e as Error).message})`)
    }
    const directions = await readDirections(dir, m)
    if (directions) entry.summary.directions = directions
    return entry
  }
}

function gib(n: number): string {
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(2)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`
}

function uniqueId(id: string, taken: Map<string, unknown>): string {
  for (let i = 2; ; i++) if (!taken.has(`${id}#${i}`)) return `${id}#${i}`
}
