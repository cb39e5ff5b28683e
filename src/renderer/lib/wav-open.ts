/**
 * restoreFromWav in a module worker (wav-open.worker.ts), so the page keeps answering while a long WAV
 * decodes. The bytes are transferred, not copied (the caller must not use them after); the decision comes
 * back with the catalog's own ModelSummary object, not the worker's copy of it.
 */
import type { ModelSummary } from '../../common/contract'
import type { BareSound } from './audio-restore'
import type { FileRestore } from './recipe-restore'

type Opened = FileRestore<'audio'> | BareSound

export function restoreFromWavOffThread(name: string, bytes: Uint8Array, models: readonly ModelSummary[]): Promise<Opened> {
  const worker = new Worker(new URL('./wav-open.worker.ts', import.meta.url), { type: 'module' })
  return new Promise<Opened>((resolve) => {
    worker.onmessage = (e: MessageEvent<Opened>) => {
      const r = e.data
      resolve(r.ok && r.recipe ? { ...r, model: models.find((m) => m.id === r.model.id) ?? r.model } : r)
    }
    worker.onerror = (e) => resolve({ ok: false, error: `Could not open ${name}: ${e.message || 'the decoder failed'}` })
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    const own = whole ? bytes : bytes.slice() // transfer moves the whole buffer: never a caller's larger one
    worker.postMessage({ name, bytes: own, models: [...models] }, [own.buffer as ArrayBuffer])
  }).finally(() => worker.terminate())
}
