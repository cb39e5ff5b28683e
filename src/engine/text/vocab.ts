/**
 * Characters ↔ token ids for a char-lstm manifest (`vocab`: one character per entry, id = index),
 * the prime's typographic stand-ins, and stop sequences. Positions everywhere in the text family are
 * JS string indices, so every vocab entry must be one UTF-16 unit (the manifest allows two: refused here
 * with a message rather than mis-counted).
 */

/**
 * Typographic characters a pasted prime often has and a plain-text corpus often lacks, each with a
 * one-character stand-in: one for one keeps every position of the prime the same.
 */
const STAND_INS: Record<string, string[]> = {
  "'": ['\u2018', '\u2019', '\u201a', '\u201b', '\u2032'],
  '"': ['\u201c', '\u201d', '\u201e', '\u201f', '\u2033'],
  '-': ['\u2010', '\u2011', '\u2012', '\u2013', '\u2212'],
  '\u2014': ['\u2015'],
  ' ': ['\u00a0', '\u2009', '\u202f', '\t'],
}

export interface Encoded {
  /** (n,) token ids, one per character of `text`. */
  ids: Uint32Array
  /** The text the model reads: the input with stand-ins applied (same length). */
  text: string
  /** What was replaced, for the job's warnings; empty when nothing was. */
  notes: string[]
}

const show = (ch: string) => `"${ch === '\n' ? '\\n' : ch === '\t' ? '\\t' : ch}" (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`

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
   * `what` names the text in messages ("prime", "text"). Throws one message naming every character
   * the model cannot read (each once, in order of appearance).
   */
  encode(input: string, what: string): Encoded {
    const ids = new Uint32Array(input.length)
    const unknown: string[] = []
    const replaced = new Map<string, string>()
    let text = ''
    for (let k = 0; k < input.length; k++) {
      let ch = input[k]
      let id = this.index.get(ch)
      if (id === undefined && this.standIn.has(ch)) {
        replaced.set(ch, this.standIn.get(ch)!)
        ch = this.standIn.get(ch)!
        id = this.index.get(ch)
      }
      if (id === undefined) {
        if (!unknown.includes(ch)) unknown.push(ch)
        continue
      }
      ids[k] = id
      text += ch
    }
    if (unknown.length) {
      const list = unknown.slice(0, 12).map(show).join(', ') + (unknown.length > 12 ? ` and ${unknown.length - 12} more` : '')
      throw new Error(`the ${what} has characters this model never saw: ${list}. Remove or replace them (the model knows: ${this.describe()})`)
    }
    const notes = [...replaced].map(([from, to]) => `the ${what}'s ${show(from)} was read as ${show(to)}: the model has no ${show(from)}`)
    return { ids, text, notes }
  }

  /** A short list of what the vocabulary holds, for error messages. */
  describe(): string {
    const printable = this.chars.filter((c) => c !== '\n').join('')
    return printable + (this.index.has('\n') ? ' and newline' : '')
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
