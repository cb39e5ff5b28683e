/**
 * Dropped WAV → recipe + sound → what the studio should show. Pure (bytes in, decision out) so every
 * refusal a user can meet is unit-tested: too big, not a WAV, no recipe, bad recipe, model missing,
 * a model that does not make sound. Loaded on first drop (it pulls in zod through recipe.ts).
 */
import type { ModelSummary } from '../../common/contract'
import { parseRecipe } from '../../common/recipe'
import { decodeWav, MAX_WAV_BYTES } from '../../common/wav'
import { resolveRecipe, type Restore } from './recipe-restore'

export type WavRestore = (Extract<Restore, { ok: true }> & { samples: Float32Array; sampleRate: number }) | { ok: false; error: string }

/** An error message when the file is too large to read, else null. */
export function checkWavSize(name: string, size: number): string | null {
  return size <= MAX_WAV_BYTES ? null : `${name} is ${(size / 1048576).toFixed(0)} MB; only WAVs up to ${MAX_WAV_BYTES / 1048576} MB are opened`
}

export function restoreFromWav(name: string, bytes: Uint8Array, models: readonly ModelSummary[]): WavRestore {
  let wav
  try {
    wav = decodeWav(bytes)
  } catch (e) {
    return { ok: false, error: `${name} is not a usable WAV: ${e instanceof Error ? e.message : String(e)}` }
  }
  if (wav.recipe === null) return { ok: false, error: `${name} has no Latent Studio recipe` }
  const parsed = parseRecipe(wav.recipe)
  if (!parsed.ok) return { ok: false, error: `${name} has a damaged recipe: ${parsed.error}` }
  const r = resolveRecipe(parsed.value, models)
  if (!r.ok) return { ok: false, error: `Cannot restore ${name}: ${r.error}` }
  const audio = r.model.manifest?.audio
  if (r.model.family !== 'wavenet' || !audio) return { ok: false, error: `Cannot restore ${name}: its recipe is for ${r.model.title}, which does not make sound` }
  if (audio.sampleRate !== wav.sampleRate) {
    r.notes.push(`${name} is at ${wav.sampleRate} Hz; ${r.model.title} makes ${audio.sampleRate} Hz`)
  }
  return { ...r, samples: wav.samples, sampleRate: wav.sampleRate }
}

/** e.g. `wavenet-notes-seed-5.wav`, or `wavenet-notes-seed-5-0.25-0.75s.wav` for a region. */
export function audioFileName(modelId: string, seed: number, range?: { start: number; end: number } | null): string {
  return range ? `${modelId}-seed-${seed}-${range.start.toFixed(2)}-${range.end.toFixed(2)}s.wav` : `${modelId}-seed-${seed}.wav`
}
