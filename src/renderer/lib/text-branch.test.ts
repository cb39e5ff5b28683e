/**
 * The requests a cursor makes: the text before it (picked characters included), the branch that lets the
 * engine reuse the draft's state, the sampling params of text/next, and the refusals a writer can meet.
 */
import { describe, expect, it } from 'vitest'
import { clampAt, continueParams, nextRequest, prefixOf, type CursorAt } from './text-branch'
import { lstmSummary } from './text-test-models'

const full = 'It is a truth universally acknowledged'
const cursor = (over: Partial<CursorAt> = {}): CursorAt => ({ jobId: 'job-1', modelId: 'lstm-test', draft: 2, full, at: 13, picked: '', ...over })
const panel = { prime: 'It is', length: 300, temperature: 0.5, topK: 5, topP: 0.9, drafts: 2, stop: '' }

describe('the cursor', () => {
  it('stays inside the text with at least one character before it', () => {
    expect([-3, 0, 1, 12.6, 38, 99].map((a) => clampAt(a, full))).toEqual([1, 1, 1, 13, 38, 38])
    expect(clampAt(5, '')).toBe(0)
  })

  it('reads the text up to it plus what was picked by hand', () => {
    expect(prefixOf(cursor())).toBe('It is a truth')
    expect(prefixOf(cursor({ picked: ', s' }))).toBe('It is a truth, s')
  })
})

describe('text/next at the cursor', () => {
  it('asks for the odds after the prefix with only the sampling params, reusing the draft state', () => {
    expect(nextRequest(cursor({ picked: 'f' }), panel)).toEqual({
      modelId: 'lstm-test', text: 'It is a truthf', params: { temperature: 0.5, topK: 5, topP: 0.9 }, n: 10,
      branch: { jobId: 'job-1', draft: 2, at: 13 },
    })
  })

  it('sends no branch for a text opened from a file (no engine job holds its states)', () => {
    expect(nextRequest(cursor({ jobId: null }), panel, 5)).not.toHaveProperty('branch')
  })
})

describe('continue from here', () => {
  const specs = lstmSummary().params

  it('primes the new job with the text before the cursor and keeps the panel params', () => {
    const r = continueParams(cursor({ picked: '!' }), specs, panel)
    expect(r).toEqual({ ok: true, params: { ...panel, prime: 'It is a truth!' }, branch: { jobId: 'job-1', draft: 2, at: 13 } })
  })

  it('refuses a prefix longer than a prime may be, saying how long it is', () => {
    const short = lstmSummary('lstm-short', 10).params
    const r = continueParams(cursor(), short, panel)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatch(/13 characters .* at most 10/)
  })

  it('refuses a model without a prime', () => {
    expect(continueParams(cursor(), [], panel)).toEqual({ ok: false, error: 'this model has no prime to continue from' })
  })
})
