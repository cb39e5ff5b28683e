/**
 * Dropped WAV → recipe + sound → what the studio should show. Pure (bytes in, decision out) so every
 * refusal a user can meet is unit-tested: not a WAV, bad recipe, model missing, a model that does not
 * make sound. A WAV without a recipe (made elsewhere) is no refusal: its sound comes back alone, with a
 * note. Loaded on first drop (it pulls in zod through the codecs).
 */
import { recipeFrom } from '../../common/codecs/read'
import type { ModelSummary } from '../../common/contract'
import { modalityOf } from '../../common/modality'
import { decodeWav, type WavData } from '../../common/wav'
import { resolveDecoded, type FileRestore } from './recipe-restore'

/** A WAV made elsewhere: no recipe to restore, but a sound to show and play; `notes` say so. */
export interface BareSound {
  ok: true
  recipe: null
  /** (n,) mono PCM in [-1, 1] (the mean of the file's channels). */
  samples: Float32Array
  sampleRate: number
  notes: string[]
}

/** The file decoded once (a long WAV is seconds of work): its recipe restored, or its sound alone. */
export function restoreFromWav(name: string, bytes: Uint8Array, models: readonly ModelSummary[]): FileRestore<'audio'> | BareSound {
  let wav: WavData
  try {
    wav = decodeWav(bytes)
  } catch (e) {
    return { ok: false, error: `${name} is not a usable WAV: ${e instanceof Error ? e.message : String(e)}` }
  }
  const { samples, sampleRate } = wav
  if (wav.recipe === null) {
    return { ok: true, recipe: null, samples, sampleRate, notes: [`${name} has no Latent Studio recipe: it plays, but the model, seed and settings that made it are not known`] }
  }
  const r = resolveDecoded<'audio'>(name, recipeFrom(name, wav.recipe, { samples, sampleRate }), models)
  if (!r.ok) return r
  const audio = r.model.manifest?.audio
  if (modalityOf(r.model.family) !== 'audio' || !audio) return { ok: false, error: `Cannot restore ${name}: its recipe is for ${r.model.title}, which does not make sound` }
  if (audio.sampleRate !== r.sampleRate) {
    r.notes.push(`${name} is at ${r.sampleRate} Hz; ${r.model.title} makes ${audio.sampleRate} Hz`)
  }
  return r
}

/** e.g. `wavenet-notes-seed-5.wav`, or `wavenet-notes-seed-5-0.25-0.75s.wav` for a region. */
export function audioFileName(modelId: string, seed: number, range?: { start: number; end: number } | null): string {
  return range ? `${modelId}-seed-${seed}-${range.start.toFixed(2)}-${range.end.toFixed(2)}s.wav` : `${modelId}-seed-${seed}.wav`
}
