/**
 * The 100 ms cancel bound through the server host without a browser: a WebSocket client in the
 * test process starts a 64-image DCGAN job, sends `job/cancel` the moment the first image arrives, and
 * times the `job/failed` (cancelled) that ends it. This is the engine + server part of what the browser
 * spec (cancel.spec.ts) measures end to end.
 */
import { test, expect } from '@playwright/test'
import type { Events } from '../src/common/contract'
import { GAN_ID } from './env'
import { ServerSession } from './helpers/server-rpc'

test('the server host ends a job within 100 ms of job/cancel', async () => {
  const s = await ServerSession.open()
  try {
    // The server routes a job's events to the connection that started it: everything here is this job's,
    // and its first image may be read before the job/start reply's continuation runs.
    let cancelAt = -1
    const ended = new Promise<{ t: number; e: Events['job/failed'] | Events['job/done'] }>((resolve) =>
      s.onEvent(({ t, name, payload }) => {
        if (name === 'job/partial' && cancelAt < 0) {
          cancelAt = performance.now()
          void s.call('job/cancel', { jobId: (payload as Events['job/partial']).jobId })
        }
        if (name === 'job/failed' || name === 'job/done') resolve({ t, e: payload as Events['job/failed'] })
      }),
    )
    const { jobId } = await s.call('job/start', { modelId: GAN_ID, seed: 5, params: { count: 64 } })
    const { t, e } = await ended
    expect(e, 'the job ended cancelled').toMatchObject({ jobId, cancelled: true })
    const partials = s.events.filter((x) => x.name === 'job/partial').length
    expect(partials, 'some images came, not all').toBeLessThan(64)
    expect(t - cancelAt, `job/failed ${(t - cancelAt).toFixed(0)} ms after job/cancel`).toBeLessThanOrEqual(100)
  } finally {
    s.close()
  }
})
