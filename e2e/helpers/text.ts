/**
 * The text pane as the e2e specs drive it: drafts, their status and text, placing the cursor at a given
 * character with a real mouse click, and the toolbar at the cursor. Everything through the data-testids
 * of TextPane / DraftColumn / NextCharPicker.
 */
import type { Locator, Page } from '@playwright/test'

/** The shipped Austen character LSTM. */
export const TEXT_ID = 'lstm-austen'

export const drafts = (page: Page): Locator => page.getByTestId('draft')
export const draft = (page: Page, i: number): Locator => page.locator(`[data-testid="draft"][data-draft="${i}"]`)
export const draftStatus = (page: Page, i: number): Locator => draft(page, i).getByTestId('draft-status')
export const toolbar = (page: Page): Locator => page.getByTestId('cursor-toolbar')
export const chips = (page: Page): Locator => page.getByTestId('next-char')

/** Characters written by draft i (its count in the header). */
export async function writtenCount(page: Page, i: number): Promise<number> {
  const t = await draft(page, i).getByTestId('draft-count').textContent()
  return Number(t?.match(/\d+/)?.[0] ?? NaN)
}

/** The draft's whole text as shown: the prime then what was written (no cursor open). */
export async function draftText(page: Page, i: number): Promise<string> {
  return draft(page, i).getByTestId('draft-text').evaluate((el) => el.textContent ?? '')
}

/**
 * Click just inside the left edge of character `k` (offset in prime + written) of draft i, as a user
 * would to put the cursor before it. The draft scrolls so the character is in view first.
 */
export async function clickBeforeChar(page: Page, i: number, k: number): Promise<void> {
  const point = await draft(page, i).getByTestId('draft-text').evaluate((el, k) => {
    const runs = [...el.querySelectorAll<HTMLElement>('[data-from]')]
    const run = runs.find((r) => Number(r.dataset.from) <= k && k < Number(r.dataset.from) + (r.textContent?.length ?? 0))
    const node = run?.firstChild
    if (!run || !node) throw new Error(`no character ${k} in this draft`)
    const range = document.createRange()
    const off = k - Number(run.dataset.from)
    range.setStart(node, off)
    range.setEnd(node, off + 1)
    const scroller = el.parentElement!
    const box = () => range.getClientRects()[0]
    const view = scroller.getBoundingClientRect()
    scroller.scrollTop += box().top - view.top - view.height / 3
    const r = box()
    return { x: r.left + Math.min(2, r.width / 4), y: r.top + r.height / 2 }
  }, k)
  await page.mouse.click(point.x, point.y)
}

/** The cursor position the toolbar reports: "at N" (+ "M picked"). */
export async function cursorAt(page: Page): Promise<{ at: number; picked: number }> {
  const t = (await page.getByTestId('cursor-at').textContent()) ?? ''
  const m = t.match(/at (\d+)(?: \+ (\d+) picked)?/)
  if (!m) throw new Error(`toolbar says ${JSON.stringify(t)}`)
  return { at: Number(m[1]), picked: Number(m[2] ?? 0) }
}

/** Wait until the chips show the odds for the cursor as it is now (not the previous position's). */
export async function freshChips(page: Page): Promise<void> {
  await page.getByTestId('next-chars').and(page.locator('[data-loading="false"]')).waitFor()
  await chips(page).first().waitFor()
}

/** The chips as shown: the visible glyph, the character it stands for, and the percentage. */
export async function chipList(page: Page): Promise<{ char: string; glyph: string; pct: string }[]> {
  return chips(page).evaluateAll((els) =>
    els.map((e) => ({
      char: (e as HTMLElement).dataset.char ?? '',
      glyph: e.querySelector('.glyph')?.textContent ?? '',
      pct: e.querySelector('.p')?.textContent ?? '',
    })),
  )
}
