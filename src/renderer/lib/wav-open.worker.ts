/**
 * Opening a WAV off the UI thread (issue 17 item 8): a 60 MB file is 30 M samples to convert and a
 * recipe to check, seconds of work that would freeze the page. In: { name, bytes (transferred), models }.
 * Out: restoreFromWav's decision, its (n,) Float32Array samples transferred back.
 */
import type { ModelSummary } from '../../common/contract'
import { restoreFromWav } from './audio-restore'

self.onmessage = (e: MessageEvent<{ name: string; bytes: Uint8Array; models: ModelSummary[] }>) => {
  const { name, bytes, models } = e.data
  try {
    const r = restoreFromWav(name, bytes, models)
    self.postMessage(r, { transfer: r.ok ? [r.samples.buffer] : [] })
  } catch (err) {
    self.postMessage({ ok: false, error: `Could not open ${name}: ${err instanceof Error ? err.message : String(err)}` })
  }
}
