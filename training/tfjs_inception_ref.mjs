// The independent reference for the InceptionV3 port: tfjs (its own weight decoding and Keras layers) runs
// the package's layer JSON, cut at mixed5 by training/port_inception.py --fixture, which calls this as
//   node training/tfjs_inception_ref.mjs /tmp/tfjs DIR
// /tmp/tfjs holds `npm install @tensorflow/tfjs@4` (not a project dependency). DIR holds model.json
// ({modelTopology, weightSpecs}), weights.bin (uint8 codes) and images.json ([{file, shape: [1, H, W, 3]}]:
// raw little-endian float32 NHWC in [-1, 1], plus `weights` (6,) for the dream loss). Writes per image
// DIR/<file>.out.bin: mixed0..mixed5 (NHWC) then d loss / d image (NHWC), all float32, and out.json.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const [tfjsDir, dir] = process.argv.slice(2)
const tf = createRequire(join(tfjsDir, 'noop.js'))('@tensorflow/tfjs')
await tf.setBackend('cpu')

const { modelTopology, weightSpecs } = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'))
const bin = readFileSync(join(dir, 'weights.bin'))
const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength)
const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData }))
const { images, weights } = JSON.parse(readFileSync(join(dir, 'images.json'), 'utf8'))

const lossOf = (x) => {
  const acts = model.apply(x) // 6 tensors (1, h, w, c)
  return tf.addN(acts.map((a, i) => tf.mul(weights[i], tf.mean(tf.square(a)))))
}
const out = []
for (const img of images) {
  const raw = readFileSync(join(dir, img.file))
  const x = tf.tensor(new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), img.shape)
  const acts = model.predict(x)
  const grad = tf.grad(lossOf)(x)
  const loss = lossOf(x).dataSync()[0]
  const parts = [...acts, grad].map((t) => {
    const d = t.dataSync()
    return Buffer.from(d.buffer, d.byteOffset, d.byteLength)
  })
  writeFileSync(join(dir, `${img.file}.out.bin`), Buffer.concat(parts))
  out.push({ file: img.file, loss, shapes: [...acts, grad].map((t) => t.shape) })
}
writeFileSync(join(dir, 'out.json'), JSON.stringify({ tfjs: tf.version.tfjs, backend: tf.getBackend(), out }))
