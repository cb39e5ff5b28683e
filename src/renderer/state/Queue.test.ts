/**
 * The queue as the user drives it: one job at a time goes to the engine, the rest wait as "queued" (not
 * "running 0/16"), a waiting job can be cancelled, moved earlier or later (the engine gets them in the new
 * order), and ETAs come from the speed measured on finished jobs.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Job } from './Job.svelte'
import { ImageJob } from './ImageJob.svelte'
import { Queue } from './Queue.svelte'
import { summaryOf } from '../lib/test-models'

const gan = summaryOf('dcgan-test')
const job = (seed: number, count = 16) => {
  const j = new ImageJob({ modelId: gan.id, seed, params: { count, truncation: 1 } }, gan)
  j.attach(`job-${seed}`)
  return j
}

let queue: Queue
afterEach(() => queue?.dispose())

/** A queue whose engine just records what it was sent (the studio's `send` starts it in the engine). */
function recording() {
  const sent: Job[] = []
  queue = new Queue(async (j) => {
    j.submit()
    sent.push(j)
    j.started()
  })
  return sent
}

describe('Queue', () => {
  it('sends one job at a time; the others wait as queued, with their place', () => {
    const sent = recording()
    const [a, b, c] = [job(1), job(2), job(3)]
    for (const j of [a, b, c]) queue.add(j)
    expect(sent).toEqual([a])
    expect([a.state, b.state, c.state]).toEqual(['running', 'queued', 'queued'])
    expect([queue.position(a), queue.position(b), queue.position(c)]).toEqual([0, 1, 2])
    expect(queue.size).toBe(3)

    queue.end(a, 100)
    expect(sent).toEqual([a, b])
    expect(queue.ended).toEqual([a])
    expect(queue.position(a)).toBeNull()
  })

  it('cancels a waiting job without sending it, and the rest still run', () => {
    const sent = recording()
    const [a, b, c] = [job(1), job(2), job(3)]
    for (const j of [a, b, c]) queue.add(j)
    expect(queue.drop(b)).toBe(true)
    expect(b.state).toBe('cancelled')
    expect(queue.drop(a)).toBe(false) // running: the studio cancels it in the engine
    queue.end(a, 50)
    queue.end(c, 50)
    expect(sent).toEqual([a, c])
    expect(queue.ended).toEqual([c, a, b])
  })

  it('runs waiting jobs in the order the user moved them to', () => {
    const sent = recording()
    const [a, b, c, d] = [job(1), job(2), job(3), job(4)]
    for (const j of [a, b, c, d]) queue.add(j)
    queue.move(d, -1)
    queue.move(d, -1) // d, b, c
    queue.move(b, 1) // d, c, b
    queue.move(b, 5) // already last
    expect(queue.waiting).toEqual([d, c, b])
    for (const j of [a, d, c]) queue.end(j, 10)
    expect(sent).toEqual([a, d, c, b])
  })

  it('has no ETA before a first run of the model, then one from its measured speed', () => {
    recording()
    const [a, b, c] = [job(1, 16), job(2, 64), job(3, 4)]
    for (const j of [a, b, c]) queue.add(j)
    expect(queue.eta(b)).toBeNull()
    expect(queue.etaText(b)).toBe('ETA after a first run')
    queue.end(a, 160) // 16 images in 160 ms: 0.1 image/ms
    expect(queue.eta(c)).toBeCloseTo(640 + 40, 0) // b's 64 images, then c's 4
    expect(queue.etaText(c)).toBe('ETA 1 s')
  })
})
