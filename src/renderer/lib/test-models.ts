/**
 * Model summaries for the renderer's unit tests, built the way the engine builds them: from a
 * manifest that passes the real schema (`parseManifest`). Not a mock: the same data shape the UI gets.
 */
import type { ModelSummary } from '../../common/contract'
import { parseManifest } from '../../common/manifest'

/** A DCGAN-shaped manifest (params count 1..64 default 16, truncation 0.5..4 default 2). */
export function ganManifest(id = 'dcgan-test') {
  const r = parseManifest({
    schema: 1,
    id,
    family: 'gan',
    title: `GAN ${id}`,
    graphs: {
      generator: {
        file: 'generator.onnx',
        inputs: [{ name: 'z', dtype: 'float32', shape: ['batch', 100] }],
        outputs: [{ name: 'image', dtype: 'float32', shape: ['batch', 3, 64, 64] }],
      },
    },
    latentSize: 100,
    image: { channels: 3, height: 64, width: 64, range: [-1, 1] },
    params: [
      { key: 'count', label: 'Images', type: 'int', min: 1, max: 64, default: 16 },
      { key: 'truncation', label: 'Truncation', type: 'float', min: 0.5, max: 4, step: 0.05, default: 2 },
    ],
    license: 'MIT',
    data: { source: 'test', license: 'CC0' },
  })
  if (!r.ok) throw new Error(r.errors.join('; '))
  return r.value
}

export function summaryOf(id: string, opts: { error?: string; hash?: string; family?: ModelSummary['family'] } = {}): ModelSummary {
  const m = ganManifest(id)
  return {
    id,
    family: opts.family ?? m.family,
    title: m.title,
    description: m.description,
    source: 'shipped',
    dir: `/models/${id}`,
    params: opts.error ? [] : m.params,
    license: m.license,
    dataSource: m.data.source,
    metrics: m.metrics,
    hash: opts.hash ?? '0123456789abcdef',
    ...(opts.error ? { error: opts.error } : { manifest: m }),
  }
}
