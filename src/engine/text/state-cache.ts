/**
 * LSTM states kept per character of recent text jobs, so "continue from here" at any position of a
 * draft starts at once instead of reading the whole prime + draft again.
 *
 * Position k means "after reading k characters of prime + written text"; S_k is the (h, c) the step
 * graph gets as input when it reads character k. Resuming at `at` takes the nearest kept S_k with
 * k ≤ at − 1 and reads characters k … at − 1 again (always ≥ 1: that step yields the logits for the
 * next draw). Same inputs, same graph: the result is the state a fresh warm-up reaches, bit for bit
 * (ORT's CPU LSTM computes each batch row alone; char-lstm.test.ts checks it).
 *
 * Memory. A state is 2 × layers × hidden float32: 8 KiB for the shipped 2 × 512 models, so a
 * default job (3 drafts × 600 characters) is ~15 MiB. One job may keep JOB_BYTES (128 MiB, ~16k
 * states): below that every state is kept; above it (e.g. 8 drafts × 20,000 characters, 1.3 GB if
 * every state were kept) only every `stride`-th, and a resume reads ≤ stride − 1 extra characters
 * (stride ≤ 10 at the parameter maxima: a few ms). All jobs together stay under MAX_BYTES (256 MiB,
 * at most MAX_JOBS jobs): the least recently used jobs go first, never the one being written.
 */

/** One draft's state: h and c, each (layers, hidden) float32. Never mutated once kept. */
export interface LstmState {
  h: Float32Array
  c: Float32Array
}

export type Branch = { jobId: string; draft: number; at: number }

export const MAX_BYTES = 256 * 2 ** 20
export const JOB_BYTES = 128 * 2 ** 20
export const MAX_JOBS = 8

/** The states of one job: prime positions are shared by its drafts. */
export class JobStates {
  /** Bytes of the states kept (shared ones counted once per job). */
  bytes = 0
  private readonly primeStates: (LstmState | undefined)[] = []
  private readonly written: string[]
  private readonly draftStates: (LstmState | undefined)[][]

  constructor(
    readonly jobId: string,
    /** Model id + weights hash + EP: a state is only valid for the exact graph that made it. */
    readonly modelKey: string,
    /** The prime as the model read it. */
    readonly prime: string,
    drafts: number,
    /** Keep S_k only where k % stride = 0 (1 = every position). */
    readonly stride: number,
    private readonly onGrow: (bytes: number) => void,
  ) {
    this.written = Array.from({ length: drafts }, () => '')
    this.draftStates = Array.from({ length: drafts }, () => [])
  }

  get drafts(): number {
    return this.written.length
  }

  /** Prime + written text of a draft so far. */
  text(draft: number): string {
    return this.prime + this.written[draft]
  }

  append(draft: number, chars: string): void {
    this.written[draft] += chars
  }

  /** S_k for k < prime length (the same for every draft). */
  putPrime(k: number, s: LstmState): void {
    if (k % this.stride !== 0 || this.primeStates[k]) return
    this.primeStates[k] = s
    this.grow(s)
  }

  /** S_k of one draft, k ≥ prime length. */
  putDraft(draft: number, k: number, s: LstmState): void {
    if (k % this.stride !== 0) return
    this.draftStates[draft][k - this.prime.length] = s
    this.grow(s)
  }

  /** The kept S_k of `draft` with the largest k ≤ upTo, or k = 0 with no state (zeros) when none is kept. */
  nearest(draft: number, upTo: number): { k: number; state: LstmState | null } {
    const P = this.prime.length
    for (let k = upTo; k >= 1; k--) {
      const s = k < P ? this.primeStates[k] : this.draftStates[draft][k - P]
      if (s) return { k, state: s }
    }
    return { k: 0, state: null }
  }

  private grow(s: LstmState): void {
    const b = s.h.byteLength + s.c.byteLength
    this.bytes += b
    this.onGrow(b)
  }
}

export class StateCache {
  /** Insertion order = least recently used first. */
  private readonly jobs = new Map<string, JobStates>()
  private total = 0

  constructor(readonly limits = { maxBytes: MAX_BYTES, jobBytes: JOB_BYTES, maxJobs: MAX_JOBS }) {}

  get bytes(): number {
    return this.total
  }

  /**
   * Start keeping states for a job that will read about `expected` positions in all (prime +
   * drafts × length); `stateBytes` is one state's size. The stride follows from the per-job budget.
   */
  begin(jobId: string, modelKey: string, prime: string, drafts: number, expected: number, stateBytes: number): JobStates {
    const stride = Math.max(1, Math.ceil((expected * stateBytes) / this.limits.jobBytes))
    const job = new JobStates(jobId, modelKey, prime, drafts, stride, (b) => {
      this.total += b
      this.evict(job)
    })
    // No eviction yet: the job holds nothing, and a branch job must first resume (and so refresh) its source.
    this.jobs.set(jobId, job)
    return job
  }

  /**
   * Where to resume reading `text` (the full text the model must have read) from a kept draft: the
   * position k and S_k (null = zeros) to read `text[k…]` from. Null when the branch cannot be used:
   * the job is gone, is another model's, or its draft does not start with `text[0 … at)`.
   */
  resume(branch: Branch, modelKey: string, text: string): { k: number; state: LstmState | null } | null {
    const job = this.jobs.get(branch?.jobId)
    if (!job || job.modelKey !== modelKey) return null
    const { draft, at } = branch
    if (!Number.isInteger(draft) || draft < 0 || draft >= job.drafts) return null
    const src = job.text(draft)
    if (!Number.isInteger(at) || at < 1 || at > src.length || at > text.length) return null
    if (text.slice(0, at) !== src.slice(0, at)) return null
    this.jobs.delete(job.jobId) // most recently used now
    this.jobs.set(job.jobId, job)
    return job.nearest(draft, at - 1)
  }

  /** A kept job (tests, and branch jobs copying the states they share). */
  get(jobId: string): JobStates | undefined {
    return this.jobs.get(jobId)
  }

  clear(): void {
    this.jobs.clear()
    this.total = 0
  }

  /** Drop least recently used jobs until within limits; `keep` (the job being written) stays. */
  private evict(keep: JobStates): void {
    for (const job of this.jobs.values()) {
      if (this.total <= this.limits.maxBytes && this.jobs.size <= this.limits.maxJobs) return
      if (job === keep) continue
      this.jobs.delete(job.jobId)
      this.total -= job.bytes
    }
  }
}
