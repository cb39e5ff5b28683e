/**
 * How characters and odds read in the text pane: whitespace made visible on the next-character chips
 * (a chip holding a bare space would look empty), names for screen readers, and probabilities as
 * percentages with as many digits as they need. Pure: unit-tested in text-display.test.ts.
 */

/** Glyphs for characters that would be invisible (or break the layout) on a chip. */
const VISIBLE: Record<string, string> = { ' ': '␣', '\n': '↵', '\t': '⇥', '\r': '␍' }
const NAMES: Record<string, string> = { ' ': 'space', '\n': 'new line', '\t': 'tab', '\r': 'carriage return' }

/** What a chip shows for one character: whitespace and other control characters as visible symbols. */
export function visibleChar(c: string): string {
  if (c in VISIBLE) return VISIBLE[c]
  const code = c.codePointAt(0) ?? 0
  // C0 controls have their own "control picture" glyphs at U+2400 + code.
  if (c.length === 1 && code < 0x20) return String.fromCodePoint(0x2400 + code)
  return c
}

/** A character in words for aria labels: "space", "new line", "quotation mark ‘"’"… */
export function charName(c: string): string {
  if (c in NAMES) return NAMES[c]
  const code = c.codePointAt(0) ?? 0
  if (c.length === 1 && code < 0x20) return `control character ${code}`
  return `“${c}”`
}

/** A probability in [0, 1] as a short percentage: 42%, 7.5%, 0.31%, <0.01%. */
export function formatProb(p: number): string {
  if (!(p > 0)) return '0%'
  const pct = p * 100
  if (pct >= 99.5) return `${Math.min(100, Math.round(pct))}%`
  if (pct >= 10) return `${Math.round(pct)}%`
  if (pct >= 1) return `${trim(pct.toFixed(1))}%`
  if (pct >= 0.01) return `${trim(pct.toPrecision(2))}%`
  return '<0.01%'
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s
}

/** The first words of a text for a history entry: whitespace collapsed, cut at a word near `max` chars. */
export function firstWords(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max)
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`
}

/** A piece of a rendered line: a run of text (`from`: its offset in prime + written, for clicks), the
 * characters picked by hand at the cursor, or the caret. `after`: past the cursor (ghosted). */
export type Piece =
  | { kind: 'prime' | 'written'; text: string; from: number; after: boolean }
  | { kind: 'picked'; text: string }
  | { kind: 'caret' }

/** One line of a draft (up to and including its newline) as a block of its own. */
export interface Line {
  from: number
  pieces: Piece[]
}

/**
 * A draft split into lines for rendering, with the cursor (picked characters + caret, the rest ghosted)
 * or, while writing, a caret at the end. Each line is its own block element, so a character appended
 * re-lays out only the last line, not the whole draft (a 20,000-character draft in one text node costs
 * the browser tens of ms per frame); a line ending in a newline renders exactly as in one run of
 * `pre-wrap`. Text that ends with a newline gets an empty last line to hold the caret.
 */
export function draftLines(prime: string, written: string, cursor: { at: number; picked: string } | null, live: boolean): Line[] {
  const full = prime + written
  const P = prime.length
  const end = full.length
  const caret = cursor ? Math.max(0, Math.min(end, cursor.at)) : live ? end : -1
  const starts = [0]
  for (let i = full.indexOf('\n'); i >= 0; i = full.indexOf('\n', i + 1)) starts.push(i + 1)
  const runs = (a: number, b: number, after: boolean): Piece[] => {
    const out: Piece[] = []
    if (a < P && b > a) out.push({ kind: 'prime', text: full.slice(a, Math.min(b, P)), from: a, after })
    const w = Math.max(a, P)
    if (b > w) out.push({ kind: 'written', text: full.slice(w, b), from: w, after })
    return out
  }
  return starts.map((a, k) => {
    const b = k + 1 < starts.length ? starts[k + 1] : end
    const last = k === starts.length - 1
    if (caret < a || caret > b || (caret === b && !last)) return { from: a, pieces: runs(a, b, !!cursor && caret < a) }
    const mark: Piece[] = cursor ? [{ kind: 'picked', text: cursor.picked }, { kind: 'caret' }] : [{ kind: 'caret' }]
    return { from: a, pieces: [...runs(a, caret, false), ...mark, ...runs(caret, b, true)] }
  })
}
