/**
 * Dropped WAV → recipe + sound → what the studio should show. Pure (bytes in, decision out) so every
 * refusal a user can meet is unit-tested: not a WAV, no recipe, bad recipe, model missing, a model that
 * does not make sound. Loaded on first drop (it pulls in zod through the codecs).
 */
import type { ModelSummary } from '../../common/contract'
import { modalityOf } from '../../common/modality'
import { restoreFile, type FileRestore } from './recipe-restore'

export function restoreFromWav(name: string, bytes: Uint8Array, models: readonly ModelSummary[]): FileRestore<'audio'> {
  const r = restoreFile('audio', name, bytes, models)
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
