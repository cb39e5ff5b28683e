/**
 * The kept states behind "continue from here": a resume finds the nearest kept state at or before
 * the cursor, only for the same model and the same text, and memory stays within its limits.
 */
import { describe, expect, it } from 'vitest'
import { StateCache, type LstmState } from './state-cache'

const state = (v: number, n = 4): LstmState => ({ h: new Float32Array(n).fill(v), c: new Float32Array(n).fill(-v) })
const BYTES = 32 // one state(): 2 × 4 float32

/** A job with prime "ab" and draft 0 writing "cde": states S_1 (prime) and S_2, S_3, S_4 (draft). */
function job(cache: StateCache, id = 'j1') {
  const j = cache.begin(id, 'm|hash|cpu', 'ab', 2, 2 + 2 * 3, BYTES)
  j.putPrime(1, state(1))
  j.append(0, 'cde')
  for (const k of [2, 3, 4]) j.putDraft(0, k, state(k))
  j.append(1, 'xy')
  j.putDraft(1, 2, state(2))
  return j
}

describe('StateCache', () => {
  it('resumes at the nearest kept state at or before at − 1 when the text matches', () => {
    const cache = new StateCache()
    job(cache)
    expect(cache.resume({ jobId: 'j1', draft: 0, at: 4 }, 'm|hash|cpu', 'abcd')).toMatchObject({ k: 3, state: { h: state(3).h } })
    expect(cache.resume({ jobId: 'j1', draft: 0, at: 5 }, 'm|hash|cpu', 'abcde and more')?.k).toBe(4)
    expect(cache.resume({ jobId: 'j1', draft: 0, at: 2 }, 'm|hash|cpu', 'ab')?.k).toBe(1)
    // Position 1 has no kept state before it: read from zeros.
    expect(cache.resume({ jobId: 'j1', draft: 0, at: 1 }, 'm|hash|cpu', 'a')).toEqual({ k: 0, state: null })
    expect(cache.resume({ jobId: 'j1', draft: 1, at: 4 }, 'm|hash|cpu', 'abxy')?.k).toBe(2)
  })

  it('refuses another model, another text, an unknown job and positions outside the draft', () => {
    const cache = new StateCache()
    job(cache)
    const b = { jobId: 'j1', draft: 0, at: 4 }
    expect(cache.resume(b, 'm|other|cpu', 'abcd')).toBeNull()
    expect(cache.resume(b, 'm|hash|cpu', 'abXd')).toBeNull()
    expect(cache.resume(b, 'm|hash|cpu', 'abc')).toBeNull() // the text is shorter than `at`
    expect(cache.resume({ ...b, jobId: 'nope' }, 'm|hash|cpu', 'abcd')).toBeNull()
    expect(cache.resume({ ...b, at: 6 }, 'm|hash|cpu', 'abcdef')).toBeNull()
    expect(cache.resume({ ...b, draft: 2 }, 'm|hash|cpu', 'abcd')).toBeNull()
    expect(cache.resume({ ...b, at: 0 }, 'm|hash|cpu', 'abcd')).toBeNull()
  })

  it('keeps every state within the job budget, every stride-th beyond it', () => {
    const cache = new StateCache({ maxBytes: 1 << 20, jobBytes: 10 * BYTES, maxJobs: 4 })
    const j = cache.begin('big', 'm', 'p', 1, 1 + 40, BYTES) // 41 states for a 10-state budget
    expect(j.stride).toBe(5)
    j.append(0, 'x'.repeat(40))
    for (let k = 1; k <= 40; k++) j.putDraft(0, k, state(k))
    expect(j.bytes).toBe(8 * BYTES)
    expect(cache.resume({ jobId: 'big', draft: 0, at: 23 }, 'm', 'p' + 'x'.repeat(30))?.k).toBe(20)
  })

  it('drops the least recently used jobs first, never the one being written', () => {
    const cache = new StateCache({ maxBytes: 10 * BYTES, jobBytes: 100 * BYTES, maxJobs: 3 })
    job(cache, 'a') // 5 states
    job(cache, 'b') // 10 in all
    cache.resume({ jobId: 'a', draft: 0, at: 3 }, 'm|hash|cpu', 'abc') // a is now the most recent
    const c = cache.begin('c', 'm', 'p', 1, 11, BYTES)
    c.append(0, 'x'.repeat(10))
    c.putDraft(0, 1, state(1))
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')).toBeDefined()
    for (let k = 2; k <= 10; k++) c.putDraft(0, k, state(k)) // c alone exceeds the cap: a goes, c stays
    expect(cache.get('a')).toBeUndefined()
    expect(cache.get('c')).toBe(c)
    expect(cache.bytes).toBe(10 * BYTES)
  })

  it('a branch job starting in a full cache does not push out the job it continues', () => {
    const cache = new StateCache({ maxBytes: 1 << 20, jobBytes: 1 << 20, maxJobs: 2 })
    job(cache, 'source')
    job(cache, 'other') // the cache is full; 'source' is the least recently used
    const branch = cache.begin('branch', 'm|hash|cpu', 'abcd', 1, 10, BYTES)
    expect(cache.resume({ jobId: 'source', draft: 0, at: 4 }, 'm|hash|cpu', 'abcd')?.k).toBe(3)
    branch.putPrime(3, state(3))
    expect(cache.get('source')).toBeDefined()
    expect(cache.get('other')).toBeUndefined()
  })
})
