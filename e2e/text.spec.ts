/**
 * The text studio in the browser host with the shipped Austen LSTM: a prime streamed into drafts side
 * by side, Esc mid-stream keeping what was written, "continue from here" at a clicked character, walking
 * on by picking next characters from the chips, and a draft exported as .md that, opened again, restores
 * its recipe and writes the very same text when generated.
 */
import { readFileSync } from 'node:fs'
import { readTextFile } from '../src/common/front-matter'
import {
  chipList, chips, clickBeforeChar, cursorAt, draft, draftStatus, draftText, drafts, freshChips, TEXT_ID, toolbar, writtenCount,
} from './helpers/text'
import { dropFile, expect, selectModel, setParam, setSeed, test, toasts } from './studio'

const PRIME = 'It is a truth universally acknowledged, that a single man'

test('prime, stream, cancel, continue from a character, pick characters, export and reopen the recipe', async ({ studio: page }) => {
  await selectModel(page, TEXT_ID)
  await expect(page.getByTestId('param-prime')).toBeVisible()
  await setParam(page, 'prime', PRIME)
  await setParam(page, 'drafts', 3)
  await setParam(page, 'length', 20000)
  await setSeed(page, 1811)

  // Ctrl+Enter from the prime box starts writing: three drafts side by side, each starting with the prime.
  await page.getByTestId('param-prime').press('Control+Enter')
  await expect(drafts(page)).toHaveCount(3)
  for (let i = 0; i < 3; i++) await expect(draft(page, i).getByTestId('draft-text')).toContainText(PRIME)

  // The text grows while the job runs, without the columns moving.
  await expect.poll(() => writtenCount(page, 0)).toBeGreaterThan(200)
  await expect(draftStatus(page, 0)).toHaveAttribute('data-state', 'writing')
  const box = await draft(page, 1).boundingBox()
  const early = await writtenCount(page, 1)
  await expect.poll(() => writtenCount(page, 1)).toBeGreaterThan(early + 200)
  expect(await draft(page, 1).boundingBox(), 'columns keep their place while streaming').toEqual(box)

  // Esc mid-stream: every draft stops, says so, and keeps what it wrote.
  await page.keyboard.press('Escape')
  for (let i = 0; i < 3; i++) await expect(draftStatus(page, i)).toHaveAttribute('data-state', 'cancelled')
  await expect(page.getByTestId('text-cancelled')).toBeVisible()
  const kept = await writtenCount(page, 0)
  expect(kept).toBeGreaterThan(200)
  expect(kept).toBeLessThan(20000)
  const before = await draftText(page, 0)
  expect(before.startsWith(PRIME)).toBe(true)
  expect(before.length).toBe(PRIME.length + kept)
  // Real English-like text: words separated by spaces, mostly letters.
  const written = before.slice(PRIME.length)
  expect(written.split(/\s+/).length).toBeGreaterThan(kept / 12)
  expect((written.match(/[a-z]/gi) ?? []).length / written.length).toBeGreaterThan(0.6)

  // Click a character of draft 1: a toolbar at the cursor with the likeliest next characters and their odds.
  await setParam(page, 'length', 300) // for the continuation
  const at = PRIME.length + 120
  await clickBeforeChar(page, 0, at)
  await expect(toolbar(page)).toBeVisible()
  expect(await cursorAt(page)).toEqual({ at, picked: 0 })
  await freshChips(page)
  const first = await chipList(page)
  expect(first.length).toBeGreaterThanOrEqual(5)
  for (const c of first) expect(c.pct).toMatch(/^(<0\.01|\d+(\.\d+)?)%$/)
  const pcts = first.map((c) => (c.pct.startsWith('<') ? 0 : parseFloat(c.pct)))
  expect(pcts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100.5)
  expect([...pcts].sort((a, b) => b - a)).toEqual(pcts) // likeliest first
  for (const c of first) if (c.char === ' ') expect(c.glyph).toBe('␣') // whitespace drawn visibly

  // Pick two characters by hand (a click, then key 2): each shows at the cursor and the odds follow it.
  const pick1 = first[0].char
  await chips(page).first().click()
  await expect(page.getByTestId('picked-text')).toHaveText(pick1)
  await expect.poll(() => cursorAt(page)).toEqual({ at, picked: 1 })
  await freshChips(page)
  const pick2 = (await chipList(page))[1].char
  await page.keyboard.press('2')
  await expect(page.getByTestId('picked-text')).toHaveText(pick1 + pick2)
  await expect.poll(() => cursorAt(page)).toEqual({ at, picked: 2 })
  await freshChips(page)

  // Continue from here: a new set of drafts primed with the text up to the cursor plus the picks.
  const primeNow = before.slice(0, at) + pick1 + pick2
  await page.getByTestId('continue-here').click()
  await expect(page.getByTestId('param-prime')).toHaveValue(primeNow)
  await expect(page.getByTestId('text-origin')).toContainText(`continued from draft 1 of seed 1811 at character ${at}`)
  await expect(drafts(page)).toHaveCount(3)
  for (let i = 0; i < 3; i++) await expect(draftStatus(page, i)).toHaveAttribute('data-state', /^(length|stop)$/, { timeout: 60_000 })
  for (let i = 0; i < 3; i++) {
    const t = await draftText(page, i)
    expect(t.startsWith(primeNow)).toBe(true)
    expect(t.length).toBe(primeNow.length + 300)
  }
  // The engine resumed from the draft's kept state (no "read again" note), and the old job stays in history.
  await expect(toasts(page, 'info').filter({ hasText: /no longer kept/ })).toHaveCount(0)
  await expect(page.getByTestId('history-item')).toHaveCount(2)
  await expect(page.getByTestId('history-words').first()).not.toBeEmpty()

  // Export draft 2 as .md: the whole text under a front matter recipe for that draft alone.
  const download = page.waitForEvent('download')
  await draft(page, 1).getByTestId('draft-export-md').click()
  const file = await download
  expect(file.suggestedFilename()).toBe(`${TEXT_ID}-seed1812.md`)
  const content = readFileSync((await file.path())!, 'utf8')
  const parsed = readTextFile(content)
  const shown = await draftText(page, 1)
  expect(parsed.text).toBe(shown)
  expect(parsed.recipe).toMatchObject({ modelId: TEXT_ID, seed: 1812, params: { prime: primeNow, drafts: 1, length: 300 } })

  // Move away from that recipe, then open the file: the panel and the pane show it again.
  await setSeed(page, 5)
  await setParam(page, 'prime', 'Emma Woodhouse')
  await page.getByTestId('open-file').setInputFiles({ name: file.suggestedFilename(), mimeType: 'text/markdown', buffer: Buffer.from(content) })
  await expect(toasts(page, 'info').filter({ hasText: /recipe restored/i })).toBeVisible()
  await expect(page.getByTestId('seed-input')).toHaveValue('1812')
  await expect(page.getByTestId('param-prime')).toHaveValue(primeNow)
  await expect(page.getByTestId('param-drafts')).toHaveValue('1')
  await expect(drafts(page)).toHaveCount(1)
  await expect(draftStatus(page, 0)).toContainText(`opened from ${file.suggestedFilename()}`)
  expect(await draftText(page, 0)).toBe(shown)

  // Generating from the restored recipe writes the very same draft.
  await page.getByTestId('generate-button').click()
  await expect(draftStatus(page, 0)).toHaveAttribute('data-state', /^(length|stop)$/, { timeout: 60_000 })
  expect(await draftText(page, 0)).toBe(shown)
})

test('copy, keyboard cursor, a prime the model cannot read, and a text file without a recipe', async ({ studio: page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await selectModel(page, TEXT_ID)
  await setParam(page, 'prime', 'Emma Woodhouse, handsome, clever, and rich,')
  await setParam(page, 'drafts', 1)
  await setParam(page, 'length', 120)
  await setSeed(page, 3)
  await page.getByTestId('generate-button').click()
  await expect(draftStatus(page, 0)).toHaveAttribute('data-state', /^(length|stop)$/, { timeout: 60_000 })
  const text = await draftText(page, 0)
  await draft(page, 0).getByTestId('draft-copy').click()
  await expect(toasts(page, 'info').filter({ hasText: `Copied draft 1 (${text.length} characters)` })).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text)

  // Keyboard only: on the focused draft, an arrow key opens the cursor at the end and moves it; Esc closes it.
  await draft(page, 0).getByRole('region').focus()
  await page.keyboard.press('ArrowRight')
  await expect(toolbar(page)).toBeVisible()
  expect(await cursorAt(page)).toEqual({ at: text.length, picked: 0 })
  await page.keyboard.press('ArrowLeft')
  await page.keyboard.press('ArrowLeft')
  await expect.poll(() => cursorAt(page)).toEqual({ at: text.length - 2, picked: 0 })
  await freshChips(page)
  await page.keyboard.press('1')
  await expect.poll(() => cursorAt(page)).toEqual({ at: text.length - 2, picked: 1 })
  await page.keyboard.press('Backspace')
  await expect.poll(() => cursorAt(page)).toEqual({ at: text.length - 2, picked: 0 })
  await page.keyboard.press('Escape')
  await expect(toolbar(page)).toBeHidden()
  await expect(draftStatus(page, 0)).toHaveAttribute('data-state', /^(length|stop)$/)

  // A prime with characters the model never saw: a clear message naming them, and the studio goes on.
  await setParam(page, 'prime', 'Zoë smiled ✓')
  await page.getByTestId('generate-button').click()
  await expect(page.getByTestId('text-failed')).toContainText(/never saw: "✓" \(U\+2713\)\. Remove/) // "ë" is read as "e"
  await expect(draftStatus(page, 0)).toHaveAttribute('data-state', 'failed')
  await page.getByTestId('history-item').nth(1).click() // back to the good draft
  expect(await draftText(page, 0)).toBe(text)

  await dropFile(page, 'notes.txt', new TextEncoder().encode('Just my own notes'), 'text/plain')
  await expect(toasts(page, 'error').filter({ hasText: 'notes.txt has no Latent Studio recipe' })).toBeVisible()
  await expect(page.getByTestId('seed-input')).toHaveValue('3')
  expect(await draftText(page, 0)).toBe(text)
})
