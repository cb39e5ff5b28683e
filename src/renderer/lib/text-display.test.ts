/**
 * What the writer reads on chips, history entries and the draft itself: whitespace made visible and
 * named, odds as short percentages, first words, and a draft split into lines around the cursor.
 */
import { describe, expect, it } from 'vitest'
import { charName, draftLines, firstWords, formatProb, visibleChar } from './text-display'

describe('next-character chips', () => {
  it('draw whitespace and control characters visibly, letters as themselves', () => {
    expect([' ', '\n', '\t', '\r', '\u0007', 'a', '"', '—'].map(visibleChar)).toEqual(['␣', '↵', '⇥', '␍', '␇', 'a', '"', '—'])
  })

  it('name characters for screen readers', () => {
    expect(charName(' ')).toBe('space')
    expect(charName('\n')).toBe('new line')
    expect(charName('e')).toBe('“e”')
  })

  it('show odds with the digits they need', () => {
    expect([1, 0.9999, 0.42, 0.075, 0.0314, 0.0031, 0.00004, 0].map(formatProb)).toEqual(['100%', '100%', '42%', '7.5%', '3.1%', '0.31%', '<0.01%', '0%'])
    expect(formatProb(0.05)).toBe('5%')
  })
})

describe('history entries', () => {
  it('show the first words, whitespace collapsed, cut at a word', () => {
    expect(firstWords('  It is a truth\nuniversally  acknowledged  ')).toBe('It is a truth universally acknowledged')
    expect(firstWords('It is a truth universally acknowledged, that a single man', 30)).toBe('It is a truth universally…')
    expect(firstWords('')).toBe('')
  })
})

describe('a draft as lines, around the cursor', () => {
  const prime = 'It is'
  const written = ' a truth.\n\nSaid she'
  const text = (l: { pieces: { kind: string; text?: string }[] }) => l.pieces.map((p) => (p.kind === 'caret' ? '|' : p.text)).join('')

  it('is one block per line, each keeping its newline, with the prime marked apart', () => {
    const lines = draftLines(prime, written, null, false)
    expect(lines.map((l) => l.from)).toEqual([0, 15, 16])
    expect(lines.map(text)).toEqual(['It is a truth.\n', '\n', 'Said she'])
    expect(lines[0].pieces).toEqual([
      { kind: 'prime', text: 'It is', from: 0, after: false },
      { kind: 'written', text: ' a truth.\n', from: 5, after: false },
    ])
  })

  it('while writing, ends with a caret (on a line of its own after a newline)', () => {
    expect(draftLines(prime, written, null, true).map(text)).toEqual(['It is a truth.\n', '\n', 'Said she|'])
    expect(draftLines('Hi', '\n', null, true).map(text)).toEqual(['Hi\n', '|'])
  })

  it('puts picked characters and the caret at the cursor and ghosts everything after it', () => {
    const lines = draftLines(prime, written, { at: 7, picked: 'n' }, false)
    expect(lines.map(text)).toEqual(['It is an| truth.\n', '\n', 'Said she'])
    expect(lines[0].pieces.filter((p) => p.kind === 'written')).toEqual([
      { kind: 'written', text: ' a', from: 5, after: false },
      { kind: 'written', text: ' truth.\n', from: 7, after: true },
    ])
    expect(lines[2].pieces).toEqual([{ kind: 'written', text: 'Said she', from: 16, after: true }])
  })

  it('with the cursor inside the prime splits the prime; right after a newline it opens the next line', () => {
    expect(draftLines(prime, written, { at: 2, picked: '' }, false)[0].pieces.map((p) => p.kind)).toEqual(['prime', 'picked', 'caret', 'prime', 'written'])
    expect(draftLines(prime, written, { at: 15, picked: '' }, false).map(text)).toEqual(['It is a truth.\n', '|\n', 'Said she'])
  })

  it('keeps every character exactly once wherever the cursor is', () => {
    for (let at = 0; at <= prime.length + written.length; at++) {
      const all = draftLines(prime, written, { at, picked: '' }, false).flatMap((l) => l.pieces)
      expect(all.filter((p) => p.kind === 'caret')).toHaveLength(1)
      expect(all.map((p) => (p.kind === 'caret' ? '' : p.text)).join('')).toBe(prime + written)
    }
  })
})
