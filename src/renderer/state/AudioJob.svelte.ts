/**
 * An audio job as the wave pane follows it: one Float32Array per voice, sized for the whole note and
 * filled chunk by chunk as `audio` parts stream in, plus a reactive count of samples per voice that the
 * lanes redraw from (they throttle their drawing; this copies each chunk once and does not).
 *
 * A WAV opened from disk is an AudioJob too: finished, one voice, no engine id.
 *
 * A chord job (param `chord`, common/chord.ts) has one voice per note: voice i's own params are its note
 * (pitch, no chord), so its lane names it and its recipe makes it alone; `mix()` sums the voices.
 */
import type { JobPart, JobRequest, ModelSummary, ParamValues } from '../../common/contract'
import { parseChord } from '../../common/chord'
import { audioItemRecipe } from '../../common/items'
import type { Recipe } from '../../common/recipe'
import { Job, type Progress } from './Job.svelte'

export interface OpenedSound {
  file: string
  samples: Float32Array
  sampleRate: number
  /** null: a WAV made elsewhere, which plays but has no model, seed or settings to restore. */
  recipe: Recipe | null
  /** The file itself: the lane plays it as it is rather than encoding the samples again. */
  blob?: Blob
}

export class AudioJob extends Job<'audio'> {
  readonly modality = 'audio'
  /** An opened WAV's own bytes (OpenedSound.blob), else null. */
  readonly source: Blob | null
  /** Voices the job asked for (lanes are shown for them before their first chunk), then notes fed to it. */
  #count = $state(1)
  /** Per voice fed while the job runs (`job/feed`): the params it set itself (a keyboard note's pitch). */
  #own = $state.raw<(ParamValues | undefined)[]>([])
  #listener: ((voice: number, samples: Float32Array, sampleRate: number) => void) | null = null

  #sampleRate = $state(0)
  /** Per voice: (total,) mono PCM in [-1, 1]; samples past `filled[v]` are still silence. */
  #voices = $state.raw<Float32Array[]>([])
  #filled = $state.raw<number[]>([])
  #samples = $state(0)

  constructor(request: JobRequest, model: ModelSummary, opened?: OpenedSound) {
    super(request, model)
    const voices = Number(request.params.voices)
    this.#count = opened ? 1 : Number.isInteger(voices) && voices > 0 ? voices : 1
    const chord = opened ? [] : chordOf(request.params, model)
    if (chord.length) {
      this.#count = chord.length
      this.#own = chord.map((pitch) => ({ pitch, chord: '' }))
    }
    this.source = opened?.blob ?? null
    const rate = model.manifest?.audio?.sampleRate ?? 0
    this.#samples = Math.max(0, Math.round(Number(request.params.seconds) * rate)) || 0
    this.#sampleRate = rate
    if (opened) {
      this.#sampleRate = opened.sampleRate
      this.#voices = [opened.samples]
      this.#filled = [opened.samples.length]
      this.#samples = opened.samples.length
      this.opened(opened.file, opened.recipe)
    }
  }

  get voiceCount(): number { return this.#count }
  get sampleRate(): number { return this.#sampleRate }
  get voices(): readonly Float32Array[] { return this.#voices }
  /** Samples received per voice. */
  get filled(): readonly number[] { return this.#filled }
  /** Samples each voice will have when the job is done. */
  get totalSamples(): number { return this.#samples }

  /** Seconds of the slowest voice, out of the note's length (what the status bar and the pane count). */
  get progressShown(): Progress {
    const done = Array.from({ length: this.voiceCount }, (_, v) => this.#filled[v] ?? 0)
    const s = (n: number) => (this.#sampleRate ? n / this.#sampleRate : 0)
    return { done: s(Math.min(...done)), total: s(this.#samples), unit: 'seconds' }
  }

  /** Samples × voices (voices of one job are one batch). */
  override get work(): number {
    return this.#samples * this.voiceCount
  }

  /** Voice `index` joined the running job with params of its own (the engine's answer to `job/feed`). */
  addVoice(index: number, params: ParamValues): void {
    const own = [...this.#own]
    own[index] = params
    this.#own = own
    this.#count = Math.max(this.#count, index + 1)
  }

  /** The params voice `v` is made with: the job's, and what a fed voice set itself. */
  paramsOf(v: number): ParamValues {
    return { ...this.request.params, ...this.#own[v] }
  }

  /** Hear each chunk as it arrives, (n,) samples of voice `voice` (a keyboard note plays while it streams). */
  listen(fn: (voice: number, samples: Float32Array, sampleRate: number) => void): void {
    this.#listener = fn
  }

  receive(p: JobPart): void {
    if (p.kind !== 'audio') return
    this.#count = Math.max(this.#count, p.voice + 1) // a fed voice's chunk may come before the feed's answer
    const voices = [...this.#voices]
    const filled = [...this.#filled]
    let buf = voices[p.voice]
    if (!buf) {
      buf = voices[p.voice] = new Float32Array(p.total)
      filled[p.voice] = 0
      this.#sampleRate = p.sampleRate
      this.#samples = p.total
    }
    // Parts arrive in order and contiguous; anything else would draw garbage, so it is dropped loudly.
    if (p.offset !== filled[p.voice] || p.offset + p.samples.length > buf.length) {
      throw new Error(`voice ${p.voice}: chunk at ${p.offset} (+${p.samples.length}) does not follow sample ${filled[p.voice]} of ${buf.length}`)
    }
    buf.set(p.samples, p.offset)
    filled[p.voice] = p.offset + p.samples.length
    for (let v = 0; v < voices.length; v++) filled[v] ??= 0
    this.#voices = voices
    this.#filled = filled
    this.#listener?.(p.voice, p.samples, p.sampleRate)
  }

  /** Chunks are applied as they come (the lanes throttle their own drawing). */
  flush(): void {}

  /** Voice `v` as far as it arrived, optionally only the [start, end) seconds of it. */
  slice(v: number, range?: { start: number; end: number } | null): Float32Array {
    const n = this.#filled[v] ?? 0
    const buf = this.#voices[v]
    if (!buf) return new Float32Array()
    if (!range) return buf.subarray(0, n)
    const at = (s: number) => Math.max(0, Math.min(n, Math.round(s * this.#sampleRate)))
    return buf.subarray(at(range.start), at(range.end))
  }

  /** Whether the job is a chord: its voices sound together, and the pane shows and exports their mix. */
  get isChord(): boolean {
    return !this.file && chordOf(this.request.params, this.model).length > 1
  }

  /**
   * The voices summed over what every voice has so far (optionally the [start, end) seconds of it); scaled
   * down only if the sum would clip (peak above 0.99), so a chord is as loud as its notes together.
   */
  mix(range?: { start: number; end: number } | null): Float32Array {
    const parts = Array.from({ length: this.voiceCount }, (_, v) => this.slice(v, range))
    const n = Math.min(...parts.map((p) => p.length))
    const out = new Float32Array(n > 0 ? n : 0)
    for (const p of parts) for (let i = 0; i < out.length; i++) out[i] += p[i]
    let peak = 0
    for (const x of out) peak = Math.max(peak, Math.abs(x))
    if (peak > 0.99) for (let i = 0; i < out.length; i++) out[i] *= 0.99 / peak
    return out
  }

  /** The recipe that makes voice `v` again alone (the engine's recipe when the job finished). */
  recipeForVoice(v: number, appVersion: string): Recipe {
    if (this.file) {
      // An opened file already carries its voice's own recipe; one made elsewhere has none to give.
      if (!this.recipe) throw new Error(`${this.file} has no Latent Studio recipe`)
      return this.recipe
    }
    const own = this.#own[v]
    return audioItemRecipe(this.jobRecipe(appVersion), own ? { index: v, params: own } : { index: v })
  }
}

/** A chord job's notes ([] when it has none or the text is not a chord: the engine reports that error). */
function chordOf(params: ParamValues, model: ModelSummary): number[] {
  const a = model.manifest?.audio
  if (!a || typeof params.chord !== 'string' || !params.chord.trim()) return []
  try {
    return parseChord(params.chord, a.pitchMin, a.pitchMax)
  } catch {
    return []
  }
}
