/**
 * ONNX Runtime sessions: created lazily on a model's first job, cached per (model, EP preference),
 * released on reload. Handles execution-provider choice and honest fallback to CPU.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import * as ort from 'onnxruntime-node'
import type { ExecutionProviderPref } from '../common/manifest'
import { hashBuffers, hashOrder, type ModelRegistry, type RegistryEntry } from './registry'
import { checkSignature } from './signature'

export type EpName = 'cuda' | 'dml' | 'cpu'
const EP_TITLE: Record<EpName, string> = { cuda: 'CUDA', dml: 'DirectML', cpu: 'CPU' }

/** A model ready to run: one session per graph role, all on the same EP. */
export interface LoadedModel {
  sessions: Record<string, ort.InferenceSession>
  /** The EP the sessions were created with (after any fallback). */
  ep: EpName
  /** sha256 prefix of the exact bytes the sessions were created from. */
  hash: string
  /** Shown on every job that uses this model with this preference (e.g. a pinned EP that fell back). */
  warnings: string[]
  /** Shown once, on the job that loaded it. */
  notes: string[]
  /** Graph role → ONNX path, and the intra-op threads: for a family that runs a graph in a worker thread (deepdream). */
  origin?: { files: Record<string, string>; threads: number }
}

export interface SessionOptions {
  threads: number
  platform?: NodeJS.Platform
}

/** Whether onnxruntime-node's CUDA provider library is installed next to the binding. */
function cudaLibraryPresent(): boolean {
  try {
    const req = createRequire(import.meta.url)
    const bin = join(dirname(req.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch)
    return existsSync(join(bin, 'libonnxruntime_providers_cuda.so'))
  } catch {
    return true // cannot tell: let ORT try and report
  }
}

/** EPs to try, best first. `auto`: CUDA on Linux (when installed), DirectML on Windows, then CPU. */
export function epCandidates(pref: ExecutionProviderPref, platform: NodeJS.Platform): EpName[] {
  if (pref === 'cpu') return ['cpu']
  if (pref === 'cuda') return ['cuda', 'cpu']
  if (pref === 'dml') return ['dml', 'cpu']
  if (platform === 'win32') return ['dml', 'cpu']
  // Without the CUDA libraries (ONNXRUNTIME_NODE_INSTALL=skip) auto means CPU: no attempt, no warning.
  if (platform === 'linux' && cudaLibraryPresent()) return ['cuda', 'cpu']
  return ['cpu']
}

const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0].trim()

export class SessionCache {
  private cache = new Map<string, Promise<LoadedModel>>()

  constructor(
    private readonly registry: ModelRegistry,
    private readonly opts: SessionOptions,
  ) {}

  /**
   * The model's sessions for this EP preference, loading them on first use. Rejects with a readable
   * error (and marks the model broken) when a file is not valid ONNX or its signature is not the
   * manifest's.
   */
  load(entry: RegistryEntry, pref: ExecutionProviderPref): Promise<LoadedModel> {
    const eps = epCandidates(pref, this.opts.platform ?? process.platform)
    // Keyed by what will be tried (and, with a fallback, by pref: pinned warns, auto only notes),
    // so `auto` and `cpu` share one session where auto means CPU.
    const key = eps.length === 1 ? `${entry.summary.id}|${eps[0]}` : `${entry.summary.id}|${pref}|${eps.join('>')}`
    let p = this.cache.get(key)
    if (!p) {
      p = this.create(entry, pref, eps)
      this.cache.set(key, p)
      p.catch(() => this.cache.delete(key)) // a later job retries (the user may fix the file)
    }
    return p
  }

  /** Release every session (models/reload, shutdown). Callers make sure no job is running. */
  async disposeAll(): Promise<void> {
    const all = [...this.cache.values()]
    this.cache.clear()
    for (const p of all) {
      const m = await p.catch(() => null)
      if (m) for (const s of Object.values(m.sessions)) await s.release().catch(() => {})
    }
  }

  private async create(entry: RegistryEntry, pref: ExecutionProviderPref, eps: EpName[]): Promise<LoadedModel> {
    const m = entry.manifest
    if (!m) throw new Error(entry.summary.error ?? `model "${entry.summary.id}" has no valid manifest`)
    const roles = hashOrder(m)
    const bytes = await Promise.all(roles.map((r) => readFile(entry.files[r])))
    const hash = hashBuffers(bytes)
    if (hash !== entry.summary.hash) this.registry.setHash(entry.summary.id, hash) // file changed since the scan

    const warnings: string[] = []
    const notes: string[] = []
    for (const ep of eps) {
      const sessions: Record<string, ort.InferenceSession> = {}
      try {
        for (const [i, role] of roles.entries()) {
          sessions[role] = await this.createOne(entry, role, bytes[i], ep)
        }
      } catch (e) {
        for (const s of Object.values(sessions)) await s.release().catch(() => {})
        if ((e as { modelError?: boolean }).modelError) throw e
        // The EP itself would not start (missing libraries, no device): say so and try the next one.
        const why = `${EP_TITLE[ep]} was requested but could not start: ${firstLine(e)}; running on CPU`
        if (pref === 'auto') notes.push(why)
        else warnings.push(why)
        continue
      }
      if (ep !== 'cpu') {
        // ORT assigns unsupported nodes to the CPU without telling the Node API: be honest about it.
        notes.push(
          `${EP_TITLE[ep]} started, but ONNX Runtime does not report node placement here: ` +
            `some operators may run on the CPU`,
        )
      }
      return { sessions, ep, hash, warnings, notes, origin: { files: entry.files, threads: this.opts.threads } }
    }
    throw new Error(`${entry.summary.id}: no execution provider could start`)
  }

  /** One session; errors that are the model's fault carry `modelError` so no other EP is tried. */
  private async createOne(entry: RegistryEntry, role: string, bytes: Uint8Array, ep: EpName): Promise<ort.InferenceSession> {
    const spec = entry.manifest!.graphs[role]
    const label = entry.label(entry.files[role])
    let session: ort.InferenceSession
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: [ep],
        intraOpNumThreads: this.opts.threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      })
    } catch (e) {
      if (ep !== 'cpu') throw e // might be the EP: the caller retries on CPU, which tells the two apart
      throw this.modelError(entry, `${label}: not a valid ONNX model (${firstLine(e)})`)
    }
    const errors = checkSignature(label, spec, session)
    if (errors.length) {
      await session.release().catch(() => {})
      throw this.modelError(entry, errors.join('; '))
    }
    return session
  }

  private modelError(entry: RegistryEntry, message: string): Error {
    this.registry.markBroken(entry.summary.id, message)
    return Object.assign(new Error(message), { modelError: true })
  }
}
