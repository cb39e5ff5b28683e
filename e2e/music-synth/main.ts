/**
 * A page for e2e/music-synth.spec.ts: the studio's synth module alone (until a music pane exists), driven
 * from the spec through window.synthCheck. Times are the playhead's, not the wall clock's (a busy machine
 * delays the page, not the audio clock).
 */
import type { MidiNote } from '../../src/common/midi'
import { decodeWav } from '../../src/common/wav'
import { MusicSynth, renderWav } from '../../src/renderer/lib/music-synth'

const note = (pitch: number, startS: number, durS: number, program = 0): MidiNote => ({ pitch, velocity: 100, startS, durS, program })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function synthCheck() {
  const synth = await MusicSynth.create()
  // Two short notes, then a gap; a flute note is added at 0.3 s of playback, as a streamed note would be.
  const notes = [note(60, 0, 0.15), note(64, 0.15, 0.15)]
  const levels: [number, number][] = [] // (playhead s, peak)
  let ended = false
  await synth.play(() => notes, { onEnd: () => (ended = true), live: () => notes.length < 3 })
  while (!ended && synth.timeS < 5) {
    await sleep(20)
    if (notes.length < 3 && synth.timeS > 0.3) notes.push(note(79, 1.5, 0.4, 73))
    levels.push([synth.timeS, synth.peak()])
  }
  const peakIn = (a: number, b: number) => Math.max(0, ...levels.filter(([t]) => t >= a && t <= b).map(([, p]) => p))
  const played = { ended, first: peakIn(0, 0.3), gap: peakIn(1.15, 1.45), streamed: peakIn(1.6, 1.9) }
  await synth.play(() => [note(48, 0, 5, 20)])
  while (synth.timeS < 0.5) await sleep(20)
  const beforeStop = synth.peak()
  synth.stop()
  await sleep(150)
  const stopped = { beforeStop, afterStop: synth.peak(), playing: synth.playing }
  const wav = decodeWav(await renderWav([note(69, 0, 1, 73)], '{"modelId":"m"}'))
  await synth.close()
  const rendered = { sampleRate: wav.sampleRate, seconds: wav.samples.length / wav.sampleRate, recipe: wav.recipe, peak: Math.max(...wav.samples.subarray(0, 44100).map(Math.abs)) }
  return { played, stopped, rendered }
}

Object.assign(window, { synthCheck })
