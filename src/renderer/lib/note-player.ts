/**
 * Plays notes while they stream (the on-screen keyboard): each chunk a voice receives — (n,) mono samples
 * in [-1, 1] at the model's rate — is scheduled on one AudioContext right after that voice's previous
 * chunk, so a note sounds as soon as its first chunk is there instead of after the whole note. A voice
 * that starts, or falls behind (generation slower than real time), starts again LEAD_S ahead of the
 * context's clock: a late chunk leaves a gap, never a jump back in time. Several voices (keys) mix.
 */

/** Scheduling lead (s): enough for the audio thread to pick a buffer up, small next to a key's latency. */
const LEAD_S = 0.03

export class NotePlayer {
  #ctx: AudioContext | null = null
  /** Per voice key: the context time its next chunk starts at. */
  #next = new Map<string, number>()
  /** Context time the last scheduled chunk ends. */
  #end = 0
  #sources = new Set<AudioBufferSourceNode>()
  readonly #onsounding: (sounding: boolean) => void

  /** `onsounding`: true when a chunk starts to sound with nothing else playing, false when all is played. */
  constructor(onsounding: (sounding: boolean) => void) {
    this.#onsounding = onsounding
  }

  /**
   * Make (or wake) the AudioContext. Call it in the click that plays the note: browsers start audio only
   * from a user gesture, and the chunks arrive later, outside it.
   */
  unlock(): void {
    this.#ctx ??= new AudioContext({ latencyHint: 'interactive' })
    if (this.#ctx.state === 'suspended') void this.#ctx.resume()
  }

  /** Schedule `samples` as the next chunk of `voice` (a key per job and voice, e.g. "12:3"). */
  play(voice: string, samples: Float32Array, sampleRate: number): void {
    const ctx = this.#ctx
    if (!ctx || !samples.length) return
    const buf = ctx.createBuffer(1, samples.length, sampleRate) // resampled to the device rate by Web Audio
    buf.copyToChannel(samples as Float32Array<ArrayBuffer>, 0)
    const src = ctx.createBufferSource()
    src.buffer = buf
    src.connect(ctx.destination)
    const at = Math.max(this.#next.get(voice) ?? 0, ctx.currentTime + LEAD_S)
    this.#next.set(voice, at + buf.duration)
    const wasQuiet = this.#sources.size === 0
    this.#sources.add(src)
    src.onended = () => {
      this.#sources.delete(src)
      if (this.#sources.size === 0) this.#onsounding(false)
    }
    src.start(at)
    this.#end = Math.max(this.#end, at + buf.duration)
    if (wasQuiet) this.#onsounding(true)
  }

  /** Seconds of scheduled sound still ahead of the context's clock (0 when quiet). */
  get ahead(): number {
    return this.#ctx ? Math.max(0, this.#end - this.#ctx.currentTime) : 0
  }

  /** Silence everything scheduled (Stop, or the pane going away). */
  stop(): void {
    for (const s of this.#sources) s.stop()
    this.#sources.clear()
    this.#next.clear()
    this.#onsounding(false)
  }
}
