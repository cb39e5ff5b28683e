/**
 * Playback and WAV export of notes through the shipped soundfont (assets/soundfonts/latent-gm-small.sf3).
 * Live playback: spessasynth_lib's synth in an AudioWorklet; notes are scheduled a short lookahead ahead
 * on the audio clock (sample-accurate, and a busy UI thread only delays scheduling, not timing), read
 * anew every tick, so notes streaming in while playing are heard. WAV export: common/music-render.ts in
 * a worker (the same samples the CLI writes). The sf3's Vorbis decoder is WebAssembly: the studio's CSP
 * allows 'wasm-unsafe-eval' for it (compiling WebAssembly, not eval of JavaScript).
 */
import { WorkletSynthesizer } from 'spessasynth_lib'
import processorUrl from 'spessasynth_lib/dist/spessasynth_processor.min.js?url'
import soundfontUrl from '../../../assets/soundfonts/latent-gm-small.sf3?url'
import type { MidiNote } from '../../common/midi'
import { channelForIndex, RENDER_SAMPLE_RATE } from '../../common/music-render'
import { encodeWav } from '../../common/wav'

/** Notes are handed to the audio thread this far ahead of the playhead. */
const LOOKAHEAD_S = 0.15
const TICK_MS = 40
/** From Play to the first sound: time for the first events to reach the worklet. */
const START_DELAY_S = 0.05

let soundfont: Promise<ArrayBuffer> | null = null

/** The soundfont's bytes, fetched once per page. Hand copies to synths and workers: they take (detach) theirs. */
export function loadSoundfont(): Promise<ArrayBuffer> {
  soundfont ??= fetch(soundfontUrl).then((r) => {
    if (!r.ok) throw new Error(`the soundfont could not be loaded (${r.status})`)
    return r.arrayBuffer()
  })
  return soundfont
}

export interface PlayOptions {
  /** Piece time (s) to start from. */
  fromS?: number
  /** The playhead in piece seconds, every animation frame while playing. */
  onTime?: (s: number) => void
  /** Playback reached the end (not called on stop()). */
  onEnd?: () => void
  /** While true, playback waits at the end for more notes (a job still writing). */
  live?: () => boolean
  /** The first note of this playback was handed to the synth (its start is scheduled on the audio clock). */
  onFirstNote?: () => void
}

export class MusicSynth {
  #ctx: AudioContext
  #synth: WorkletSynthesizer
  #out: GainNode
  #meter: AnalyserNode
  #timer: ReturnType<typeof setInterval> | null = null
  #frame = 0
  /** Events already queued in the worklet may sound until then: the output stays muted. */
  #quietUntil = 0
  /** Resolves once a stop has cut what the worklet still had queued. */
  #cut: Promise<void> = Promise.resolve()
  #t0 = 0

  private constructor(ctx: AudioContext, synth: WorkletSynthesizer, out: GainNode) {
    this.#ctx = ctx
    this.#synth = synth
    this.#out = out
    this.#meter = ctx.createAnalyser()
    this.#meter.fftSize = 2048
    out.connect(this.#meter)
  }

  /** An audio context with the synth and the soundfont loaded (~0.3 s the first time). */
  static async create(): Promise<MusicSynth> {
    const ctx = new AudioContext({ latencyHint: 'interactive' })
    await ctx.audioWorklet.addModule(processorUrl)
    const synth = new WorkletSynthesizer(ctx)
    // A soundfont the worklet cannot read (or a CSP without 'wasm-unsafe-eval') never answers: time out
    const loaded = synth.soundBankManager.addSoundBank((await loadSoundfont()).slice(0), 'main') // a copy: it is transferred
    const late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the synth did not load the soundfont within 20 s')), 20_000))
    await Promise.race([loaded.then(() => synth.isReady), late])
    const out = ctx.createGain()
    synth.connect(out)
    out.connect(ctx.destination)
    return new MusicSynth(ctx, synth, out)
  }

  /** Peak level of the last ~46 ms of output (0..1): a meter, and how e2e hears that Play sounds. */
  peak(): number {
    const buf = new Float32Array(this.#meter.fftSize)
    this.#meter.getFloatTimeDomainData(buf)
    return buf.reduce((m, x) => Math.max(m, Math.abs(x)), 0)
  }

  get playing(): boolean {
    return this.#timer !== null
  }

  /** The playhead (piece seconds) of the current playback. */
  get timeS(): number {
    return this.#ctx.currentTime - this.#t0
  }

  /** Play `notes()` (read again every tick, so it may grow) from `fromS`. Call from a user gesture. */
  async play(notes: () => readonly MidiNote[], opts: PlayOptions = {}): Promise<void> {
    this.stop()
    await this.#cut
    await this.#ctx.resume()
    const ctx = this.#ctx
    const start = Math.max(ctx.currentTime + START_DELAY_S, this.#quietUntil)
    this.#t0 = start - (opts.fromS ?? 0)
    const channels = new Map<number, number>()
    const started = new Set<MidiNote>()
    let offs: { at: number; ch: number; pitch: number }[] = [] // note-offs not yet handed over
    const tick = () => {
      const now = ctx.currentTime - this.#t0
      const until = now + LOOKAHEAD_S
      const list = notes()
      let endS = 0
      for (const n of list) {
        endS = Math.max(endS, n.startS + n.durS)
        if (started.has(n) || n.startS >= until || n.startS + n.durS <= now) continue
        started.add(n)
        if (!channels.has(n.program)) {
          if (channels.size === 15) continue // no channel left (the studio writes one program)
          channels.set(n.program, channelForIndex(channels.size))
          this.#synth.programChange(channels.get(n.program)!, n.program)
        }
        const ch = channels.get(n.program)!
        this.#synth.noteOn(ch, n.pitch, n.velocity, { time: this.#t0 + Math.max(n.startS, now) })
        if (started.size === 1) opts.onFirstNote?.()
        offs.push({ at: n.startS + n.durS, ch, pitch: n.pitch })
      }
      // Offs go over only inside the lookahead: a stale one must not cut a note of a later playback.
      for (const o of offs) if (o.at < until) this.#synth.noteOff(o.ch, o.pitch, { time: this.#t0 + o.at })
      offs = offs.filter((o) => o.at >= until)
      if (!opts.live?.() && now > endS + 0.1 && offs.length === 0) {
        this.stop()
        opts.onEnd?.()
      }
    }
    const frame = () => {
      opts.onTime?.(Math.max(opts.fromS ?? 0, this.timeS))
      this.#frame = requestAnimationFrame(frame)
    }
    this.#out.gain.cancelScheduledValues(start)
    this.#out.gain.setValueAtTime(1, start)
    tick()
    this.#timer = setInterval(tick, TICK_MS)
    frame()
  }

  /** Silence now; what the worklet had queued is muted until it has passed, then cut. */
  stop(): void {
    if (this.#timer === null) return
    clearInterval(this.#timer)
    cancelAnimationFrame(this.#frame)
    this.#timer = null
    const now = this.#ctx.currentTime
    this.#out.gain.cancelScheduledValues(now)
    this.#out.gain.setTargetAtTime(0, now, 0.005)
    this.#synth.stopAll(true)
    this.#quietUntil = now + LOOKAHEAD_S + 0.05
    this.#cut = new Promise((resolve) => setTimeout(() => resolve(this.#synth.stopAll(true)), (LOOKAHEAD_S + 0.02) * 1000))
  }

  async close(): Promise<void> {
    this.stop()
    await this.#ctx.close()
  }
}

/**
 * The notes as a 16-bit mono WAV at 44.1 kHz with `recipe` (JSON text or null) in its ICMT comment,
 * rendered in a worker (a minute of music takes seconds). `onProgress` gets the fraction done.
 */
export async function renderWav(notes: readonly MidiNote[], recipe: string | null, onProgress?: (f: number) => void): Promise<Uint8Array> {
  const bytes = (await loadSoundfont()).slice(0) // the worker gets its own copy
  const worker = new Worker(new URL('./music-render.worker.ts', import.meta.url), { type: 'module' })
  try {
    const samples = await new Promise<Float32Array>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<{ progress?: number; samples?: Float32Array; error?: string }>) => {
        if (e.data.progress !== undefined) onProgress?.(e.data.progress)
        else if (e.data.samples) resolve(e.data.samples)
        else reject(new Error(e.data.error))
      }
      worker.onerror = (e) => reject(new Error(`the WAV renderer failed: ${e.message}`))
      worker.postMessage({ soundfont: bytes, notes: [...notes], sampleRate: RENDER_SAMPLE_RATE }, [bytes])
    })
    return encodeWav(samples, RENDER_SAMPLE_RATE, recipe)
  } finally {
    worker.terminate()
  }
}
