/**
 * The music modality's actions: playback through the soundfont synth (renderer/lib/music-synth.ts: Play
 * from the start or the selection, Stop, the playhead; a new job plays while it is written, from its
 * first note), Continue (the piece on the stage becomes the panel's MIDI prime), regenerating a selected
 * range, export of the piece as MIDI or WAV (both with its recipe), and opening a MIDI file back (recipe
 * into the panel, notes onto the roll). The synth, the codecs and zod load on first use.
 */
import type { JobInput } from '../../common/contract'
import { recipeInputs } from '../../common/inputs'
import type { MidiNote } from '../../common/midi'
import type { MusicSynth } from '../lib/music-synth'
import type { Job } from './Job.svelte'
import type { ModalityActions } from './modality-actions'
import { MusicJob, type Splice } from './MusicJob.svelte'
import type { StudioServices } from './services'

/** The page event a new job's first scheduled note fires (detail: performance.now()); the bench and e2e listen. */
export const FIRST_NOTE_EVENT = 'latent-studio:music-first-note'

/** Notes that start before `atS`, cut to end there (the music before a range). */
export const notesBefore = (notes: readonly MidiNote[], atS: number) =>
  notes.filter((n) => n.startS < atS).map((n) => (n.startS + n.durS > atS ? { ...n, durS: atS - n.startS } : n))

export class MusicStudio implements ModalityActions {
  readonly #s: StudioServices
  #synth: Promise<MusicSynth> | null = null
  #playing = $state<MusicJob | null>(null)
  #playheadS = $state<number | null>(null)
  /** A new job plays while it is written (from its first note). */
  live = $state(true)

  constructor(services: StudioServices) {
    this.#s = services
  }

  /** The job playing now, or null. */
  get playing(): MusicJob | null { return this.#playing }
  get playheadS(): number | null { return this.#playheadS }

  /** Load the synth and soundfont ahead of the first Play (~0.3 s): the pane calls it when it shows. */
  warm(): Promise<MusicSynth> {
    this.#synth ??= import('../lib/music-synth').then((m) => m.MusicSynth.create())
    this.#synth.catch(() => (this.#synth = null))
    return this.#synth
  }

  /** Play `job`'s notes from `fromS` (call from a click: browsers start audio on a gesture). */
  async play(job: MusicJob, fromS = 0, onFirstNote?: () => void): Promise<void> {
    let synth: MusicSynth
    try {
      synth = await this.warm()
    } catch (e) {
      return this.#s.toasts.error(`Playback is not available: ${e instanceof Error ? e.message : String(e)}`)
    }
    this.#playing = job
    this.#playheadS = fromS
    await synth.play(() => job.notes, {
      fromS,
      live: () => job.active,
      onFirstNote,
      onTime: (s) => this.#playing === job && (this.#playheadS = s),
      onEnd: () => this.#ended(job),
    })
  }

  stop(): void {
    void this.#synth?.then((s) => s.stop())
    this.#ended(this.#playing)
  }

  #ended(job: MusicJob | null): void {
    if (this.#playing !== job) return
    this.#playing = null
    this.#playheadS = null
  }

  /** Continue: the piece on the stage becomes the panel's prime (Generate then writes on from its end). */
  async continueFrom(job: MusicJob): Promise<void> {
    const model = this.#s.catalog.selected
    if (!model?.inputs?.prime) return this.#s.toasts.error('Pick a music model that continues MIDI clips first')
    if (job.notes.length === 0) return this.#s.toasts.error('There are no notes to continue')
    const { encodeMidi } = await import('../../common/midi')
    const base = (job.file ?? `${job.model.id}-seed-${job.request.seed}`).replace(/\.midi?$/i, '')
    const file = new File([encodeMidi(job.notes, job.bpm, null) as Uint8Array<ArrayBuffer>], `${base}.mid`, { type: 'audio/midi' })
    // The prime keeps its tempo: the model hears it at tempo / referenceBpm of its speed, and the piece stays in time.
    const tempo = model.params.find((p) => p.key === 'tempo')
    if (tempo?.type === 'int') this.#s.form.set('tempo', Math.min(tempo.max, Math.max(tempo.min, Math.round(job.bpm))))
    await this.#s.inputs.pick(model, 'prime', file)
    await this.#s.generate()
  }

  /**
   * Write the [startS, endS) range of `job` anew: the model hears the notes before it (its prime) and
   * writes enough bars to fill it; what it writes is moved to start at the range and cut at its end,
   * and the notes after the range stay as they were (the model cannot hear them).
   */
  async regenerate(job: MusicJob, startS: number, endS: number): Promise<void> {
    const s = this.#s
    const model = s.catalog.find(job.model.id)
    const seed = s.form.seed
    if (!model || model.error || seed === null) return s.toasts.error(`Cannot regenerate — ${model ? (s.form.problem ?? model.error) : `${job.model.id} is not installed`}`)
    if (!(endS > startS)) return s.toasts.error('Select a time range on the ruler first')
    const ev = model.manifest?.events
    const barS = ((ev?.beatsPerBar ?? 4) * 60) / job.bpm
    const barsSpec = model.params.find((p) => p.key === 'bars')
    const maxBars = barsSpec?.type === 'int' ? barsSpec.max : 64
    const bars = Math.min(maxBars, Math.max(1, Math.ceil((endS - startS) / barS - 1e-9)))
    const before = notesBefore(job.notes, startS)
    const after = job.notes.filter((n) => n.startS >= endS)
    const params = { ...s.form.snapshot(), bars, ...('tempo' in job.request.params ? { tempo: job.request.params.tempo } : {}), ...('program' in job.request.params ? { program: job.request.params.program } : {}) }
    const inputs: Record<string, JobInput> = {}
    if (before.length) {
      const { encodeMidi } = await import('../../common/midi')
      inputs.prime = { kind: 'midi', bytes: encodeMidi(before, job.bpm, null), fileName: `before-${startS.toFixed(2)}s.mid` }
    }
    const splice: Splice = { before, after, startS, endS, primeEndS: 0 }
    const next = new MusicJob({ modelId: model.id, seed, params, ...(before.length ? { inputs } : {}) }, model, undefined, splice)
    if (before.length) {
      next.inputRecords = (await recipeInputs(inputs)) ?? null
    }
    s.enqueue(next)
  }

  /** Save the piece as a MIDI file (its recipe in a text event) or a WAV rendered by the same synth. */
  export(job: MusicJob, ext: 'mid' | 'wav'): Promise<void> {
    if (job.notes.length === 0) return Promise.resolve(this.#s.toasts.error('Nothing to export yet'))
    return this.#s.save(async () => {
      const { musicFileName } = await import('../lib/music-restore')
      const recipe = job.file && !job.recipe ? null : job.pieceRecipe(this.#s.appVersion)
      const name = recipe ? musicFileName(job.model.id, recipe.seed, ext) : job.file!.replace(/(\.midi?)?$/i, `-copy.${ext}`)
      const text = recipe ? JSON.stringify(recipe) : null
      if (ext === 'wav') {
        const { renderWav } = await import('../lib/music-synth')
        return { name, bytes: await renderWav(job.notes, text), mime: 'audio/wav' }
      }
      const { encodeMidi } = await import('../../common/midi')
      return { name, bytes: encodeMidi(job.notes, job.bpm, text), mime: 'audio/midi' }
    })
  }

  /** A MIDI file dropped or picked: recipe into the panel and notes onto the roll; one made elsewhere just opens. */
  openFile(file: File): Promise<void> {
    return this.#s.open(file, 'music', async (...a) => (await import('../lib/music-restore')).restoreFromMidi(...a), (r, model) => {
      const request = r.recipe ? { modelId: model.id, seed: r.seed, params: r.params } : { modelId: model.id, seed: 0, params: {} }
      return new MusicJob(request, model, { file: file.name, notes: r.piece, bpm: r.bpm, recipe: r.recipe })
    })
  }

  /** Esc stops the sound; while a job is being written it goes on to cancel it too (false: not handled alone). */
  escape(): boolean {
    if (!this.#playing) return false
    const writing = this.#playing.active
    this.stop()
    return !writing
  }

  /** A new job on the stage plays as it is written, from its first note, when `live` is on. */
  staged(job: Job | null): void {
    if (!(job instanceof MusicJob) || job.file !== null || job.state === 'done' || !this.live) return
    job.onFirstNote = (startS) => void this.play(job, startS, () => dispatchEvent(new CustomEvent(FIRST_NOTE_EVENT, { detail: performance.now() })))
  }
}
