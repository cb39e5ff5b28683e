/**
 * Test helpers for golden parity (not used at runtime): read a shipped model's manifest and its
 * `golden*.json` files (PyTorch inputs/outputs, see training/lstudio/export.py), and open its
 * sessions through the engine's own loading path (registry + session cache: same options, same
 * signature check) so parity is checked on what the studio really runs.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { parseManifest, type Manifest } from '../common/manifest'
import { ModelRegistry } from './registry'
import { SessionCache } from './sessions'

/** Little-endian bytes, base64 (float32 for activations, int64 for token ids / audio codes, float64 for the music draw's inputs). */
export interface GoldenTensor {
  dtype: 'float32' | 'int64' | 'float64'
  shape: number[]
  b64: string
}

export interface Golden {
  /** Graph role the cases feed. */
  graph: string
  atol: number
  cases: { inputs: Record<string, GoldenTensor>; outputs: Record<string, GoldenTensor> }[]
}

export function decodeTensor(t: GoldenTensor): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`golden tensor dtype ${t.dtype}: use decodeInt64`)
  const b = Buffer.from(t.b64, 'base64')
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))
}

export function decodeInt64(t: GoldenTensor): BigInt64Array {
  if (t.dtype !== 'int64') throw new Error(`golden tensor dtype ${t.dtype}: use decodeTensor`)
  const b = Buffer.from(t.b64, 'base64')
  return new BigInt64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))
}

export function decodeFloat64(t: GoldenTensor): Float64Array {
  if (t.dtype !== 'float64') throw new Error(`golden tensor dtype ${t.dtype}: not float64`)
  const b = Buffer.from(t.b64, 'base64')
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))
}

/** ORT feeds for one golden case, optionally with some float inputs replaced. */
export function goldenFeeds(inputs: Record<string, GoldenTensor>, replace: Record<string, Float32Array> = {}): Record<string, ort.Tensor> {
  const tensor = (n: string, t: GoldenTensor) => {
    if (t.dtype === 'int64') return new ort.Tensor('int64', decodeInt64(t), t.shape)
    if (t.dtype === 'float64') return new ort.Tensor('float64', decodeFloat64(t), t.shape)
    return new ort.Tensor('float32', replace[n] ?? decodeTensor(t), t.shape)
  }
  return Object.fromEntries(Object.entries(inputs).map(([n, t]) => [n, tensor(n, t)]))
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]))
  return max
}

export function readManifest(dir: string): Manifest {
  const r = parseManifest(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')))
  if (!r.ok) throw new Error(`${dir}/model.json: ${r.errors.join('; ')}`)
  return r.value
}

/** Every `golden*.json` in a model folder (one file per graph role when a model has several graphs). */
export function readGoldens(dir: string): Golden[] {
  return readdirSync(dir)
    .filter((f) => /^golden.*\.json$/.test(f))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Golden)
}

/** The model's sessions on CPU, loaded as the engine loads them; call `dispose` when done. */
export async function openModel(modelsDir: string, id: string): Promise<{ sessions: Record<string, ort.InferenceSession>; dispose(): Promise<void> }> {
  const registry = new ModelRegistry([{ dir: modelsDir, source: 'shipped' }])
  await registry.scan()
  const entry = registry.get(id)
  if (!entry) throw new Error(`no model ${id} in ${modelsDir}`)
  if (entry.summary.error) throw new Error(entry.summary.error)
  const cache = new SessionCache(registry, { threads: 2 })
  const { sessions } = await cache.load(entry, 'cpu')
  return { sessions, dispose: () => cache.disposeAll() }
}
