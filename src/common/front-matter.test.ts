/**
 * Exported drafts carry their recipe in front matter: the text comes back exactly, the recipe comes
 * back whole (whatever the prime holds), and files edited elsewhere still open.
 */
import { describe, expect, it } from 'vitest'
import { encodeTextFile, readTextFile } from './front-matter'
import type { Recipe } from './recipe'

const recipe: Recipe = {
  app: 'latent-studio', appVersion: '0.1.0', modelId: 'lstm-austen', modelHash: '0123456789abcdef', seed: 3,
  params: { prime: 'It was\n"odd" \u2028 she said: --- |', length: 300, temperature: 0.7, drafts: 1, stop: '\\n\\n' },
  ep: 'cpu', epPref: 'auto',
}
const text = 'It was\n"odd" \u2028 she said: --- |\n\n---\n\nand the rest.\n'

describe('text files with a recipe', () => {
  it('is a YAML front matter block with one line of JSON, then a blank line, then the text', () => {
    const s = encodeTextFile(text, recipe, 'md')
    const lines = s.split('\n')
    expect(lines[0]).toBe('---')
    expect(lines[1]).toMatch(/^latent-studio-recipe: \{"app":"latent-studio",.*\}$/)
    expect(lines[2]).toBe('---')
    expect(lines[3]).toBe('')
    expect(s.endsWith(text)).toBe(true)
    expect(lines[1]).not.toContain('\u2028') // escaped in the recipe line: YAML 1.1 readers would break the line there
    expect(encodeTextFile(text, recipe, 'txt')).toBe(s)
  })

  it('reads back the exact text and recipe, even when the text has its own --- lines', () => {
    for (const t of [text, '', '\n\nstarts with blank lines', 'no newline at the end']) {
      expect(readTextFile(encodeTextFile(t, recipe, 'md'))).toEqual({ text: t, recipe })
    }
  })

  it('still reads a file an editor saved with CRLF, a BOM or extra keys', () => {
    const s = encodeTextFile('one\ntwo', recipe, 'md').replace('---\n\n', 'title: Mine\n---\n\n')
    expect(readTextFile('\ufeff' + s.replace(/\n/g, '\r\n'))).toEqual({ text: 'one\ntwo', recipe })
  })

  it('a plain file is all text; a damaged recipe says why', () => {
    expect(readTextFile('Just prose.\n')).toEqual({ text: 'Just prose.\n', recipe: null })
    expect(readTextFile('---\ntitle: x\n---\n\nbody')).toEqual({ text: 'body', recipe: null })
    expect(readTextFile('---\nnot closed\nbody')).toEqual({ text: '---\nnot closed\nbody', recipe: null })
    const bad = readTextFile('---\nlatent-studio-recipe: {"app":"latent-studio"\n---\n\nbody')
    expect(bad).toMatchObject({ text: 'body', recipe: null, error: 'the recipe is not valid JSON' })
    const wrong = readTextFile(encodeTextFile('body', { ...recipe, seed: -1 }, 'txt'))
    expect(wrong.recipe).toBeNull()
    expect(wrong.error).toMatch(/^seed: /)
  })
})
