/**
 * The audio modality's actions: export a voice (or a region of it) as a WAV carrying the voice's recipe,
 * and open such a WAV back — recipe into the panel, sound into a finished job in history. The WAV codec
 * and zod load on first use.
 */
import { AudioJob } from './AudioJob.svelte'
import { KeyNotes } from './KeyNotes.svelte'
import type { ModalityActions } from './modality-actions'
import type { StudioServices } from './services'

export class AudioStudio implements ModalityActions {
  readonly #s: StudioServices
  /** The keyboard's "Generate on key": notes that play while they stream, quick keys in one batch. */
  readonly keys: KeyNotes

  constructor(services: StudioServices) {
    this.#s = services
    this.keys = new KeyNotes(services)
  }

  /**
   * Save voice `voice` of `job`, whole or the [start, end) seconds of `range`; 'mix': a chord's voices
   * together (AudioJob.mix) with the job's own recipe, which makes the whole chord again.
   */
  exportVoice(job: AudioJob, voice: number | 'mix', range: { start: number; end: number } | null): Promise<void> {
    const samples = voice === 'mix' ? job.mix(range) : job.slice(voice, range)
    if (samples.length === 0) return Promise.resolve(this.#s.toasts.error(range ? 'The selected region is empty' : 'Nothing to export yet'))
    return this.#s.save(async () => {
      const [{ CODECS }, { audioFileName }] = await Promise.all([import('../../common/codecs'), import('../lib/audio-restore')])
      if (job.file && !job.recipe) {
        // Made elsewhere: the region (or the sound) as it is, with no recipe to write into it.
        const { encodeWav } = await import('../../common/wav')
        return { name: job.file.replace(/(\.wav)?$/i, range ? `-${range.start.toFixed(2)}-${range.end.toFixed(2)}s.wav` : '-copy.wav'), bytes: encodeWav(samples, job.sampleRate, null), mime: 'audio/wav' }
      }
      const recipe = voice === 'mix' ? job.jobRecipe(this.#s.appVersion) : job.recipeForVoice(voice, this.#s.appVersion)
      const bytes = await CODECS.audio.encode({ samples, sampleRate: job.sampleRate }, recipe, {})
      return { name: audioFileName(job.model.id, recipe.seed, range), bytes, mime: 'audio/wav' }
    })
  }

  /**
   * A WAV dropped or picked: restore its recipe and show its sound, or say clearly why not. A WAV made
   * elsewhere (no recipe) still opens and plays, under an audio model, with a note that it has none.
   */
  openFile(file: File): Promise<void> {
    // Decoded in a worker: a long WAV is seconds of work the page must not freeze for (issue 17 item 8).
    return this.#s.open(file, 'audio', async (...a) => (await import('../lib/wav-open')).restoreFromWavOffThread(...a), (r, model) => {
      const request = r.recipe ? { modelId: model.id, seed: r.seed, params: r.params } : { modelId: model.id, seed: 0, params: {} }
      return new AudioJob(request, model, { file: file.name, samples: r.samples, sampleRate: r.sampleRate, recipe: r.recipe, blob: file })
    })
  }

  escape(): boolean {
    return false
  }

  staged(): void {}
}
