/**
 * Characters ↔ token ids for a char-lstm manifest (`vocab`: one character per entry, id = index),
 * the prime's typographic stand-ins, and stop sequences. Positions everywhere in the text family are
 * JS string indices, so every vocab entry must be one UTF-16 unit (the manifest allows two: refused here
 * with a message rather than mis-counted).
 */

/**
 * Typographic characters a pasted prime often has and a plain-text corpus often lacks, each with a
 * one-character stand-in (one for one keeps every position of the prime the same), and the line breaks
 * of other systems.
 */
const STAND_INS: Record<string, string[]> = {
  "'": ['\u2018', '\u2019', '\u201a', '\u201b', '\u2032'],
  '"': ['\u201c', '\u201d', '\u201e', '\u201f', '\u2033'],
  '-': ['\u2010', '\u2011', '\u2012', '\u2013', '\u2212'],
  '\u2014': ['\u2015'],
  ' ': ['\u00a0', '\u2009', '\u202f', '\t'],
  '\n': ['\r\n', '\r', '\u2028', '\u2029'],
}

export interface Encoded {
  /** (n,) token ids, one per character of `text`. */
  ids: Uint32Array
  /**
   * The text the model reads: the input with stand-ins applied, accents stripped and emoji left out.
   * Usually as long as the input (a stand-in is one character for one); an emoji, a decomposed accent or
   * a compatibility form ("…" → "...") changes the length.
   */
  text: string
  /** What was read differently, for the job's warnings (at most one note each for stand-ins and emoji). */
  notes: string[]
}

/** A character as a message shows it: control characters escaped (a newline as \n), with its code points. */
const esc = (g: string) => g.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t')
const codes = (g: string) => [...g].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ')
const show = (g: string) => `"${esc(g)}" (${codes(g)})`

/** A grapheme cluster that is (part of) an emoji: pictographs, flags, keycaps. */
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u
/** Combining marks left by NFKD: "é" → "e" + U+0301. */
const MARKS = /\p{M}/gu
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' })

export class Vocab {
  readonly size: number
  private readonly index = new Map<string, number>()
  private readonly standIn = new Map<string, string>()

  constructor(readonly chars: readonly string[]) {
    chars.forEach((ch, i) => {
      if (ch.length !== 1) throw new Error(`vocab entry ${i} ${JSON.stringify(ch)} is not one character (text models need one UTF-16 unit per token)`)
      if (this.index.has(ch)) throw new Error(`vocab entry ${i} ${JSON.stringify(ch)} appears twice`)
      this.index.set(ch, i)
    })
    this.size = chars.length
    for (const [to, froms] of Object.entries(STAND_INS)) {
      if (!this.index.has(to)) continue
      for (const f of froms) if (!this.index.has(f)) this.standIn.set(f, to)
    }
  }

  id(ch: string): number | undefined {
    return this.index.get(ch)
  }

  /**
   * `what` names the text in messages ("prime", "text"). Every character the model knows is read as it
   * is; of the rest, a typographic stand-in or the character without its accents (NFKD, marks stripped:
   * "é" → "e", "…" → "...") is read when the model knows all of it, emoji are left out, and anything else
   * is named (each once, in order of appearance) in the one error thrown.
   */
  encode(input: string, what: string): Encoded {
    let known = true
    for (let k = 0; k < input.length && known; k++) known = this.index.has(input[k])
    const { text, notes } = known ? { text: input, notes: [] } : this.map(input, what)
    const ids = new Uint32Array(text.length)
    for (let k = 0; k < text.length; k++) ids[k] = this.index.get(text[k])!
    return { ids, text, notes }
  }

  /** `input` in characters the model knows, and what was read differently; throws naming what cannot be read. */
  private map(input: string, what: string): { text: string; notes: string[] } {
    const read = new Map<string, string>() // what was read differently → as what
    const emoji: string[] = []
    const unknown: string[] = []
    let out = ''
    for (const { segment: g } of graphemes.segment(input)) {
      if ([...g].every((c) => c.length === 1 && this.index.has(c))) {
        out += g
        continue
      }
      const plain = this.standIn.get(g) ?? g.normalize('NFKD').replace(MARKS, '')
      if (plain && [...plain].every((c) => this.index.has(c))) {
        read.set(g, plain)
        out += plain
      } else if (EMOJI.test(g)) {
        if (!emoji.includes(g)) emoji.push(g)
      } else if (!unknown.includes(g)) unknown.push(g)
    }
    if (unknown.length) {
      const list = unknown.slice(0, 12).map(show).join(', ') + (unknown.length > 12 ? ` and ${unknown.length - 12} more` : '')
      throw new Error(`the ${what} has characters this model never saw: ${list}. Remove or replace them`)
    }
    const notes: string[] = []
    if (read.size) {
      const each = [...read].map(([from, to]) => `${show(from)} was read as "${esc(to)}"`)
      notes.push(`the ${what}'s ${each.join(', ')}: the model has no such character${read.size > 1 ? 's' : ''}`)
    }
    if (emoji.length) notes.push(`the ${what}'s emoji ${emoji.join(' ')} ${emoji.length > 1 ? 'were' : 'was'} left out: the model has never seen emoji`)
    return { text: out, notes }
  }
}

/**
 * The `stop` parameter: sequences separated by `|`, where the two characters `\n` mean a newline.
 * Empty pieces are dropped ("" = no stop sequences).
 */
export function parseStops(stop: string): string[] {
  return stop
    .split('|')
    .map((s) => s.replace(/\\n/g, '\n'))
    .filter((s) => s.length > 0)
}

/** Whether `text` (a draft's written part) now ends with one of `stops`. */
export function endsWithStop(text: string, stops: string[]): boolean {
  for (const s of stops) if (text.endsWith(s)) return true
  return false
}
