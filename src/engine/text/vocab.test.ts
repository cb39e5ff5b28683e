/**
 * What a writer pastes as a prime: characters the model knows become ids, typographic quotes and
 * dashes it lacks become their plain stand-ins (said so), and anything else is named in the error.
 */
import { describe, expect, it } from 'vitest'
import { endsWithStop, parseStops, Vocab } from './vocab'

const vocab = new Vocab(['\n', ' ', '"', "'", '-', '.', 'I', 'T', 'a', 'e', 'h', 'i', 's', 't', 'w', '—'])

describe('Vocab', () => {
  it('encodes one id per character', () => {
    const e = vocab.encode('It was', 'prime')
    expect([...e.ids]).toEqual([6, 13, 1, 14, 8, 12])
    expect(e.text).toBe('It was')
    expect(e.notes).toEqual([])
  })

  it('reads typographic quotes and dashes as the plain ones, keeping every position, and says so once', () => {
    const e = vocab.encode('\u2018Twas\u2019 \u201cit\u201d \u2013 a', 'prime')
    expect(e.text).toBe(`'Twas' "it" - a`)
    expect(e.ids.length).toBe(e.text.length)
    expect(e.notes).toHaveLength(1)
    expect(e.notes[0]).toMatch(/prime's "‘" \(U\+2018\) was read as "'"/)
    expect(e.notes[0]).toMatch(/"–" \(U\+2013\) was read as "-"/)
    // The em dash is in this vocab: kept as it is.
    expect(vocab.encode('a—a', 'prime').text).toBe('a—a')
  })

  it('reads an accented letter as the plain one (NFKD, marks stripped), composed or not, and "…" as "..."', () => {
    const e = vocab.encode('Thé the\u0301\u2026', 'prime')
    expect(e.text).toBe('The the...')
    expect([...e.ids]).toEqual([...vocab.encode('The the...', 'prime').ids])
    expect(e.notes).toEqual(['the prime\'s "é" (U+00E9) was read as "e", "e\u0301" (U+0065 U+0301) was read as "e", "…" (U+2026) was read as "...": the model has no such characters'])
    expect(vocab.encode('a\r\ns\rt', 'prime').text).toBe('a\ns\nt')
  })

  it('leaves emoji out with one note naming them, whole (skin tones, flags, joined families)', () => {
    const e = vocab.encode('It was 😀 ☃ 👍🏽 🇫🇷 👩‍👩‍👧 😀', 'prime')
    expect(e.text).toBe('It was      ')
    expect(e.notes).toEqual(['the prime\'s emoji 😀 ☃ 👍🏽 🇫🇷 👩‍👩‍👧 were left out: the model has never seen emoji'])
  })

  it('names every character it cannot read once, with its code points, and nothing else', () => {
    const err = (t: string) => {
      try {
        vocab.encode(t, 'prime')
        return null
      } catch (e) {
        return (e as Error).message
      }
    }
    expect(err('aß ✓ ß 中 😀')).toBe('the prime has characters this model never saw: "ß" (U+00DF), "✓" (U+2713), "中" (U+4E2D). Remove or replace them')
    expect(err('é')).toBeNull()
  })

  it('refuses a vocabulary entry that is not one character', () => {
    expect(() => new Vocab(['a', 'bc'])).toThrow(/vocab entry 1 "bc" is not one character/)
  })
})

describe('stop sequences', () => {
  it('splits on |, reads \\n as a newline, drops empty pieces', () => {
    expect(parseStops('')).toEqual([])
    expect(parseStops('\\n\\n|THE END||.')).toEqual(['\n\n', 'THE END', '.'])
    expect(endsWithStop('He said.\n\n', ['\n\n'])).toBe(true)
    expect(endsWithStop('He said.\n', ['\n\n'])).toBe(false)
  })
})
