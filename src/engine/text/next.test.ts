/**
 * `text/next` for real (lstm-austen through the engine host): the characters offered at a cursor are
 * the ones the sampler would draw, with the odds it draws them, with or without a kept state, and
 * even while a job is writing.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ParamValues, TextNextRequest } from '../../common/contract'
import { SHIPPED_DIR, startEngine } from '../testing'
import { readGoldens } from '../testing-golden'
import { runTextJob } from './testing-text'

const ID = 'lstm-austen'
const greedy = (readGoldens(join(SHIPPED_DIR, ID))[0] as unknown as { greedy: { prime: string; text: string } }).greedy

describe(`text/next with ${ID}`, () => {
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }])
  beforeAll(() => engine.start())
  afterAll(() => engine.stop())
  const next = (text: string, params: ParamValues, n = 10, branch?: TextNextRequest['branch']) =>
    engine.invoke('text/next', { modelId: ID, text, params, n, branch })

  it('lists candidates likeliest first with odds summing to at most 1; greedy offers the golden next character alone', async () => {
    const { candidates } = await next('It was a ', { temperature: 0.8 }, 5)
    expect(candidates).toHaveLength(5)
    const ps = candidates.map((c) => c.p)
    expect(ps).toEqual([...ps].sort((a, b) => b - a))
    expect(ps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9)
    expect(new Set(candidates.map((c) => c.char)).size).toBe(5)
    const all = await next('It was a ', { temperature: 0.8 }, 100)
    expect(all.candidates.reduce((a, c) => a + c.p, 0)).toBeCloseTo(1, 9)
    const g = await next(greedy.prime, { topK: 1 }, 5)
    expect(g.candidates).toEqual([{ char: greedy.text[0], p: 1 }])
  })

  it('offers exactly what the job samples: top-k / top-p sets hold every first character drawn, at the stated odds', async () => {
    const prime = 'She said that '
    const params = { temperature: 1.3, topK: 4, topP: 0.9 }
    const { candidates } = await next(prime, params, 100)
    expect(candidates.length).toBeLessThanOrEqual(4)
    const counts = new Map<string, number>()
    const jobs = 40
    for (let s = 0; s < jobs; s++) {
      const o = await runTextJob(engine, { modelId: ID, seed: 1000 + 8 * s, params: { prime, length: 1, drafts: 8, ...params }, ep: 'cpu' })
      for (const t of o.texts) counts.set(t, (counts.get(t) ?? 0) + 1)
    }
    const n = jobs * 8
    for (const ch of counts.keys()) expect(candidates.map((c) => c.char), `drawn ${JSON.stringify(ch)}`).toContain(ch)
    for (const { char, p } of candidates) {
      const f = (counts.get(char) ?? 0) / n
      expect(Math.abs(f - p), `${JSON.stringify(char)}: drawn ${f.toFixed(3)}, offered ${p.toFixed(3)}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n) + 0.01)
    }
  })

  it('gives the same answer from a kept draft state as from reading the text, also while a job runs', async () => {
    const job = await runTextJob(engine, { modelId: ID, seed: 2, params: { prime: 'Her sister ', length: 150, drafts: 2 }, ep: 'cpu' })
    const full = job.prime + job.texts[1]
    const params = { temperature: 0.7, topP: 0.95 }
    for (const at of [5, 40, full.length]) {
      const fresh = await next(full.slice(0, at), params, 8)
      const kept = await next(full.slice(0, at), params, 8, { jobId: job.jobId, draft: 1, at })
      expect(kept, `at ${at}`).toEqual(fresh)
    }
    // Beside a long job: the answer comes while it writes, and the job's text is unchanged by it.
    const long = runTextJob(engine, { modelId: ID, seed: 2, params: { prime: 'Her sister ', length: 1500, drafts: 2 }, ep: 'cpu' })
    let longDone = false
    void long.then(() => (longDone = true))
    const during = await next(full.slice(0, 40), params, 8, { jobId: job.jobId, draft: 1, at: 40 })
    expect(longDone).toBe(false) // answered beside the job, not queued behind it
    const o = await long
    expect(o.progress.at(-1)?.done).toBe(3000)
    expect(o.texts[1].startsWith(job.texts[1])).toBe(true)
    expect(during).toEqual(await next(full.slice(0, 40), params, 8))
  })

  it('says clearly what is wrong with a request', async () => {
    await expect(next('Straße', {})).rejects.toThrow(/the text has characters this model never saw: "ß"/)
    await expect(next('', {})).rejects.toThrow(/needs the text before the cursor/)
    await expect(next('It', {}, 0)).rejects.toThrow(/n must be a whole number from 1 to 100/)
    await expect(next('It', { temperature: 9 })).rejects.toThrow(/parameter "temperature" is 9, allowed 0.05…2/)
    await expect(engine.invoke('text/next', { modelId: 'dcgan-emoji', text: 'It', params: {}, n: 3 })).rejects.toThrow(/not a text model/)
  })
})
