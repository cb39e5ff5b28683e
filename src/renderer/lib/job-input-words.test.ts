import { describe, expect, it } from 'vitest'
import type { RecipeInput } from '../../common/inputs'
import { inputNote, looksLike, sizeRefusal } from './job-input-words'

const want: RecipeInput = { kind: 'image', sha256: 'ab'.repeat(32), size: 90_000, fileName: 'beach.jpg' }

describe('job input words', () => {
  it('tells the user which photo a recipe was made from, and whether the one picked is it', () => {
    expect(inputNote(want, null)).toBe('Made from photo beach.jpg (sha256 abababababab…): drop it here to dream again.')
    expect(inputNote(want, { record: { ...want, fileName: 'renamed.jpg' }, origin: null })).toBe('This is the photo beach.jpg (sha256 abababababab…) the recipe was made from.')
    expect(inputNote(want, { record: { ...want, sha256: 'cd'.repeat(32) }, origin: null })).toMatch(/^Made from photo beach.jpg .*; this photo is a different file, so the result will differ\.$/)
    expect(inputNote(want, { record: want, origin: 'from the recipe' })).toBe('The photo beach.jpg (sha256 abababababab…) came back from the recipe.')
  })

  it('tells photos and MIDI files by their first bytes', () => {
    const b = (s: string | number[]) => (typeof s === 'string' ? new TextEncoder().encode(s) : Uint8Array.from(s))
    expect(looksLike('image', b([0xff, 0xd8, 0xff, 0xe0]))).toBe(true)
    expect(looksLike('image', b([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]))).toBe(true)
    expect(looksLike('image', b('RIFF\0\0\0\0WEBPVP8 '))).toBe(true)
    expect(looksLike('image', b('\0\0\0\x1cftypavif'))).toBe(true)
    expect(looksLike('image', b('hello, not a photo'))).toBe(false)
    expect(looksLike('midi', b('MThd\0\0\0\x06'))).toBe(true)
    expect(looksLike('image', b('MThd\0\0\0\x06'))).toBe(false)
  })

  it('refuses empty and oversized files before reading them', () => {
    expect(sizeRefusal('a.jpg', 'image', 0)).toBe('a.jpg is empty')
    expect(sizeRefusal('a.jpg', 'image', 40 * 1048576)).toBe('a.jpg is 40 MiB; a photo may be at most 32 MiB')
    expect(sizeRefusal('a.mid', 'midi', 5 * 1048576)).toBe('a.mid is 5 MiB; a MIDI file may be at most 4 MiB')
    expect(sizeRefusal('a.jpg', 'image', 1000)).toBeNull()
  })
})
