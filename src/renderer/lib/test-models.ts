/**
 * Model summaries for the renderer's unit tests, built the way the engine builds them: from a
 * manifest that passes the real schema (`parseManifest`). Not a mock: the same data shape the UI gets.
 */
import type { ModelSummary } from '../../common/contract'
import { parseManifest, type Manifest } from '../../common/manifest'

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

/** An RBM-shaped manifest (28×28 grey; params count 1..64 default 16, steps 1..5000 default 500, every 1..500 default 10). */
export function rbmManifest(id = 'rbm-test') {
  const t = (name: string, n: number) => ({ name, dtype: 'float32', shape: ['batch', n] })
  const r = parseManifest({
    schema: 1,
    id,
    family: 'rbm',
    title: `RBM ${id}`,
    graphs: {
      gibbs: {
        file: 'gibbs.onnx',
        inputs: [t('v', 784), t('u_h', 500), t('u_v', 784), t('mask', 784), t('clamp', 784)],
        outputs: [t('h', 500), t('v_prob', 784), t('v_next', 784)],
      },
    },
    image: { channels: 1, height: 28, width: 28, range: [0, 1] },
    params: [
      { key: 'count', label: 'Chains', type: 'int', min: 1, max: 64, default: 16 },
      { key: 'steps', label: 'Gibbs steps', type: 'int', min: 1, max: 5000, default: 500 },
      { key: 'every', label: 'Show every', type: 'int', min: 1, max: 500, default: 10 },
    ],
    license: 'CC BY-SA 3.0',
    data: { source: 'test', license: 'CC BY-SA 3.0' },
  })
  if (!r.ok) throw new Error(r.errors.join('; '))
  return r.value
}

export function summaryOf(
  id: string,
  opts: { error?: string; hash?: string; family?: ModelSummary['family']; manifest?: Manifest } = {},
): ModelSummary {
  const m = opts.manifest ?? ganManifest(id)
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
