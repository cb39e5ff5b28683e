/** Dropping a MIDI file: its recipe and notes come back, a clip made elsewhere still opens, or the user is told why not. */
import { describe, expect, it } from 'vitest'
import { encodeMidi, type MidiNote } from '../../common/midi'
import { musicFileName, restoreFromMidi } from './music-restore'
import { musicSummary } from './music-test-model'
import { summaryOf } from './test-models'

const music = musicSummary()
const models = [music, summaryOf('dcgan-test')]
const notes: MidiNote[] = [60, 64, 67].map((pitch, i) => ({ pitch, velocity: 91, startS: i * 0.25, durS: 0.5, program: 0 }))
const recipe = (over: object = {}) =>
  JSON.stringify({ app: 'latent-studio', appVersion: '0.1.0', modelId: music.id, modelHash: music.hash, seed: 3, params: { temperature: 0.9, bars: 4, tempo: 120, program: 0 }, ep: 'cpu', ...over })

describe('restoreFromMidi', () => {
  it('gives back model, seed, params, the notes and the tempo', () => {
    const r = restoreFromMidi('p.mid', encodeMidi(notes, 120, recipe()), models)
    if (!r.ok || !r.recipe) throw new Error(r.ok ? 'no recipe read' : r.error)
    expect([r.model.id, r.seed, r.params, r.bpm]).toEqual([music.id, 3, { temperature: 0.9, bars: 4, tempo: 120, program: 0 }, 120])
    expect(r.piece).toEqual(notes)
    expect(r.notes).toEqual([])
  })

  it('opens a MIDI file made elsewhere: its notes, and a note that it has no recipe', () => {
    const r = restoreFromMidi('song.mid', encodeMidi(notes, 90, null), models)
    expect(r).toMatchObject({ ok: true, recipe: null, bpm: 90, notes: ['song.mid has no Latent Studio recipe: it plays, and Continue writes on from it'] })
    expect(r.ok && 'piece' in r && r.piece).toHaveLength(3)
  })

  it('refuses a file that is no MIDI, a recipe of a model that makes no music, and a missing model, naming the file', () => {
    expect(restoreFromMidi('x.mid', new TextEncoder().encode('hello there, not midi'), models)).toEqual({ ok: false, error: 'x.mid is not a usable MIDI file: it does not start with MThd (not a standard MIDI file)' })
    expect(restoreFromMidi('g.mid', encodeMidi(notes, 120, recipe({ modelId: 'dcgan-test' })), models)).toEqual({ ok: false, error: 'Cannot restore g.mid: its recipe is for GAN dcgan-test, which does not make music' })
    expect(restoreFromMidi('m.mid', encodeMidi(notes, 120, recipe({ modelId: 'gone' })), models)).toMatchObject({ ok: false, error: expect.stringMatching(/^Cannot restore m\.mid: the recipe needs model "gone"/) })
  })

  it('names exports by model and seed', () => {
    expect([musicFileName('m', 3, 'mid'), musicFileName('m', 3, 'wav')]).toEqual(['m-seed-3.mid', 'm-seed-3.wav'])
  })
})
