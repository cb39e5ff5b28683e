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

  it('reads typographic quotes and dashes as the plain ones, keeping every position, and says so', () => {
    const e = vocab.encode('\u2018Twas\u2019 \u201cit\u201d \u2013 a', 'prime')
    expect(e.text).toBe(`'Twas' "it" - a`)
    expect(e.ids.length).toBe(e.text.length)
    expect(e.notes.join('\n')).toMatch(/prime's "‘" \(U\+2018\) was read as "'"/)
    expect(e.notes.join('\n')).toMatch(/"–" \(U\+2013\) was read as "-"/)
    // The em dash is in this vocab: kept as it is.
    expect(vocab.encode('a—a', 'prime').text).toBe('a—a')
  })

  it('names every unknown character once, with its code point', () => {
    expect(() => vocab.encode('Café ☃ é', 'prime')).toThrow(/the prime has characters this model never saw: "C" \(U\+0043\), "f" \(U\+0066\), "é" \(U\+00E9\), "☃" \(U\+2603\)\. Remove or replace them/)
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
