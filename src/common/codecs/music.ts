/**
 * MIDI files: type 0, the notes at the piece's tempo, the recipe in a text meta event
 * (`latent-studio:recipe {…}`, common/midi.ts). Reading gives the notes and tempo back with the recipe,
 * so a dropped file restores both.
 */
import { musicItemRecipe } from '../items'
import { decodeMidi, encodeMidi, looksLikeMidi, MAX_MIDI_BYTES, type MidiSong } from '../midi'
import { recipeFrom } from './read'
import type { FileCodec } from './types'

export const musicCodec: FileCodec<'music'> = {
  kind: 'MIDI',
  maxBytes: MAX_MIDI_BYTES,
  sniff: (_name, bytes) => looksLikeMidi(bytes),
  itemRecipe: musicItemRecipe,
  encode: async ({ notes, bpm }, recipe) => encodeMidi(notes, bpm, JSON.stringify(recipe)),
  decode(name, bytes) {
    let song: MidiSong
    try {
      song = decodeMidi(bytes)
    } catch (e) {
      return { ok: false, error: `${name} is not a usable MIDI file: ${e instanceof Error ? e.message : String(e)}` }
    }
    return recipeFrom(name, song.recipe, { piece: song.notes, bpm: song.bpm, warnings: song.warnings })
  },
}
