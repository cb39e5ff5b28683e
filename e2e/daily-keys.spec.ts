/**
 * Issue 18 item 10: the on-screen keyboard with "Generate on key". A key's note plays as soon as its first
 * chunk is there (it used to be generated and never played), and keys played close together become voices
 * of one job's batch, each with its own pitch, instead of a queue of jobs. The page's Web Audio is
 * observed, not replaced: every AudioBufferSourceNode.start is recorded with the page clock and the audio
 * clock. What a slow machine cannot break: the first sound is compared with the job's own end (a slower
 * machine only ends the job later), and the audio clock is read after that sound was due.
 */
import type { Page } from '@playwright/test'
import { expect, selectModel, setParam, setSeed, test, type TappedEvent } from './studio'

const AUDIO_ID = process.env.E2E_AUDIO_MODEL ?? 'wavenet-notes'

interface Start {
  /** performance.now() when start() was called. */
  t: number
  /** The audio-clock time it is to sound at, the clock then, and the buffer's length in seconds. */
  when: number
  now: number
  seconds: number
}

async function observeAudio(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __starts: Start[]; __ctx: BaseAudioContext | null }
    w.__starts = []
    w.__ctx = null
    const start = AudioBufferSourceNode.prototype.start
    AudioBufferSourceNode.prototype.start = function (this: AudioBufferSourceNode, ...args: Parameters<AudioBufferSourceNode['start']>) {
      w.__ctx = this.context
      w.__starts.push({ t: performance.now(), when: args[0] ?? 0, now: this.context.currentTime, seconds: this.buffer?.duration ?? 0 })
      return start.apply(this, args)
    } as AudioBufferSourceNode['start']
  })
}

const key = (page: Page, pitch: number) => page.locator(`[data-testid="key"][data-pitch="${pitch}"]`)
const lane = (page: Page, v: number) => page.locator(`[data-testid="wave-lane"][data-voice="${v}"]`)

/** When (page clock) the engine said the last job ended, from the WebSocket tap. */
async function jobDoneAt(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __ws: { events: TappedEvent[] } }).__ws.events.findLast((e) => e.name === 'job/done')?.t ?? -1)
}

test('Generate on key: the key plays its note from the first chunk, before its job is done', async ({ studio: page }) => {
  await selectModel(page, AUDIO_ID)
  await setParam(page, 'seconds', 2)
  await setSeed(page, 41)
  await page.getByTestId('play-on-key').check()
  await observeAudio(page)
  await key(page, 62).click()
  await expect(page.getByTestId('keyboard')).toHaveAttribute('data-sounding', 'true')
  await expect(page.getByTestId('wave-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  await expect(lane(page, 0)).toHaveAttribute('data-final', 'true')
  await expect(lane(page, 0).getByTestId('wave-note')).toHaveText('D4')
  await expect(page.getByTestId('param-pitch')).toHaveValue('62')

  const starts = await page.evaluate(() => (window as unknown as { __starts: Start[] }).__starts)
  const done = await jobDoneAt(page)
  expect(starts.length, 'chunks scheduled one by one as they stream').toBeGreaterThan(1)
  expect(done).toBeGreaterThan(0)
  expect(starts[0].t, 'the first chunk was scheduled before the job was done').toBeLessThan(done)
  // Scheduled back to back: each chunk starts where the one before ends (or later, if it came late).
  for (let i = 1; i < starts.length; i++) expect(starts[i].when).toBeGreaterThanOrEqual(starts[i - 1].when + starts[i - 1].seconds - 1e-6)
  // And it sounds: the audio clock runs past the first chunk's start.
  const first = starts[0].when
  await expect.poll(() => page.evaluate(() => {
    const c = (window as unknown as { __ctx: AudioContext }).__ctx
    return c.state === 'running' ? c.currentTime : -1
  })).toBeGreaterThan(first)
  await expect(page.getByTestId('history-item')).toHaveCount(1)
})

test('keys played close together are voices of one job, each with its note, not a queue of jobs', async ({ studio: page }) => {
  await selectModel(page, AUDIO_ID)
  await setParam(page, 'seconds', 4) // long enough that the keys land while the first note is made, on any machine
  await setSeed(page, 50)
  await page.getByTestId('play-on-key').check()
  await observeAudio(page)
  for (const p of [60, 64, 67]) await key(page, p).click()
  await expect(page.getByTestId('wave-lane')).toHaveCount(3)
  await expect(page.getByTestId('wave-status')).toHaveAttribute('data-state', 'done', { timeout: 90_000 })
  // One job: one history card, three voices (seeds 50, 51, 52) at their own pitches, all whole and playable.
  await expect(page.getByTestId('history-item')).toHaveCount(1)
  for (const [v, note] of [[0, 'C4'], [1, 'E4'], [2, 'G4']] as const) {
    await expect(lane(page, v).getByTestId('wave-note')).toHaveText(note)
    await expect(lane(page, v)).toContainText(`seed ${50 + v}`)
    await expect(lane(page, v)).toHaveAttribute('data-final', 'true')
    await expect(lane(page, v).getByTestId('wave-time')).toContainText('/ 4.00 s')
  }
  // Every voice was heard while the job ran: more chunk starts before its end than one voice alone makes.
  const done = await jobDoneAt(page)
  const starts = await page.evaluate(() => (window as unknown as { __starts: Start[] }).__starts)
  const before = starts.filter((s) => s.t < done)
  const oneVoice = starts.reduce((n, s) => n + s.seconds, 0) / 3
  expect(before.reduce((n, s) => n + s.seconds, 0), JSON.stringify({ before: before.length, all: starts.length })).toBeGreaterThan(oneVoice)
})
