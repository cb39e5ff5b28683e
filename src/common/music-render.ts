/**
 * Notes → audio, offline, through a SoundFont: spessasynth_core (Apache-2.0, plain JS with a Vorbis
 * decoder in WebAssembly for .sf3) runs the same in Node (CLI `--wav`) and in a browser worker (the
 * studio's WAV export), so both write the same samples. The studio's live playback is the same
 * synth in an AudioWorklet (renderer/lib/music-synth.ts).
 */
import { SoundBankLoader, SpessaSynthProcessor } from 'spessasynth_core'
import type { MidiNote } from './midi'

export const RENDER_SAMPLE_RATE = 44_100
/** The synth renders at most this many frames per call (its default quantum). */
const BLOCK = 128
/** Refuse pieces longer than this (a 16-bit mono WAV of it is ~53 MB, under wav.ts's 64 MB). */
export const MAX_RENDER_S = 600
const DRUMS = 9

export interface RenderOptions {
  sampleRate?: number
  /** Seconds rendered after the last note ends, for its release and the reverb (default 1.5). */
  tailS?: number
  /** Scale to this peak (default 0.89 ≈ −1 dBFS; null keeps the synth's own level). */
  peak?: number | null
  /** Called every ~second of audio with the fraction done (0..1). */
  onProgress?: (fraction: number) => void
}

/** The MIDI channel of the i-th program in use (0..14): channel 10 (index 9) is the drums', skipped. */
export const channelForIndex = (i: number) => (i < DRUMS ? i : i + 1)

/** General MIDI program → MIDI channel, in order of first use. */
export function channelsFor(notes: readonly MidiNote[]): Map<number, number> {
  const programs = [...new Set(notes.map((n) => n.program))]
  if (programs.length > 15) throw new Error(`${programs.length} programs; the synth plays at most 15 at once`)
  return new Map(programs.map((p, i) => [p, channelForIndex(i)]))
}

/**
 * Mono float samples in [-1, 1] at `sampleRate` (default 44.1 kHz) of the notes played by the
 * soundfont (.sf2 or .sf3 bytes). Every event lands on its exact sample (blocks are split there).
 */
export async function renderNotes(soundfont: ArrayBuffer, notes: readonly MidiNote[], opts: RenderOptions = {}): Promise<Float32Array> {
  const sr = opts.sampleRate ?? RENDER_SAMPLE_RATE
  const endS = notes.reduce((m, n) => Math.max(m, n.startS + n.durS), 0)
  if (endS > MAX_RENDER_S) throw new Error(`the piece lasts ${Math.round(endS)} s; at most ${MAX_RENDER_S} s are rendered to WAV`)
  const synth = new SpessaSynthProcessor(sr, { maxBufferSize: BLOCK, effectsEnabled: true, eventsEnabled: false })
  await synth.processorInitialized
  synth.soundBankManager.addSoundBank(SoundBankLoader.fromArrayBuffer(soundfont), 'main')
  const channels = channelsFor(notes)
  for (const [program, ch] of channels) synth.programChange(ch, program)
  // [frame, 0 = off before 1 = on, channel, pitch, velocity]: a re-struck pitch is released first
  const events: [number, number, number, number, number][] = []
  for (const n of notes) {
    const ch = channels.get(n.program)!
    const on = Math.round(n.startS * sr)
    events.push([on, 1, ch, n.pitch, n.velocity], [Math.max(on + 1, Math.round((n.startS + n.durS) * sr)), 0, ch, n.pitch, 0])
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const total = Math.ceil((endS + (opts.tailS ?? 1.5)) * sr)
  const left = new Float32Array(total)
  const right = new Float32Array(total)
  let frame = 0
  let e = 0
  let reported = 0
  while (frame < total) {
    for (; e < events.length && events[e][0] <= frame; e++) {
      const [, on, ch, pitch, velocity] = events[e]
      if (on) synth.noteOn(ch, pitch, velocity)
      else synth.noteOff(ch, pitch)
    }
    const next = e < events.length ? events[e][0] : total
    const count = Math.min(BLOCK, next - frame, total - frame)
    synth.process(left, right, frame, count)
    frame += count
    if (opts.onProgress && frame - reported >= sr) opts.onProgress((reported = frame) / total)
  }
  synth.destroySynthProcessor()
  const mono = new Float32Array(total) // (total,) the mean of the two channels
  let max = 0
  for (let i = 0; i < total; i++) max = Math.max(max, Math.abs((mono[i] = (left[i] + right[i]) / 2)))
  const peak = opts.peak === undefined ? 0.89 : opts.peak
  if (peak !== null && max > 0) for (let i = 0; i < total; i++) mono[i] *= peak / max
  return mono
}
