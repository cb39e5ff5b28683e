/**
 * The drafts of a text job as data: one per draft, growing as `job/partial` parts of kind `text` stream
 * in (each part carries only the characters appended since the previous one). Arrays and draft objects
 * are replaced, never mutated, so only a draft whose text changed re-renders. Pure: unit-tested.
 */
import type { JobPart, ParamValues } from '../../common/contract'
import type { Recipe } from '../../common/recipe'

export type TextPart = Extract<JobPart, { kind: 'text' }>

/** Why a draft ended, as the engine said on its last part. */
export type DraftEnd = 'stop' | 'length'

export interface Draft {
  index: number
  /** The seed that writes this draft alone (job seed + index, uint32). */
  seed: number
  /** What the model wrote after the prime (the prime itself is the job's). */
  text: string
  end: DraftEnd | null
}

/** What a draft's status line says. `done`: the job finished without naming a reason for this draft. */
export type DraftStatus = 'waiting' | 'writing' | 'stop' | 'length' | 'done' | 'cancelled' | 'failed'

export const STATUS_WORDS: Record<DraftStatus, string> = {
  waiting: 'waiting…',
  writing: 'writing…',
  stop: 'stopped at a stop sequence',
  length: 'reached its length',
  done: 'finished',
  cancelled: 'cancelled',
  failed: 'failed',
}

/** `count` empty drafts for a job seeded `seed`. */
export function emptyDrafts(seed: number, count: number): Draft[] {
  return Array.from({ length: count }, (_, i) => ({ index: i, seed: (seed + i) >>> 0, text: '', end: null }))
}

/** How many drafts a job asked for (its `drafts` param, else 1). */
export function draftCount(params: Record<string, unknown>): number {
  const n = Number(params.drafts ?? 1)
  return Number.isInteger(n) && n > 0 ? n : 1
}

/**
 * Append parts in arrival order. A part for a draft past the end (the engine wrote more drafts than the
 * request implied) adds that draft rather than losing its text. A draft that has ended takes no more text.
 */
export function applyTextParts(drafts: readonly Draft[], parts: readonly TextPart[], seed: number): Draft[] {
  if (!parts.length) return drafts as Draft[]
  const out = drafts.slice()
  for (const p of parts) {
    while (out.length <= p.draft) out.push(emptyDrafts(seed, out.length + 1)[out.length])
    const d = out[p.draft]
    if (d.end) continue
    out[p.draft] = { ...d, text: d.text + p.text, end: p.end ?? null }
  }
  return out
}

/** A draft's status from its own end and its job's state. */
export function draftStatus(d: Draft, job: 'queued' | 'starting' | 'running' | 'done' | 'failed' | 'cancelled'): DraftStatus {
  if (d.end) return d.end
  switch (job) {
    case 'queued':
    case 'starting':
      return 'waiting'
    case 'running':
      return d.text ? 'writing' : 'waiting'
    default:
      return job
  }
}

/** Characters written over all drafts, and the most they could reach (an ended draft counts as full). */
export function textProgress(drafts: readonly Draft[], length: number): { done: number; total: number } {
  let done = 0
  for (const d of drafts) done += d.end ? Math.max(length, d.text.length) : Math.min(length, d.text.length)
  return { done, total: Math.max(done, drafts.length * length) }
}

/** Files the studio opens as text (by name: browsers often give .md an empty MIME type). */
export function isTextFileName(name: string): boolean {
  return /\.(txt|md|markdown)$/i.test(name)
}

/**
 * The recipe for one draft alone: its own seed (job seed + index), one draft. A draft that did not end by
 * itself (cancelled, still writing) records the length it reached, so the recipe writes exactly the text
 * the file holds — draft i of a job is the same characters as a one-draft job seeded seed + i.
 */
export function draftRecipe(job: Recipe, draft: Draft): Recipe {
  const { index: _index, ...rest } = job
  const params: ParamValues = { ...job.params }
  if ('drafts' in params) params.drafts = 1
  if (!draft.end && 'length' in params) params.length = Math.max(1, draft.text.length)
  return { ...rest, seed: draft.seed, params }
}
