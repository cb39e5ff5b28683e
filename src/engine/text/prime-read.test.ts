/**
 * Reading a long prime (issue 18 item 7): a 20,000-character prime takes seconds before the first
 * character is written, so the job says how far it has read (a `reading the prime` stage on
 * `job/progress`, counting up to the prime's length, then gone when the drafts start), a cancel while
 * it reads lands within 100 ms, and a prime past the manifest's maxLength is refused before any step.
 * In the engine itself (this process), where the moment reading stops is the moment the job fails.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { newJobId, type EventName, type Events, type ParamValues } from '../../common/contract'
import { Engine } from '../engine'
import { SHIPPED_DIR } from '../testing'

const ID = 'lstm-austen'
const SENTENCE = 'It is a truth universally acknowledged, that a single man in possession of a good fortune must be in want of a wife. '
const PRIME = SENTENCE.repeat(200).slice(0, 20_000)

type Seen = { t: number; name: EventName; payload: Events[EventName] }

describe('a long prime', () => {
  const seen: Seen[] = []
  const engine = new Engine({ modelDirs: [{ dir: SHIPPED_DIR, source: 'shipped' }], appVersion: '0.0.0-test', threads: 1 }, (name, payload) =>
    seen.push({ t: performance.now(), name, payload }),
  )
  const events = <E extends EventName>(jobId: string, name: E) =>
    seen.filter((e): e is Seen & { payload: Events[E] } => e.name === name && (e.payload as { jobId?: string }).jobId === jobId)
  const ended = (jobId: string) => seen.find((e) => (e.name === 'job/done' || e.name === 'job/failed') && (e.payload as { jobId: string }).jobId === jobId)
  async function start(params: ParamValues): Promise<string> {
    const jobId = newJobId()
    await engine.handlers['job/start']({ jobId, modelId: ID, seed: 1, params })
    return jobId
  }
  async function end(jobId: string): Promise<Seen> {
    while (!ended(jobId)) await new Promise((r) => setTimeout(r, 5))
    return ended(jobId)!
  }

  beforeAll(async () => {
    await engine.init()
    await end(await start({ prime: 'Warm up.', length: 2 }))
  }, 60_000)

  it('says how far it has read while it reads, then writes', async () => {
    const jobId = await start({ prime: PRIME, length: 20, drafts: 2 })
    const last = await end(jobId)
    expect(last.name).toBe('job/done')
    const progress = events(jobId, 'job/progress')
    const stages = progress.filter((p) => p.payload.stage).map((p) => p.payload.stage!)
    // One every ~50 ms over seconds of reading: many, counting up to the prime's length.
    expect(stages.length).toBeGreaterThan(5)
    expect(stages.every((s) => s.label === 'reading the prime' && s.unit === 'characters' && s.total === PRIME.length)).toBe(true)
    expect(stages[0].done).toBe(0)
    for (let i = 1; i < stages.length; i++) expect(stages[i].done).toBeGreaterThan(stages[i - 1].done)
    expect(stages.at(-1)!.done).toBeGreaterThan(PRIME.length / 2)
    // Every progress event names the provider running the job, and the items count from the start.
    expect(progress.every((p) => p.payload.ep === 'cpu' && p.payload.total === 40)).toBe(true)
    // The stage ends before the first character is written: no part arrives while the prime is read.
    const firstPart = events(jobId, 'job/partial')[0]
    const lastStage = progress.findLast((p) => p.payload.stage)!
    expect(lastStage.t).toBeLessThanOrEqual(firstPart.t)
    expect(progress.find((p) => p.t >= lastStage.t && !p.payload.stage), 'a progress event without the stage once the drafts start').toBeDefined()
  }, 60_000)

  it('a cancel while it reads lands within 100 ms, before any character is written', async () => {
    const jobId = await start({ prime: PRIME, length: 20 })
    // Cancel once it has read for a while (a few stage reports in).
    while (events(jobId, 'job/progress').filter((p) => p.payload.stage && p.payload.stage.done > 0).length < 3) {
      expect(ended(jobId), 'the job ended before it was cancelled').toBeUndefined()
      await new Promise((r) => setTimeout(r, 2))
    }
    const t = performance.now()
    await engine.handlers['job/cancel']({ jobId })
    const last = await end(jobId)
    expect(last.name).toBe('job/failed')
    expect((last.payload as Events['job/failed']).cancelled).toBe(true)
    expect(last.t - t).toBeLessThan(100)
    expect(events(jobId, 'job/partial')).toHaveLength(0)
    const read = events(jobId, 'job/progress').findLast((p) => p.payload.stage)!.payload.stage!
    expect(read.done).toBeLessThan(PRIME.length)
  }, 60_000)

  it('a prime longer than the manifest allows is refused before any step, naming the limit', async () => {
    const max = engine.registry.get(ID)!.manifest!.params.find((p) => p.key === 'prime')
    expect(max?.type === 'text' && max.maxLength).toBe(40_000)
    const jobId = await start({ prime: 'a'.repeat(40_001), length: 5 })
    const last = await end(jobId)
    expect((last.payload as Events['job/failed']).error).toMatch(/prime.*40,?001 characters long, at most 40,?000/i)
    expect(events(jobId, 'job/progress')).toHaveLength(0)
  }, 60_000)
})
