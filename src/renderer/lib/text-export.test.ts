/**
 * A draft exported with its recipe and opened again: the file holds the whole text under a front matter
 * recipe, and opening it restores model, seed and params (prime included) and splits off the prime —
 * or refuses by name when it has no recipe, a damaged one, or needs a model that is not installed.
 */
import { describe, expect, it } from 'vitest'
import { CODECS } from '../../common/codecs'
import { encodeTextFile } from '../../common/front-matter'
import type { Recipe } from '../../common/recipe'
import { summaryOf } from './test-models'
import { restoreFromText, textFileName } from './text-export'
import { lstmSummary } from './text-test-models'

const model = lstmSummary()
const recipe: Recipe = {
  app: 'latent-studio', appVersion: '0.1.0', modelId: model.id, modelHash: model.hash, seed: 41,
  params: { prime: 'It is', length: 8, temperature: 0.5, topK: 0, topP: 1, drafts: 1, stop: '' }, ep: 'cpu', epPref: 'cpu',
}
const bytes = (s: string) => new TextEncoder().encode(s)
const decode = (b: Uint8Array) => new TextDecoder().decode(b)

describe('exporting a draft', () => {
  it('names the file by model and seed', () => {
    expect(textFileName('lstm-austen', 41, 'md')).toBe('lstm-austen-seed41.md')
  })

  it('writes UTF-8 with the recipe in front matter, then the whole text', async () => {
    const file = decode(await CODECS.text.encode({ text: 'It is a truth — “said” she' }, recipe, { format: 'txt' }))
    expect(file.startsWith('---\nlatent-studio-recipe: {')).toBe(true)
    expect(file.endsWith('\n\nIt is a truth — “said” she')).toBe(true)
  })
})

describe('opening a text file', () => {
  it('restores model, seed and params, and splits the prime from what was written', () => {
    const content = bytes(encodeTextFile('It is\na truth', { ...recipe, params: { ...recipe.params, prime: 'It is\n' } }, 'md'))
    const r = restoreFromText('mine.md', content, [summaryOf('dcgan-test'), model])
    expect(r).toMatchObject({ ok: true, seed: 41, prime: 'It is\n', written: 'a truth', notes: [] })
    if (r.ok) expect(r.params).toEqual({ prime: 'It is\n', length: 8, temperature: 0.5, topK: 0, topP: 1, drafts: 1, stop: '' })
  })

  it('shows an edited text whole and says the prime no longer matches', () => {
    const r = restoreFromText('edited.txt', bytes(encodeTextFile('Once upon', recipe, 'txt')), [model])
    expect(r).toMatchObject({ ok: true, prime: '', written: 'Once upon' })
    if (r.ok) expect(r.notes.join()).toMatch(/edited\.txt: the text was edited/)
  })

  it('refuses, naming the file, a text without a recipe, a damaged recipe, or a missing model', () => {
    expect(restoreFromText('notes.txt', bytes('Just my notes'), [model])).toEqual({ ok: false, error: 'notes.txt has no Latent Studio recipe' })
    const damaged = restoreFromText('bad.md', bytes('---\nlatent-studio-recipe: {"app":"latent-studio"\n---\n\nx'), [model])
    expect(damaged.ok).toBe(false)
    if (!damaged.ok) expect(damaged.error).toMatch(/^bad\.md has a damaged recipe/)
    const missing = restoreFromText('moby.md', bytes(encodeTextFile('x', { ...recipe, modelId: 'lstm-moby' }, 'md')), [model])
    expect(missing).toEqual({ ok: false, error: 'Cannot restore moby.md: the recipe needs model "lstm-moby", which is not installed' })
  })

  it('clamps values the model does not allow and says so', () => {
    const r = restoreFromText('hot.md', bytes(encodeTextFile('It is', { ...recipe, params: { ...recipe.params, temperature: 9 } }, 'md')), [model])
    expect(r).toMatchObject({ ok: true, params: { temperature: 2 } })
    if (r.ok) expect(r.notes.join()).toMatch(/Temperature: 9 is not allowed, using 2/)
  })
})
