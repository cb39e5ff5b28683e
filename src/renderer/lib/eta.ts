/**
 * When will each queued job end? Measured, not guessed: each model's speed is the work its recent finished
 * jobs did (Job.work: images, steps × chains, characters, samples × voices) over the time the engine took
 * for them (job/done `ms`), and the running job's own progress so far once it has some. A job whose
 * model has no measurement yet has no ETA, and neither has anything queued behind it.
 */

/** Finished jobs per model the speed is taken from: recent enough to follow the machine's load. */
const RECENT = 5

export interface SpeedSample {
  work: number
  ms: number
}

/** Measured speed per model (work units per ms). */
export class SpeedBook {
  #runs = new Map<string, SpeedSample[]>()

  /** A finished job of `modelId` did `work` in `ms` of engine time. */
  record(modelId: string, work: number, ms: number): void {
    if (!(work > 0 && ms > 0)) return
    const runs = [...(this.#runs.get(modelId) ?? []), { work, ms }].slice(-RECENT)
    this.#runs.set(modelId, runs)
  }

  /** Work per ms over the model's recent jobs, or null before its first finished job. */
  rate(modelId: string): number | null {
    const runs = this.#runs.get(modelId)
    if (!runs?.length) return null
    return runs.reduce((n, r) => n + r.work, 0) / runs.reduce((n, r) => n + r.ms, 0)
  }

  /** How many jobs the model's speed is measured over. */
  samples(modelId: string): number {
    return this.#runs.get(modelId)?.length ?? 0
  }
}

/** What an ETA needs of a job. */
export interface EtaJob {
  modelId: string
  work: number
  /** Running: the share of its work shown so far (0..1), and ms since it was sent. */
  fraction?: number
  elapsedMs?: number
}

/** A running job's own speed counts once this share of it is done (before, its start-up would dominate). */
const LIVE_FROM = 0.1

/** Ms until the running job ends: its own measured pace once it has made progress, else its model's. */
export function remainingMs(job: EtaJob, rate: (modelId: string) => number | null): number | null {
  const f = Math.min(1, Math.max(0, job.fraction ?? 0))
  if (f >= LIVE_FROM && job.elapsedMs && job.elapsedMs > 0) return (job.elapsedMs * (1 - f)) / f
  const r = rate(job.modelId)
  return r ? (job.work * (1 - f)) / r : null
}

/** Ms from now until each queued job ends (in queue order), after the running one; null where unknown. */
export function queueEtas(running: EtaJob | null, waiting: readonly EtaJob[], rate: (modelId: string) => number | null): (number | null)[] {
  let at: number | null = running ? remainingMs(running, rate) : 0
  return waiting.map((j) => {
    const r = rate(j.modelId)
    at = at === null || !r ? null : at + j.work / r
    return at
  })
}

/** "<1 s", "12 s", "3 min 05 s". */
export function formatEta(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 1) return '<1 s'
  if (s < 60) return `${s} s`
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`
}
