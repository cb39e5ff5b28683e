/**
 * A music-lstm model summary for the renderer's unit tests: the manifest export_music.py writes (events
 * layout, params temperature / bars / tempo / program) through the real schema, with the prime input
 * the engine's runner declares. The shape the UI gets; no weights.
 */
import { parseManifest } from '../../common/manifest'
import { summaryOf } from './test-models'

export function musicSummary(id = 'music-test') {
  const t = (name: string, dtype: string, shape: (number | string)[]) => ({ name, dtype, shape })
  const r = parseManifest({
    schema: 1, id, family: 'music-lstm', title: `Music ${id}`,
    graphs: {
      step: {
        file: 'step.onnx',
        inputs: [t('token', 'int64', ['batch']), t('h', 'float32', [2, 'batch', 512]), t('c', 'float32', [2, 'batch', 512])],
        outputs: [t('logits', 'float32', ['batch', 389]), t('h_out', 'float32', [2, 'batch', 512]), t('c_out', 'float32', [2, 'batch', 512])],
      },
      generate: {
        file: 'generate.onnx',
        inputs: [t('token', 'int64', ['batch']), t('h', 'float32', [2, 'batch', 512]), t('c', 'float32', [2, 'batch', 512]), t('temperature', 'float64', ['batch']), t('uniforms', 'float64', ['batch', 'events'])],
        outputs: [t('tokens', 'int64', ['batch', 'events']), t('h_out', 'float32', [2, 'batch', 512]), t('c_out', 'float32', [2, 'batch', 512])],
      },
    },
    events: {
      size: 389, noteOn: { first: 0, count: 128 }, noteOff: { first: 128, count: 128 }, timeShift: { first: 256, count: 100, stepMs: 10 },
      velocity: { first: 356, count: 32 }, start: 388, referenceBpm: 120, beatsPerBar: 4, maxNoteMs: 8000,
    },
    params: [
      { key: 'temperature', label: 'Temperature', type: 'float', min: 0.05, max: 2, step: 0.05, default: 1 },
      { key: 'bars', label: 'Bars', type: 'int', min: 1, max: 64, default: 8 },
      { key: 'tempo', label: 'Tempo (bpm)', type: 'int', min: 40, max: 240, default: 120 },
      { key: 'program', label: 'Instrument (GM program)', type: 'int', min: 0, max: 127, default: 0 },
    ],
    license: 'MIT', data: { source: 'test', license: 'BSD-3-Clause' },
  })
  if (!r.ok) throw new Error(r.errors.join('; '))
  return { ...summaryOf(id, { manifest: r.value }), inputs: { prime: { kind: 'midi' as const, optional: true } } }
}
