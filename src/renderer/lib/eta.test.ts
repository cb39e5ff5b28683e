/** ETAs come from measured speed only: none before a model's first run, none behind an unknown one. */
import { describe, expect, it } from 'vitest'
import { formatEta, queueEtas, remainingMs, SpeedBook } from './eta'

describe('measured speed and ETAs', () => {
  it('averages the last five jobs of a model (work over engine time)', () => {
    const s = new SpeedBook()
    expect(s.rate('gan')).toBeNull()
    s.record('gan', 16, 100)
    s.record('gan', 64, 300)
    expect(s.rate('gan')).toBeCloseTo(80 / 400)
    for (let i = 0; i < 5; i++) s.record('gan', 10, 10)
    expect(s.rate('gan')).toBe(1) // the two slow ones fell out
    expect(s.samples('gan')).toBe(5)
    s.record('gan', 0, 5) // nothing measured
    expect(s.samples('gan')).toBe(5)
  })

  it('counts the running job down by its own pace once it has made progress, else by its model', () => {
    const rate = (m: string) => (m === 'gan' ? 0.1 : null)
    expect(remainingMs({ modelId: 'gan', work: 16, fraction: 0 }, rate)).toBe(160)
    expect(remainingMs({ modelId: 'gan', work: 16, fraction: 0.5, elapsedMs: 400 }, rate)).toBe(400)
    expect(remainingMs({ modelId: 'lstm', work: 600, fraction: 0.05, elapsedMs: 50 }, rate)).toBeNull()
    expect(remainingMs({ modelId: 'lstm', work: 600, fraction: 0.25, elapsedMs: 100 }, rate)).toBe(300)
  })

  it('adds up the queue in order; after a job of unknown speed nothing is known', () => {
    const rate = (m: string) => ({ gan: 0.1, lstm: 2 })[m] ?? null
    const running = { modelId: 'gan', work: 16, fraction: 0 }
    const waiting = [
      { modelId: 'lstm', work: 600 },
      { modelId: 'gan', work: 4 },
      { modelId: 'wavenet', work: 32000 },
      { modelId: 'gan', work: 4 },
    ]
    expect(queueEtas(running, waiting, rate)).toEqual([460, 500, null, null])
    expect(queueEtas(null, waiting.slice(0, 2), rate)).toEqual([300, 340])
  })

  it('reads as seconds or minutes', () => {
    expect([formatEta(200), formatEta(4400), formatEta(125_000)]).toEqual(['<1 s', '4 s', '2 min 05 s'])
  })
})
