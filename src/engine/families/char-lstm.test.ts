/**
 * The shipped character LSTM for real, through the engine host as the studio drives it: the step
 * graph matches PyTorch, greedy decoding writes PyTorch's golden rollout, drafts are reproducible
 * and independent of how many run, a branch writes what a fresh job writes, stop sequences end a
 * draft, cancel keeps what was written, and bad primes are refused by name. Expected texts always
 * come from golden.json or from another run (the weights will be replaced by better ones).
 */
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobRequest } from '../../common/contract'
import { SHIPPED_DIR, startEngine } from '../testing'
import { decodeTensor, goldenFeeds, maxAbsDiff, openModel, readGoldens, readManifest } from '../testing-golden'
import { lstmShape } from '../text/lstm-step'
import { runTextJob } from '../text/testing-text'

const ID = 'lstm-austen'
const dir = join(SHIPPED_DIR, ID)
const manifest = readManifest(dir)
const [golden] = readGoldens(dir) as (ReturnType<typeof readGoldens>[number] & { greedy: { prime: string; length: number; text: string } })[]

describe(`golden parity (${ID})`, () => {
  it('the step graph reproduces PyTorch within golden.atol, at batch 1 and 3', async () => {
    expect(golden.graph).toBe('step')
    const model = await openModel(SHIPPED_DIR, ID)
    for (const c of golden.cases) {
      const out = await model.sessions.step.run(goldenFeeds(c.inputs))
      for (const n of ['logits', 'h_out', 'c_out']) {
        expect(out[n].dims).toEqual(c.outputs[n].shape)
        expect(maxAbsDiff(out[n].data as Float32Array, decodeTensor(c.outputs[n])), n).toBeLessThanOrEqual(golden.atol)
      }
    }
    await model.dispose()
  })

  it('computes each batch row alone: row i of a batch is bit-identical to that row at batch 1', async () => {
    // What makes drafts independent of their count and branches equal to fresh jobs.
    const { layers: L, hidden: H, vocab: V } = lstmShape(manifest)
    const model = await openModel(SHIPPED_DIR, ID)
    const step = (ids: number[], h: Float32Array, c: Float32Array) =>
      model.sessions.step.run({
        token: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [ids.length]),
        h: new ort.Tensor('float32', h, [L, ids.length, H]),
        c: new ort.Tensor('float32', c, [L, ids.length, H]),
      })
    let x = 12345
    const rnd = (n: number) => Float32Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 2)
    for (const B of [2, 5, 8]) {
      const ids = Array.from({ length: B }, (_, i) => (i * 7 + B) % V)
      const [h, c] = [rnd(L * B * H), rnd(L * B * H)]
      const big = await step(ids, h, c)
      for (let i = 0; i < B; i++) {
        const row = (a: Float32Array) => Float32Array.from({ length: L * H }, (_, k) => a[(Math.floor(k / H) * B + i) * H + (k % H)])
        const one = await step([ids[i]], row(h), row(c))
        expect(Buffer.from((big.logits.data as Float32Array).slice(i * V, (i + 1) * V).buffer).equals(Buffer.from((one.logits.data as Float32Array).buffer))).toBe(true)
        expect(Buffer.from(row(big.h_out.data as Float32Array).buffer).equals(Buffer.from((one.h_out.data as Float32Array).buffer))).toBe(true)
        expect(Buffer.from(row(big.c_out.data as Float32Array).buffer).equals(Buffer.from((one.c_out.data as Float32Array).buffer))).toBe(true)
      }
    }
    await model.dispose()
  })
})

describe(`writing with ${ID} through the engine host`, () => {
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }])
  beforeAll(() => engine.start())
  afterAll(() => engine.stop())
  const job = (seed: number, params: JobRequest['params'], extra: Partial<JobRequest> = {}) =>
    runTextJob(engine, { modelId: ID, seed, params: { stop: '', ...params }, ep: 'cpu', ...extra })

  it('greedy (topK 1) writes PyTorch golden rollout exactly, in every draft', async () => {
    const { prime, length, text } = golden.greedy
    const o = await job(1, { prime, length, topK: 1, drafts: 3 })
    expect(o.failed).toBeUndefined()
    expect(o.texts).toEqual([text, text, text])
    expect(o.ends).toEqual(['length', 'length', 'length'])
    expect(o.done?.recipe).toMatchObject({ modelId: ID, seed: 1, params: { prime, length, topK: 1, drafts: 3 } })
  })

  it('streams each draft in a few parts, not one event per character, with progress to the end', async () => {
    const o = await job(3, { prime: 'It was ', length: 1500, drafts: 2 })
    expect(o.texts.map((t) => t.length)).toEqual([1500, 1500])
    for (const d of [0, 1]) {
      const parts = o.parts.filter((p) => p.draft === d)
      expect(parts.length).toBeGreaterThan(1)
      expect(parts.length).toBeLessThan(300)
      expect(parts.slice(0, -1).every((p) => p.end === undefined)).toBe(true)
      expect(parts[0].text.length).toBe(1) // the first character is sent at once
    }
    expect(o.progress.at(-1)).toMatchObject({ done: 3000, total: 3000 })
  })

  it('the same seed writes the same drafts; draft i is seed + i whatever the number of drafts', async () => {
    const params = { prime: 'She was ', length: 300, temperature: 0.9, topP: 0.95 }
    const a = await job(10, { ...params, drafts: 4 })
    const b = await job(10, { ...params, drafts: 4 })
    expect(b.texts).toEqual(a.texts)
    expect(new Set(a.texts).size).toBe(4)
    const alone = await job(12, { ...params, drafts: 1 })
    expect(alone.texts).toEqual([a.texts[2]])
    const eight = await job(9, { ...params, drafts: 8 })
    expect(eight.texts.slice(1, 5)).toEqual(a.texts)
  })

  it('a branch from any character of a draft writes what a fresh job with that prime writes', async () => {
    const first = await job(5, { prime: 'Mr. Darcy ', length: 200, drafts: 3, temperature: 1 })
    const full = first.prime + first.texts[1]
    for (const at of [4, 10, 11, 80, full.length]) {
      const params = { prime: full.slice(0, at), length: 120, drafts: 2, temperature: 0.8, topK: 20 }
      const branched = await job(77, params, { branch: { jobId: first.jobId, draft: 1, at } })
      const fresh = await job(77, params)
      expect(branched.failed).toBeUndefined()
      expect(branched.done?.warnings).toEqual([]) // the kept state was used
      expect(branched.texts, `at ${at}`).toEqual(fresh.texts)
    }
  })

  it('a branch whose prime is not that draft text still writes the fresh text, and says the state was not reused', async () => {
    const first = await job(6, { prime: 'Emma ', length: 50, drafts: 1 })
    const params = { prime: 'Anne ' + first.texts[0].slice(0, 20), length: 60, drafts: 1 }
    const branched = await job(8, params, { branch: { jobId: first.jobId, draft: 0, at: 25 } })
    expect(branched.texts).toEqual((await job(8, params)).texts)
    expect(branched.done?.warnings.join()).toMatch(/no longer kept \(or its text differs from the prime\)/)
  })

  it('a stop sequence ends a draft right after it; others run to their length', async () => {
    const o = await job(21, { prime: 'It was ', length: 400, drafts: 6, stop: '. |\\n' })
    const stopped = o.texts.filter((_, d) => o.ends[d] === 'stop')
    expect(stopped.length).toBeGreaterThan(0)
    o.texts.forEach((t, d) => {
      const first = Math.min(...['. ', '\n'].map((s) => t.indexOf(s)).filter((i) => i >= 0).map((i) => i + (t[i] === '.' ? 2 : 1)))
      if (o.ends[d] === 'stop') expect(t.length, `draft ${d}`).toBe(first)
      else expect(t.length === 400 && !Number.isFinite(first)).toBe(true)
    })
  })

  it('cancel stops within 100 ms and the text already streamed is the start of what the job writes', async () => {
    let cancelledAt = 0
    const o = await runTextJob(engine, { modelId: ID, seed: 4, params: { prime: 'Elizabeth ', length: 20000, drafts: 2 }, ep: 'cpu' }, {
      onPart: (o) => {
        if (cancelledAt || o.texts[1].length < 50) return
        cancelledAt = performance.now()
        void engine.invoke('job/cancel', { jobId: o.jobId })
      },
    })
    const ms = performance.now() - cancelledAt
    expect(o.failed).toMatchObject({ cancelled: true })
    console.log(`char-lstm cancel took ${ms.toFixed(1)} ms`)
    expect(ms).toBeLessThan(100)
    const n = o.texts[1].length
    expect(n).toBeGreaterThanOrEqual(50)
    expect(n).toBeLessThan(20000)
    const again = await job(4, { prime: 'Elizabeth ', length: n, drafts: 2 })
    expect(again.texts[1]).toBe(o.texts[1])
    expect(again.texts[0].startsWith(o.texts[0])).toBe(true)
  })

  it('refuses a prime with characters the model never saw, naming them; reads curly quotes as plain ones', async () => {
    const bad = await job(1, { prime: 'Straße 中', length: 10 })
    expect(bad.failed?.error).toMatch(/the prime has characters this model never saw: "ß" \(U\+00DF\), "中" \(U\+4E2D\)/)
    const curly = await job(2, { prime: '\u201cWell,\u201d said he', length: 40, drafts: 1 })
    const plain = await job(2, { prime: '"Well," said he', length: 40, drafts: 1 })
    expect(curly.texts).toEqual(plain.texts)
    expect(curly.done?.warnings.join('\n')).toMatch(/"“" \(U\+201C\) was read as """/)
    const empty = await job(1, { prime: '', length: 10 })
    expect(empty.failed?.error).toMatch(/the prime is empty/)
  })
})
