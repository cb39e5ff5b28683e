/**
 * Checks a session's real signature (names, dtypes, shapes from ORT's input/output metadata) against
 * the manifest's GraphSpec, so a manifest that lies fails on load with the file and the field named
 * instead of failing later inside `session.run` with an ORT message about some tensor.
 */
import type { GraphSpec, TensorSpec } from '../common/manifest'

/** The part of an ORT InferenceSession we read (ORT ≥ 1.22 exposes the metadata). */
export interface SessionSignature {
  readonly inputNames: readonly string[]
  readonly outputNames: readonly string[]
  readonly inputMetadata: readonly ValueMeta[]
  readonly outputMetadata: readonly ValueMeta[]
}
type ValueMeta = { name: string; isTensor: boolean; type?: string; shape?: readonly (number | string)[] }

const fmt = (shape: readonly (number | string)[]) => `[${shape.join(', ')}]`

function checkTensor(kind: 'input' | 'output', spec: TensorSpec, meta: ValueMeta): string[] {
  const where = `${kind} "${spec.name}"`
  if (!meta.isTensor) return [`${where} is not a tensor in the model, manifest says a ${spec.dtype} tensor`]
  const errors: string[] = []
  if (meta.type !== spec.dtype) errors.push(`${where} has dtype ${meta.type}, manifest says ${spec.dtype}`)
  const real = meta.shape ?? []
  const bad =
    real.length !== spec.shape.length ||
    spec.shape.some((want, i) => {
      const got = real[i]
      // A fixed size in the model where the manifest promises a free axis (e.g. batch) breaks batching;
      // a free axis in the model accepts whatever fixed size the manifest names.
      if (typeof got === 'string') return false
      return typeof want === 'string' || want !== got
    })
  if (bad) errors.push(`${where} has shape ${fmt(real)}, manifest says ${fmt(spec.shape)}`)
  return errors
}

/**
 * Every mismatch, each as `<fileLabel>: <what>` (e.g. `models/x/generator.onnx: input "z" has dtype
 * int64, manifest says float32`). Empty when the session matches.
 */
export function checkSignature(fileLabel: string, spec: GraphSpec, s: SessionSignature): string[] {
  const errors: string[] = []
  const sides = [
    ['input', spec.inputs, s.inputNames, s.inputMetadata],
    ['output', spec.outputs, s.outputNames, s.outputMetadata],
  ] as const
  for (const [kind, specs, names, metas] of sides) {
    for (const t of specs) {
      const meta = metas.find((m) => m.name === t.name)
      if (!meta) errors.push(`${kind} "${t.name}" is not in the model (its ${kind}s: ${names.join(', ') || 'none'})`)
      else errors.push(...checkTensor(kind, t, meta))
    }
  }
  // Inputs the manifest does not declare would never be fed: the first run would fail obscurely.
  for (const n of s.inputNames) {
    if (!spec.inputs.some((t) => t.name === n)) errors.push(`model input "${n}" is not declared in the manifest`)
  }
  return errors.map((e) => `${fileLabel}: ${e}`)
}
