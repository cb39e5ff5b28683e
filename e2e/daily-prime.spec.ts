/**
 * Issue 18 item 7: a 20,000-character prime takes the engine seconds to read before the first character
 * is written. The pane and the status bar say so and how far it has read (it used to show
 * "waiting… 0/1800"), and Cancel stops the reading. What a slow machine cannot break: the reports are
 * recorded in the page as they appear and compared with each other, not timed.
 */
import { draft, draftStatus, TEXT_ID } from './helpers/text'
import { expect, selectModel, setParam, setSeed, test, type TappedEvent } from './studio'

const SENTENCE = 'It is a truth universally acknowledged, that a single man in possession of a good fortune must be in want of a wife. '
const PRIME = SENTENCE.repeat(200).slice(0, 20_000)

interface Seen {
  done: number
  total: number
  text: string
  /** The status bar's words and provider at that moment. */
  bar: string
  ep: string
  /** Characters shown in draft 1 then. */
  written: string
}

/** Record every prime-reading report the text pane shows, as it shows it. */
async function recordStage(page: import('@playwright/test').Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __stage: Seen[] }
    w.__stage = []
    const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)
    const note = () => {
      const el = q('text-stage') as HTMLElement | null
      if (!el) return
      const done = Number(el.dataset.done)
      if (w.__stage.at(-1)?.done === done) return
      w.__stage.push({
        done, total: Number(el.dataset.total), text: el.textContent ?? '',
        bar: q('status-stage')?.textContent ?? '', ep: q('status-ep')?.textContent ?? '',
        written: q('draft-count')?.textContent ?? '',
      })
    }
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true })
  })
}

test('a 20,000-character prime: the pane, the drafts and the status bar say it is being read and how far, then the drafts write', async ({ studio: page }) => {
  test.setTimeout(180_000)
  await selectModel(page, TEXT_ID)
  await setParam(page, 'drafts', 2)
  await setParam(page, 'length', 30)
  await setSeed(page, 4)
  await page.getByTestId('param-prime').fill(PRIME)
  await recordStage(page)
  await page.getByTestId('generate-button').click()
  await expect(page.getByTestId('text-stage')).toBeVisible()
  await expect(draftStatus(page, 0)).toHaveText('reading the prime')
  for (const i of [0, 1]) await expect(draftStatus(page, i)).toHaveAttribute('data-state', /^(length|stop)$/, { timeout: 120_000 })
  await expect(page.getByTestId('text-stage')).toHaveCount(0)

  const seen = await page.evaluate(() => (window as unknown as { __stage: Seen[] }).__stage)
  expect(seen.length, JSON.stringify(seen.slice(0, 3))).toBeGreaterThanOrEqual(2)
  for (const s of seen) {
    expect(s.total).toBe(20_000)
    expect(s.text).toMatch(/^Reading the prime… [\d,]+ \/ 20,000 characters$/)
    expect(s.bar).toBe(s.text)
    expect(s.ep, 'the status bar names the provider running the job, not "—"').toMatch(/^(cpu|cuda|dml)$/)
    expect(s.written).toBe('0 chars')
  }
  for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThan(seen[i - 1].done)
  expect(seen.at(-1)!.done).toBeGreaterThan(0)
})

test('Cancel while a long prime is read: the job stops before writing a character', async ({ studio: page }) => {
  test.setTimeout(180_000)
  await selectModel(page, TEXT_ID)
  await setParam(page, 'drafts', 1)
  await setParam(page, 'length', 30)
  await page.getByTestId('param-prime').fill(PRIME)
  await page.getByTestId('generate-button').click()
  const stage = page.getByTestId('text-stage')
  await expect(stage).toBeVisible()
  await expect.poll(async () => Number(await stage.getAttribute('data-done'))).toBeGreaterThan(0)
  const readAtCancel = Number(await stage.getAttribute('data-done'))
  expect(readAtCancel).toBeLessThan(20_000)
  await page.getByTestId('cancel-button').click()
  await expect(page.getByTestId('text-cancelled')).toBeVisible()
  await expect(draft(page, 0).getByTestId('draft-count')).toHaveText('0 chars')
  // Nothing was written by the engine for this job: the reading stopped there.
  const parts = await page.evaluate(() => {
    const ev = (window as unknown as { __ws: { events: TappedEvent[] } }).__ws.events
    const failed = ev.findLast((e) => e.name === 'job/failed')
    return { cancelled: failed?.cancelled, parts: ev.filter((e) => e.jobId === failed?.jobId && e.name === 'job/partial').length }
  })
  expect(parts).toEqual({ cancelled: true, parts: 0 })
})
