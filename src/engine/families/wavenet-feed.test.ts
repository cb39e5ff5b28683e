/**
 * Keys played while the keyboard's note still sounds (issue 18 item 10): `job/feed` adds a note to the
 * running WaveNet job as voice k of its batch, with its own pitch, instead of queueing a job behind it.
 * Voice k streams while the first note is still being made, and sounds exactly as the note of seed + k
 * alone at that pitch; a feed the job can no longer take answers null, and bad ones are refused in words.
 * On the analytic toy fixture (any machine) and on the shipped model once installed.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobRequest } from '../../common/contract'
import { driveJob, GAN_ID, type JobEnd, SHIPPED_DIR, startEngine } from '../testing'
import { runAudio, same, voice, type AudioOutcome } from './testing-audio'

const FIXTURES = resolve(__dirname, 'fixtures')
const REAL = 'wavenet-notes'
const models = [{ id: 'wavenet-toy', instrument: 'sine', pitches: [69, 57, 62] }, ...(existsSync(join(SHIPPED_DIR, REAL, 'model.json')) ? [{ id: REAL, instrument: 'piano', pitches: [60, 67, 52] }] : [])]

describe.each(models)('notes fed to a running $id job', ({ id, instrument, pitches: [first, second, third] }) => {
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }, { dir: FIXTURES, source: 'user' }])
  beforeAll(() => engine.start())
  afterAll(() => engine.stop())
  const req = (seed: number, pitch: number, seconds: number): JobRequest => ({ modelId: id, seed, params: { instrument, pitch, seconds }, ep: 'cpu' })
  const run = (r: JobRequest, onPart?: (o: AudioOutcome) => void) => runAudio(engine, r, onPart)

  it('join the batch as voices 1 and 2 with their own pitch, stream while voice 0 is still made, and sound as seed + k alone', async () => {
    const items: Promise<{ item: number | null }>[] = []
    const o = await run(req(30, first, 1), (o) => {
      // Two keys right after the first note starts: both join while it is still being made.
      if (o.parts.length === 1) items.push(engine.invoke('job/feed', { jobId: o.jobId, params: { pitch: second } }), engine.invoke('job/feed', { jobId: o.jobId, params: { pitch: third } }))
    })
    expect(o.failed).toBeUndefined()
    expect(await Promise.all(items)).toEqual([{ item: 1 }, { item: 2 }])
    // One batch, not a queue: voice 1's first chunk came before voice 0's last one.
    const firstOf1 = o.parts.findIndex((p) => p.voice === 1)
    const lastOf0 = o.parts.findLastIndex((p) => p.voice === 0)
    expect(firstOf1).toBeGreaterThan(0)
    expect(firstOf1).toBeLessThan(lastOf0)
    const alone = [await run(req(30, first, 1)), await run(req(31, second, 1)), await run(req(32, third, 1))]
    for (const v of [0, 1, 2]) expect(same(voice(o, v), voice(alone[v], 0)), `voice ${v}`).toBe(true)
    expect(same(voice(o, 1), voice(o, 2))).toBe(false)
  }, 120_000)

  it('answers null once the job has ended, and for a job that takes no items', async () => {
    const o = await run(req(5, first, 0.1))
    expect(await engine.invoke('job/feed', { jobId: o.jobId, params: { pitch: second } })).toEqual({ item: null })
    let gan: Promise<{ item: number | null }> | null = null
    const g = { jobId: '', progress: [] } as JobEnd
    await driveJob(engine, { modelId: GAN_ID, seed: 1, params: { count: 2 } }, g, { onStarted: () => void (gan = engine.invoke('job/feed', { jobId: g.jobId, params: {} })) })
    expect(await gan).toEqual({ item: null })
  }, 60_000)

  it('refuses a pitch outside the range and any other param, in words, and the job goes on', async () => {
    const errors: string[] = []
    const o = await run(req(7, first, 0.5), (o) => {
      if (o.parts.length !== 1) return
      const no = (params: Record<string, number | string>) => engine.invoke('job/feed', { jobId: o.jobId, params }).catch((e: Error) => void errors.push(e.message))
      void no({ pitch: 200 })
      void no({ pitch: second, instrument: 'kazoo' })
    })
    expect(o.failed).toBeUndefined()
    expect(new Set(o.parts.map((p) => p.voice))).toEqual(new Set([0]))
    expect(errors).toHaveLength(2)
    expect(errors.find((e) => /pitch/.test(e) && /200/.test(e))).toMatch(/job\/feed: parameter "pitch" is 200, allowed \d+…\d+/)
    expect(errors.find((e) => /instrument/.test(e))).toMatch(/may set only pitch, not instrument/)
  }, 60_000)
})
