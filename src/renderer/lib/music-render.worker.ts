/**
 * WAV export off the UI thread: common/music-render.ts (the CLI's renderer too) in a module worker.
 * In: { soundfont: ArrayBuffer, notes: MidiNote[], sampleRate }. Out: { progress } messages, then
 * { samples: Float32Array } (transferred) or { error }.
 */
import { renderNotes } from '../../common/music-render'
import type { MidiNote } from '../../common/midi'

self.onmessage = async (e: MessageEvent<{ soundfont: ArrayBuffer; notes: MidiNote[]; sampleRate: number }>) => {
  const { soundfont, notes, sampleRate } = e.data
  try {
    const samples = await renderNotes(soundfont, notes, { sampleRate, onProgress: (progress) => self.postMessage({ progress }) })
    self.postMessage({ samples }, { transfer: [samples.buffer] })
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.message : String(err) })
  }
}
