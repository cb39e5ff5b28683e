/**
 * What the wave pane and the drop handler do with files, over the studio's public API: export a voice
 * (or a region of it) as a WAV carrying the voice's recipe, and open such a WAV back — recipe into the
 * panel, sound into a finished job in history. Loaded on first use: it pulls in the WAV codec and zod.
 */
import { version as appVersion } from '../../../package.json'
import { encodeWav } from '../../common/wav'
import { audioFileName, checkWavSize, restoreFromWav } from '../lib/audio-restore'
import { AudioJob } from './AudioJob.svelte'
import type { Studio } from './Studio.svelte'

const message = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** Save voice `voice` of `job`, whole or the [start, end) seconds of `range`. */
export async function exportVoice(studio: Studio, job: AudioJob, voice: number, range: { start: number; end: number } | null): Promise<void> {
  try {
    const samples = job.slice(voice, range)
    if (samples.length === 0) return studio.toasts.error(range ? 'The selected region is empty' : 'Nothing to export yet')
    const recipe = job.recipeForVoice(voice, appVersion)
    const bytes = encodeWav(samples, job.sampleRate, JSON.stringify(recipe))
    const where = await studio.client.saveFile(audioFileName(job.model.id, recipe.seed, range), bytes, 'audio/wav')
    if (where) studio.toasts.info(studio.client.host === 'electron' ? `Saved ${where}` : `Downloaded ${where}`)
  } catch (e) {
    studio.toasts.error(`Export failed: ${message(e)}`)
  }
}

/** A WAV dropped or picked: restore its recipe and show its sound, or say clearly why not. */
export async function openWav(studio: Studio, file: File): Promise<void> {
  const tooBig = checkWavSize(file.name, file.size)
  if (tooBig) return studio.toasts.error(tooBig)
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await file.arrayBuffer())
  } catch (e) {
    return studio.toasts.error(`Could not read ${file.name}: ${message(e)}`)
  }
  const r = restoreFromWav(file.name, bytes, studio.catalog.models)
  if (!r.ok) return studio.toasts.error(r.error)
  if (!studio.restore(r.model.id, r.seed, r.params)) return
  const request = { modelId: r.model.id, seed: r.seed, params: r.params }
  studio.present(new AudioJob(request, r.model, { file: file.name, samples: r.samples, sampleRate: r.sampleRate, recipe: r.recipe }))
  studio.toasts.info(`Recipe restored from ${file.name}`)
  for (const n of r.notes) studio.toasts.info(n)
}
