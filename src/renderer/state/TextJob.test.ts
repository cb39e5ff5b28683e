/**
 * A text job as the pane follows it: drafts grow as parts stream, a cancel keeps what was written and
 * says so per draft, a draft's recipe writes exactly that draft, and progress counts characters shown.
 */
import { describe, expect, it } from 'vitest'
import type { JobPart } from '../../common/contract'
import type { Recipe } from '../../common/recipe'
import { lstmSummary } from '../lib/text-test-models'
import { TextJob } from './TextJob.svelte'

const model = lstmSummary()
const params = { prime: 'It is', length: 8, temperature: 0.8, topK: 0, topP: 1, drafts: 2, stop: '' }
const text = (draft: number, t: string, end?: 'stop' | 'length'): JobPart => ({ kind: 'text', draft, text: t, ...(end ? { end } : {}) })

function start() {
  const job = new TextJob({ modelId: model.id, seed: 7, params }, model)
  job.attach('j')
  job.started()
  return job
}

describe('a text job', () => {
  it('streams each draft after the prime, applying parts in batches', () => {
    const job = start()
    expect(job.drafts.map((d) => d.text)).toEqual(['', ''])
    job.receive(text(0, ' a'))
    job.receive(text(1, ' b'))
    job.receive(text(0, 'nd'))
    expect(job.drafts[0].text).toBe('') // queued until the next update (at most 50 ms)
    job.flush()
    expect(job.drafts.map((d) => d.text)).toEqual([' and', ' b'])
    expect(job.fullText(0)).toBe('It is and')
    expect([job.status(0), job.status(1)]).toEqual(['writing', 'writing'])
    expect(job.progressShown).toEqual({ done: 6, total: 16, unit: 'chars' })
  })

  it('keeps what was written when cancelled, and each draft says how it ended', () => {
    const job = start()
    job.receive(text(0, ' a truth', 'length'))
    job.receive(text(1, ' uni'))
    job.fail('cancelled', true) // applies the queued parts first
    expect(job.state).toBe('cancelled')
    expect(job.drafts.map((d) => d.text)).toEqual([' a truth', ' uni'])
    expect([job.status(0), job.status(1)]).toEqual(['length', 'cancelled'])
  })

  it('gives each draft the recipe that writes exactly its text', () => {
    const job = start()
    job.receive(text(1, ' uni'))
    job.fail('cancelled', true)
    const r = job.recipeForDraft(1, '0.1.0')
    expect(r).toMatchObject({ modelId: model.id, modelHash: model.hash, seed: 8, params: { prime: 'It is', drafts: 1, length: 4 } })
  })

  it('is a finished one-draft job when opened from a file, with the file’s recipe', () => {
    const recipe: Recipe = { app: 'latent-studio', appVersion: '0.1.0', modelId: model.id, modelHash: model.hash, seed: 9, params: { ...params, drafts: 1 }, ep: 'cpu' }
    const job = new TextJob({ modelId: model.id, seed: 9, params: recipe.params }, model, { file: 'a.md', prime: 'It is', written: ' a truth', recipe })
    expect(job.state).toBe('done')
    expect(job.id).toBeNull()
    expect(job.fullText(0)).toBe('It is a truth')
    expect(job.status(0)).toBe('done')
    expect(job.ms).toBeNull() // no engine time to show
    expect(job.recipeForDraft(0, '0.1.0')).toMatchObject({ seed: 9, params: { length: 8 } })
  })
})
