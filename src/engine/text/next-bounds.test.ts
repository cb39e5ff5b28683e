/**
 * `text/next` is bounded (issue 17 item 3): a text over MAX_TEXT_CHARS is refused before any step runs,
 * and a cancelled request stops reading within 100 ms — in the engine itself (in this process, where
 * the moment the reading stops is the moment its promise settles), and across the host process, where
 * a `models/reload` (which waits for every request still reading) shows the host has stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_TEXT_CHARS } from '../../common/manifest'
import { Engine } from '../engine'
import { SHIPPED_DIR, startEngine } from '../testing'

const ID = 'lstm-austen'
/** Long enough to read for seconds (~1 ms a character), within the limit. */
const LONG = 'It is a truth universally acknowledged, that a single man in possession of a good fortune. '.repeat(200).slice(0, 15_000)
const req = (text: string) => ({ modelId: ID, text, params: {}, n: 5 })

/** Resolve to how long after `abort()` the promise settled (it must reject). */
async function stopLatency(p: Promise<unknown>, abort: () => void, afterMs: number): Promise<{ ms: number; error: string }> {
  let settledAt = 0
  const outcome = p.then(
    () => ({ error: 'resolved' }),
    (e: Error) => ({ error: e.message }),
  ).finally(() => (settledAt = performance.now()))
  await new Promise((r) => setTimeout(r, afterMs))
  expect(settledAt, 'the read ended before the cancel: make LONG longer').toBe(0)
  const t = performance.now()
  abort()
  const { error } = await outcome
  return { ms: settledAt - t, error }
}

describe('text/next in the engine', () => {
  const engine = new Engine({ modelDirs: [{ dir: SHIPPED_DIR, source: 'shipped' }], appVersion: '0.0.0-test', threads: 1 }, () => {})
  beforeAll(async () => {
    await engine.init()
    await engine.handlers['text/next'](req('warm the session up'))
  }, 60_000)

  it(`refuses a text over ${MAX_TEXT_CHARS} characters at once, with the limit in words`, async () => {
    const t = performance.now()
    await expect(engine.handlers['text/next'](req('a'.repeat(1_000_000)))).rejects.toThrow(
      /text\/next reads at most 65,536 characters before the cursor, got 1,000,000/,
    )
    expect(performance.now() - t).toBeLessThan(1000)
  })

  it('a cancel lands within 100 ms while it reads a long text', async () => {
    const ctl = new AbortController()
    const { ms, error } = await stopLatency(engine.handlers['text/next'](req(LONG), ctl.signal), () => ctl.abort(), 300)
    expect(error).toBe('text/next: cancelled')
    expect(ms).toBeLessThan(100)
  })

  it('an already cancelled request does no work', async () => {
    const ctl = new AbortController()
    ctl.abort()
    await expect(engine.handlers['text/next'](req(LONG), ctl.signal)).rejects.toThrow(/cancelled/)
  })
})

describe('text/next through the host process', () => {
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }])
  beforeAll(async () => {
    await engine.start()
    await engine.invoke('text/next', req('warm up'))
  }, 60_000)
  afterAll(() => engine.stop())

  it('a cancelled call stops the host reading: a reload right after does not wait for the rest of the text', async () => {
    const t0 = performance.now()
    await engine.invoke('models/reload', undefined)
    const reloadMs = performance.now() - t0
    // How long the host takes for 1,000 of LONG's characters, to know what "the rest" would have cost.
    const t1 = performance.now()
    await engine.invoke('text/next', req(LONG.slice(0, 1000)))
    const perKChar = performance.now() - t1
    const ctl = new AbortController()
    const call = engine.invoke('text/next', req(LONG), { signal: ctl.signal })
    await new Promise((r) => setTimeout(r, 300))
    ctl.abort()
    await expect(call).rejects.toThrow(/text\/next: cancelled/)
    const t2 = performance.now()
    await engine.invoke('models/reload', undefined)
    const afterMs = performance.now() - t2
    // Had it read on, the reload would wait for ~14,000 more characters (≥ 14 × perKChar).
    expect(afterMs, `reload ${Math.round(afterMs)} ms after the cancel; ${Math.round(reloadMs)} ms alone; 1k chars ${Math.round(perKChar)} ms`).toBeLessThan(
      reloadMs + 100 + 2 * perKChar,
    )
  }, 120_000)
})
