/**
 * A char-lstm model summary for the renderer's unit tests, built through the real manifest schema like
 * test-models.ts (no ONNX file behind it: these tests never run the engine). Params as the shipped
 * lstm-austen's (prime ≤ 4000 chars, length, temperature, topK, topP, drafts 1..8, stop).
 */
import type { ModelSummary } from '../../common/contract'
import { parseManifest } from '../../common/manifest'
import { summaryOf } from './test-models'

export function lstmSummary(id = 'lstm-test', primeMax = 4000): ModelSummary {
  const state = (name: string) => ({ name, dtype: 'float32', shape: [2, 'batch', 16] })
  const r = parseManifest({
    schema: 1,
    id,
    family: 'char-lstm',
    title: `LSTM ${id}`,
    graphs: {
      step: {
        file: 'step.onnx',
        inputs: [{ name: 'token', dtype: 'int64', shape: ['batch'] }, state('h'), state('c')],
        outputs: [{ name: 'logits', dtype: 'float32', shape: ['batch', 4] }, state('h_out'), state('c_out')],
      },
    },
    vocab: ['\n', ' ', 'a', 'b'],
    params: [
      { key: 'prime', label: 'Prime', type: 'text', maxLength: primeMax, default: 'It is' },
      { key: 'length', label: 'Length', type: 'int', min: 1, max: 20000, default: 600 },
      { key: 'temperature', label: 'Temperature', type: 'float', min: 0.05, max: 2, step: 0.05, default: 0.8 },
      { key: 'topK', label: 'Top-k', type: 'int', min: 0, max: 100, default: 0 },
      { key: 'topP', label: 'Top-p', type: 'float', min: 0.05, max: 1, step: 0.05, default: 1 },
      { key: 'drafts', label: 'Drafts', type: 'int', min: 1, max: 8, default: 3 },
      { key: 'stop', label: 'Stop at', type: 'text', maxLength: 200, default: '' },
    ],
    license: 'MIT',
    data: { source: 'test', license: 'public domain' },
  })
  if (!r.ok) throw new Error(r.errors.join('; '))
  return summaryOf(id, { manifest: r.value })
}
