// Time of one Deep Dream gradient (a square tile) in onnxruntime-node, CPU, 1 intra-op thread.
//   node training/deepdream_speed.mjs models/deepdream-inception/model.onnx [sides=256,512] [reps=5]
// Prints {"create_ms": …, "ms_256": median wall ms, "cpu_ms_256": median process CPU ms, …}; CPU time is what
// an idle core would give on a shared machine. Weights (6,) = mixed3:1, mixed4:0.5 (all six are computed anyway).
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const ort = require('onnxruntime-node')
const [model, sidesArg = '256,512', repsArg = '5'] = process.argv.slice(2)
let t0 = performance.now()
const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 })
const result = { create_ms: performance.now() - t0 }
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1]
const weights = new ort.Tensor('float32', Float32Array.from([0, 0, 0, 1, 0.5, 0]), [6])
for (const n of sidesArg.split(',').map(Number)) {
  const img = Float32Array.from({ length: 3 * n * n }, (_, i) => Math.sin(i * 0.37) * 0.8) // (1, 3, n, n) in [-1, 1]
  const feeds = { image: new ort.Tensor('float32', img, [1, 3, n, n]), weights }
  await session.run(feeds) // warm-up
  const wall = [], cpu = []
  for (let r = 0; r < Number(repsArg); r++) {
    t0 = performance.now()
    const c0 = process.cpuUsage()
    await session.run(feeds)
    const c = process.cpuUsage(c0)
    wall.push(performance.now() - t0)
    cpu.push((c.user + c.system) / 1000)
  }
  result[`ms_${n}`] = median(wall)
  result[`cpu_ms_${n}`] = median(cpu)
}
process.stdout.write(JSON.stringify(result) + '\n')
