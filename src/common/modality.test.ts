/**
 * One map from family to modality: every family has a label and a modality (or says it has none yet),
 * files go to the modality whose extension they carry, and family names are switched on in the
 * registries only — a new family touches those files, not every layer.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { FAMILIES } from './manifest'
import { FAMILY_INFO, familyLabel, MODALITIES, MODALITY_INFO, modalityOf, modalityOfFileName, notOpenable, OPEN_EXTENSIONS } from './modality'

const SRC = fileURLToPath(new URL('..', import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return sources(p)
    // Runtime code only: tests and their helpers (test-models.ts, testing-*.ts) build fixtures of every family.
    return /\.(ts|svelte)$/.test(e.name) && !e.name.endsWith('.test.ts') && !/^test(ing)?[-.]/.test(e.name) ? [p] : []
  })
}

describe('family → modality', () => {
  it('covers every family of the manifest schema, in the model browser’s order', () => {
    expect(Object.keys(FAMILY_INFO)).toEqual([...FAMILIES])
    expect([modalityOf('gan'), modalityOf('char-lstm'), modalityOf('wavenet'), modalityOf('unknown'), modalityOf(undefined)]).toEqual(['image', 'text', 'audio', null, null])
    expect([familyLabel('vaegan'), familyLabel('unknown')]).toEqual(['VAE-GAN', 'Unreadable'])
  })

  it('sends a file to the modality of its extension', () => {
    expect(['a.PNG', 'b.md', 'c.Markdown', 'd.txt', 'e.wav', 'f.jpg', 'png', 'g.MID', 'h.midi'].map(modalityOfFileName)).toEqual(['image', 'text', 'text', 'text', 'audio', null, null, 'music', 'music'])
  })

  it('opens every modality’s files through one list, and a refusal names them all', () => {
    expect(OPEN_EXTENSIONS).toEqual(MODALITIES.flatMap((m) => MODALITY_INFO[m].extensions))
    expect(notOpenable('photo.jpg')).toBe('photo.jpg is not a file the studio opens: it opens .png, .gif, .md, .txt, .markdown, .wav, .mid or .midi files')
  })

  it('names two or more families as string literals in at most 3 non-test files under src/ (the registries)', () => {
    const literal = new RegExp(`(['"\`])(${FAMILIES.map((f) => f.replace('-', '\\-')).join('|')})\\1`, 'g')
    const naming = sources(SRC)
      .filter((f) => new Set([...readFileSync(f, 'utf8').matchAll(literal)].map((m) => m[2])).size >= 2)
      .map((f) => relative(SRC, f))
    expect(naming.length, naming.join(', ')).toBeLessThanOrEqual(3)
  })
})
