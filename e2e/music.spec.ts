/**
 * The music studio in the browser host with the shipped music LSTM: a piece streams into the piano roll
 * and plays while it is written, Stop and Play, export as MIDI and WAV (both with the recipe), the MIDI
 * dropped back restores recipe and notes; a MIDI clip dropped on the window becomes the prime and is
 * continued; Delete and a regenerated range keep the notes around them.
 */
import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { decodeMidi, encodeMidi, type MidiNote } from '../src/common/midi'
import { decodeWav } from '../src/common/wav'
import { dropFile, expect, selectModel, setParam, setSeed, test, toasts } from './studio'

/** The music model the flows use (E2E_MUSIC_MODEL may point a developer's run at another music-lstm model). */
const MUSIC_ID = process.env.E2E_MUSIC_MODEL ?? 'music-lstm-game'

/** In the page: the note counts the status line showed while the job ran, and when the first note was scheduled. */
async function installMusicProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __counts: number[]; __firstNote: number; __click: number }
    w.__counts = []
    w.__firstNote = -1
    w.__click = -1
    addEventListener('latent-studio:music-first-note', (e) => (w.__firstNote = (e as CustomEvent<number>).detail), { once: true })
    document.querySelector('[data-testid="generate-button"]')!.addEventListener('click', () => (w.__click = performance.now()), { capture: true, once: true })
    new MutationObserver(() => {
      const s = document.querySelector('[data-testid="music-status"]')
      if (s?.getAttribute('data-state') === 'running') w.__counts.push(Number(s.getAttribute('data-notes')))
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-notes', 'data-state'] })
  })
}

const status = (page: Page) => page.getByTestId('music-status')
const noteCount = async (page: Page) => Number(await status(page).getAttribute('data-notes'))
const playhead = (page: Page) => page.getByTestId('roll-playhead')
const playheadX = (page: Page) => playhead(page).evaluate((el) => parseFloat((el as HTMLElement).style.left))

async function download(page: Page, testId: string): Promise<Uint8Array> {
  const d = page.waitForEvent('download')
  await page.getByTestId(testId).click()
  return new Uint8Array(readFileSync((await (await d).path())!))
}

test('a piece streams into the roll and plays while written; Stop, Play; MIDI and WAV carry the recipe; the MIDI restores it', async ({ studio: page }) => {
  await selectModel(page, MUSIC_ID)
  await setParam(page, 'bars', 4)
  await setParam(page, 'tempo', 110)
  await setSeed(page, 3)
  await installMusicProbe(page)
  await page.getByTestId('generate-button').click()
  await expect(status(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  const n = await noteCount(page)
  expect(n).toBeGreaterThan(4)
  const probe = await page.evaluate(() => {
    const w = window as unknown as { __counts: number[]; __firstNote: number; __click: number }
    return { counts: w.__counts, firstNote: w.__firstNote, click: w.__click }
  })
  // Notes arrived in several parts while it ran: the roll grew before the job ended.
  expect(new Set(probe.counts.filter((c) => c > 0 && c < n)).size, `counts while running: ${probe.counts}`).toBeGreaterThanOrEqual(1)
  // Play while writing: the first note went to the synth after the click.
  expect(probe.firstNote).toBeGreaterThan(probe.click)
  console.log(`music: click → first note scheduled ${(probe.firstNote - probe.click).toFixed(0)} ms`)
  await expect(page.getByTestId('roll-note').first()).toBeVisible()

  // Stop, then Play from the start: the playhead moves across the roll.
  if ((await page.getByTestId('music-play').textContent())?.includes('Stop')) await page.getByTestId('music-play').click()
  await expect(playhead(page)).toHaveCount(0)
  await page.getByTestId('music-play').click()
  await expect(page.getByTestId('music-play')).toContainText('Stop')
  const x0 = await playheadX(page)
  await expect.poll(() => playheadX(page)).toBeGreaterThan(x0 + 5)
  await page.getByTestId('music-play').click()
  await expect(playhead(page)).toHaveCount(0)

  // Export: the MIDI holds the notes on the roll at the tempo, and the recipe; the WAV the same recipe.
  const mid = decodeMidi(await download(page, 'music-export-mid'))
  expect(mid.bpm).toBe(110)
  expect(mid.notes).toHaveLength(n)
  const recipe = JSON.parse(mid.recipe!)
  expect(recipe).toMatchObject({ app: 'latent-studio', modelId: MUSIC_ID, seed: 3, params: { bars: 4, tempo: 110 } })
  const wav = decodeWav(await download(page, 'music-export-wav'))
  expect(wav.sampleRate).toBe(44100)
  expect(JSON.parse(wav.recipe!)).toEqual(recipe)
  expect(wav.samples.reduce((m, x) => Math.max(m, Math.abs(x)), 0)).toBeGreaterThan(0.5)

  // Change the panel, then drop the MIDI back: recipe into the panel, its notes onto the roll.
  await setParam(page, 'bars', 9)
  await setSeed(page, 77)
  await dropFile(page, `${MUSIC_ID}-seed-3.mid`, encodeMidi(mid.notes, mid.bpm, mid.recipe), 'audio/midi')
  await expect(toasts(page, 'info').filter({ hasText: 'Recipe restored' })).toBeVisible()
  await expect(page.getByTestId('param-bars')).toHaveValue('4')
  await expect(page.getByTestId('seed-input')).toHaveValue('3')
  await expect(status(page)).toContainText(`Opened ${MUSIC_ID}-seed-3.mid`)
  expect(await noteCount(page)).toBe(n)
})

test('a dropped MIDI clip is continued after its end; Delete and a regenerated range keep the notes around them', async ({ studio: page }) => {
  await selectModel(page, MUSIC_ID)
  const clip: MidiNote[] = [60, 64, 67, 72, 67, 64, 60, 55].map((pitch, i) => ({ pitch, velocity: 90, startS: i * 0.5, durS: 0.45, program: 0 }))
  await dropFile(page, 'arpeggio.mid', encodeMidi(clip, 120, null), 'audio/midi')
  await expect(page.getByTestId('input-summary-prime')).toContainText('8 notes')
  await setParam(page, 'bars', 2)
  await setParam(page, 'tempo', 120)
  await setSeed(page, 5)
  await page.getByTestId('generate-button').click()
  await expect(status(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  await expect(status(page)).toContainText('continues 8 notes')
  const mid = decodeMidi(await download(page, 'music-export-mid'))
  expect(mid.notes.slice(0, 8).map((n) => [n.pitch, Math.round(n.startS * 100) / 100])).toEqual(clip.map((n) => [n.pitch, n.startS]))
  expect(mid.notes.length).toBeGreaterThan(8)
  expect(Math.min(...mid.notes.slice(8).map((n) => n.startS))).toBeGreaterThanOrEqual(3.9) // after the clip's last note
  expect(JSON.parse(mid.recipe!).inputs.prime).toMatchObject({ kind: 'midi', fileName: 'arpeggio.mid' })

  // Delete one note (click it, press Delete): one fewer, and the status says the piece was edited.
  const before = await noteCount(page)
  if ((await page.getByTestId('music-play').textContent())?.includes('Stop')) await page.getByTestId('music-play').click()
  await page.getByTestId('music-fit').click() // playback scrolled the roll along; fit the piece again
  await page.getByTestId('roll-note').last().click()
  await page.getByTestId('music-delete').click()
  await expect.poll(() => noteCount(page)).toBe(before - 1)
  await expect(status(page)).toContainText('edited')

  // Regenerate the first second of the continuation: drag on the ruler over it, then Regenerate range.
  const area = page.getByTestId('piano-roll').locator('.area')
  const box = (await area.boundingBox())!
  const notesNow = decodeMidi(await download(page, 'music-export-mid')).notes
  const endS = Math.max(...notesNow.map((n) => n.startS + n.durS))
  const xAt = (s: number) => box.x + (s / endS) * box.width // the roll fits the piece (t0 = 0, width / end px per s)
  await page.mouse.move(xAt(4.2), box.y + 8)
  await page.mouse.down()
  await page.mouse.move(xAt(5.2), box.y + 8, { steps: 5 })
  await page.mouse.up()
  await page.getByTestId('music-regenerate').click()
  await expect(page.getByTestId('music-splice-note')).toBeVisible()
  await expect(status(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  const after = decodeMidi(await download(page, 'music-export-mid')).notes
  // What came before the range is kept (the clip), and so is what came after it.
  expect(after.slice(0, 8).map((n) => n.pitch)).toEqual(clip.map((n) => n.pitch))
  const lateBefore = notesNow.filter((n) => n.startS > 5.6).map((n) => [n.pitch, Math.round(n.startS * 1000)])
  const lateAfter = after.filter((n) => n.startS > 5.6).map((n) => [n.pitch, Math.round(n.startS * 1000)])
  expect(lateAfter).toEqual(lateBefore)
})
