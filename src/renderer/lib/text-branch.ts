/**
 * Branching as data: a cursor placed at a character of a draft, the characters the writer picked by hand
 * after it, and the requests that follow from it — `text/next` for the candidates at the cursor and the
 * job that continues from there. Pure: unit-tested in text-branch.test.ts.
 */
import type { JobRequest, ParamValues, TextNextRequest } from '../../common/contract'
import type { ParamSpec } from '../../common/manifest'

/** Only these params shape the next-character odds (contract: TextNextRequest.params). */
const SAMPLING_KEYS = ['temperature', 'topK', 'topP'] as const

/** How many candidates the chips show. */
export const NEXT_CHARS = 10

export interface CursorAt {
  /** The engine's id of the job whose draft holds the cursor; null for a text opened from a file. */
  jobId: string | null
  modelId: string
  draft: number
  /** The draft's whole text: prime + written (so far). */
  full: string
  /** Offset into `full`, 1…full.length: the cursor sits after full[at - 1]. */
  at: number
  /** Characters picked by hand after the cursor. */
  picked: string
}

/** Keep a cursor inside its text: at least one character before it (the model needs something to read). */
export function clampAt(at: number, full: string): number {
  return Math.max(Math.min(1, full.length), Math.min(full.length, Math.round(at)))
}

/** The text before the cursor, picked characters included: what the next character follows. */
export function prefixOf(c: CursorAt): string {
  return c.full.slice(0, c.at) + c.picked
}

/** The engine may reuse the state it kept for the draft at `at`; a file's text has no job to reuse. */
export function branchOf(c: CursorAt): JobRequest['branch'] | undefined {
  return c.jobId ? { jobId: c.jobId, draft: c.draft, at: c.at } : undefined
}

/** `text/next` at the cursor, with the sampling params the next job would use. */
export function nextRequest(c: CursorAt, params: ParamValues, n = NEXT_CHARS): TextNextRequest {
  const sampling: ParamValues = {}
  for (const k of SAMPLING_KEYS) if (k in params) sampling[k] = params[k]
  const branch = branchOf(c)
  return { modelId: c.modelId, text: prefixOf(c), params: sampling, n, ...(branch ? { branch } : {}) }
}

/**
 * The params and branch of the job that continues from the cursor: the panel's params with the prime
 * replaced by the text before the cursor. Refused (with the reason in words) when that text is longer
 * than the prime may be: the recipe must be able to make the continuation again from the prime alone.
 */
export function continueParams(
  c: CursorAt,
  specs: readonly ParamSpec[],
  params: ParamValues,
): { ok: true; params: ParamValues; branch?: JobRequest['branch'] } | { ok: false; error: string } {
  const prime = specs.find((s) => s.key === 'prime')
  if (!prime || prime.type !== 'text') return { ok: false, error: 'this model has no prime to continue from' }
  const text = prefixOf(c)
  if (!text) return { ok: false, error: 'place the cursor after at least one character' }
  if (text.length > prime.maxLength) {
    return {
      ok: false,
      error: `the text up to the cursor is ${text.length} characters and a prime holds at most ${prime.maxLength}; continue from an earlier position`,
    }
  }
  const branch = branchOf(c)
  return { ok: true, params: { ...params, prime: text }, ...(branch ? { branch } : {}) }
}
