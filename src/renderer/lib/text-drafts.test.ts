/**
 * Drafts as they stream: parts append in order per draft, an ended draft takes no more, the status line
 * says why a draft stopped, and a draft's own recipe writes exactly the text it holds.
 */
import { describe, expect, it } from 'vitest'
import type { Recipe } from '../../common/recipe'
import { applyTextParts, draftCount, draftRecipe, draftStatus, emptyDrafts, isTextFileName, textProgress, type TextPart } from './text-drafts'

const part = (draft: number, text: string, end?: 'stop' | 'length'): TextPart => ({ kind: 'text', draft, text, ...(end ? { end } : {}) })

describe('streaming drafts', () => {
  it('one empty draft per requested draft, seeded seed + i (uint32)', () => {
    expect(emptyDrafts(4294967295, 2).map((d) => d.seed)).toEqual([4294967295, 0])
    expect(draftCount({ drafts: 3 })).toBe(3)
    expect(draftCount({})).toBe(1)
  })

  it('appends each draft its own characters, in arrival order, and leaves other drafts identical', () => {
    const d0 = emptyDrafts(7, 2)
    const d1 = applyTextParts(d0, [part(0, 'Mr'), part(1, 'Sh'), part(0, '. D')], 7)
    expect(d1.map((d) => d.text)).toEqual(['Mr. D', 'Sh'])
    const d2 = applyTextParts(d1, [part(1, 'e')], 7)
    expect(d2[0]).toBe(d1[0])
    expect(d2[1].text).toBe('She')
    expect(applyTextParts(d2, [], 7)).toBe(d2)
  })

  it('records why a draft ended and ignores anything after', () => {
    const d = applyTextParts(emptyDrafts(1, 1), [part(0, 'Yes."', 'stop'), part(0, 'more')], 1)
    expect(d[0]).toMatchObject({ text: 'Yes."', end: 'stop' })
  })

  it('keeps text for a draft the request did not announce', () => {
    const d = applyTextParts(emptyDrafts(10, 1), [part(2, 'x')], 10)
    expect(d.map((x) => [x.seed, x.text])).toEqual([[10, ''], [11, ''], [12, 'x']])
  })

  it('says per draft: waiting, writing, stopped, reached the length, cancelled, failed', () => {
    const [empty] = emptyDrafts(1, 1)
    const some = { ...empty, text: 'ab' }
    expect(draftStatus(empty, 'starting')).toBe('waiting')
    expect(draftStatus(empty, 'running')).toBe('waiting')
    expect(draftStatus(some, 'running')).toBe('writing')
    expect(draftStatus({ ...some, end: 'stop' }, 'running')).toBe('stop')
    expect(draftStatus({ ...some, end: 'length' }, 'cancelled')).toBe('length')
    expect(draftStatus(some, 'cancelled')).toBe('cancelled')
    expect(draftStatus(some, 'failed')).toBe('failed')
    expect(draftStatus(some, 'done')).toBe('done')
  })

  it('counts progress in characters; a draft that stopped early counts as complete', () => {
    const d = [{ ...emptyDrafts(1, 1)[0], text: 'abc', end: 'stop' as const }, { ...emptyDrafts(1, 2)[1], text: 'abcd' }]
    expect(textProgress(d, 10)).toEqual({ done: 14, total: 20 })
  })
})

describe('a draft as a file', () => {
  const job: Recipe = {
    app: 'latent-studio', appVersion: '0.1.0', modelId: 'lstm-austen', modelHash: 'abcdef0123456789', seed: 40,
    params: { prime: 'It is', length: 600, temperature: 0.8, drafts: 3, stop: '' }, ep: 'cpu', epPref: 'cpu',
  }

  it('carries its own seed and one draft; a finished draft keeps the length', () => {
    const r = draftRecipe(job, { index: 2, seed: 42, text: 'x'.repeat(600), end: 'length' })
    expect(r).toMatchObject({ seed: 42, params: { drafts: 1, length: 600, prime: 'It is' } })
    expect(job.params.drafts).toBe(3)
  })

  it('records the length a cancelled (or still writing) draft reached, so the recipe writes just that text', () => {
    expect(draftRecipe(job, { index: 1, seed: 41, text: 'abc', end: null }).params.length).toBe(3)
    expect(draftRecipe(job, { index: 1, seed: 41, text: 'ab."', end: 'stop' }).params.length).toBe(600)
  })

  it('opens .txt and .md files as text, whatever the case', () => {
    expect(['a.txt', 'B.MD', 'c.markdown', 'd.png', 'txt'].map(isTextFileName)).toEqual([true, true, true, false, false])
  })
})
