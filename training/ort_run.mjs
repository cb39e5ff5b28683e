// Runs one ONNX graph in onnxruntime-node for the Python parity checks (Debian has no Python ORT).
//   node training/ort_run.mjs model.onnx feeds.json  → prints {name: {dtype, shape, b64}} of all outputs
// Tensors are little-endian base64, the same layout as golden.json (lstudio/export.py).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const ort = require('onnxruntime-node')
const CTOR = { float32: Float32Array, float64: Float64Array, int64: BigInt64Array, int32: Int32Array, uint8: Uint8Array }

const [model, feedsPath] = process.argv.slice(2)
const feedsJson = JSON.parse(readFileSync(feedsPath, 'utf8'))
const feeds = {}
for (const [name, t] of Object.entries(feedsJson)) {
  const buf = Buffer.from(t.b64, 'base64')
  const data = new CTOR[t.dtype](buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength))
  feeds[name] = new ort.Tensor(t.dtype, data, t.shape)
}
const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], intraOpNumThreads: 1 })
const out = await session.run(feeds)
const result = {}
for (const [name, t] of Object.entries(out)) {
  const d = t.data
  result[name] = { dtype: t.type, shape: t.dims.map(Number), b64: Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64') }
}
process.stdout.write(JSON.stringify(result))
