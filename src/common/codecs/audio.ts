/** WAV files: 16-bit PCM mono, the recipe in the RIFF LIST/INFO comment (wav.ts). */
import { audioItemRecipe } from '../items'
import { decodeWav, encodeWav, looksLikeWav, MAX_WAV_BYTES, type WavData } from '../wav'
import { recipeFrom } from './read'
import type { FileCodec } from './types'

export const audioCodec: FileCodec<'audio'> = {
  kind: 'WAV',
  maxBytes: MAX_WAV_BYTES,
  sniff: (_name, bytes) => looksLikeWav(bytes),
  itemRecipe: audioItemRecipe,
  encode: async ({ samples, sampleRate }, recipe) => encodeWav(samples, sampleRate, JSON.stringify(recipe)),
  decode(name, bytes) {
    let wav: WavData
    try {
      wav = decodeWav(bytes)
    } catch (e) {
      return { ok: false, error: `${name} is not a usable WAV: ${e instanceof Error ? e.message : String(e)}` }
    }
    return recipeFrom(name, wav.recipe, { samples: wav.samples, sampleRate: wav.sampleRate })
  },
}
