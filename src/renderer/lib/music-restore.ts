/**
 * Dropped or opened MIDI file → recipe + notes → what the studio should show. Pure (bytes in, decision
 * out), unit-tested: not MIDI, a damaged recipe, a model that is missing or makes no music, and a MIDI
 * file made elsewhere (no recipe), whose notes still come back to play and continue. Loaded on first
 * drop (it pulls in zod through the codecs).
 */
import { recipeFrom } from '../../common/codecs/read'
import type { ModelSummary } from '../../common/contract'
import { decodeMidi, type MidiNote, type MidiSong } from '../../common/midi'
import { modalityOf } from '../../common/modality'
import { resolveDecoded, type FileRestore } from './recipe-restore'

/** A MIDI file made elsewhere: no recipe, but notes to show, play and continue; `notes` say so. */
export interface BarePiece {
  ok: true
  recipe: null
  /** The file's pitched notes (drums left out), by start. */
  piece: MidiNote[]
  bpm: number
  warnings: string[]
  notes: string[]
}

export function restoreFromMidi(name: string, bytes: Uint8Array, models: readonly ModelSummary[]): FileRestore<'music'> | BarePiece {
  let song: MidiSong
  try {
    song = decodeMidi(bytes)
  } catch (e) {
    return { ok: false, error: `${name} is not a usable MIDI file: ${e instanceof Error ? e.message : String(e)}` }
  }
  const read = song.warnings.map((w) => `${name}: ${w}`)
  if (song.recipe === null) {
    const notes = [`${name} has no Latent Studio recipe: it plays, and Continue writes on from it`, ...read]
    return { ok: true, recipe: null, piece: song.notes, bpm: song.bpm, warnings: song.warnings, notes }
  }
  const r = resolveDecoded<'music'>(name, recipeFrom(name, song.recipe, { piece: song.notes, bpm: song.bpm, warnings: song.warnings }), models)
  if (!r.ok) return r
  if (modalityOf(r.model.family) !== 'music') return { ok: false, error: `Cannot restore ${name}: its recipe is for ${r.model.title}, which does not make music` }
  return { ...r, notes: [...r.notes, ...read] }
}

/** e.g. `music-lstm-game-seed-3.mid` (or `.wav`). */
export const musicFileName = (modelId: string, seed: number, ext: 'mid' | 'wav') => `${modelId}-seed-${seed}.${ext}`
