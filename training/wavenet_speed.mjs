// Real-time factor of the WaveNet `generate` graph in onnxruntime-node (1 intra-op thread, CPU).
//   node training/wavenet_speed.mjs models/wavenet-notes/generate.onnx [batches=1,8] [seconds=2] [chunk=2000]
// Prints {"b1": rtf, "b8": rtf, "cpu_b1": …}: seconds of audio (all voices together) per second of wall
// time, median of 3; cpu_bN divides by this process's CPU time instead (what an idle core would give).
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const ort = require('onnxruntime-node')
const [model, batchArg = '1,8', secArg = '2', chunkArg = '2000'] = process.argv.slice(2)
const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 })
const S = Number(session.inputMetadata?.find?.((m) => m.name === 'state')?.shape?.[1] ?? process.env.STATE_SIZE)
const chunk = Number(chunkArg)
const result = {}
for (const b of batchArg.split(',').map(Number)) {
  const i64 = (v) => new ort.Tensor('int64', BigInt64Array.from({ length: b }, () => BigInt(v)), [b])
  const noise = new ort.Tensor('float32', Float32Array.from({ length: b * chunk }, () => Math.random()), [b, chunk])
  // a model with the loudness-envelope inputs gets velocity 90 and a held level
  const env = session.inputNames.includes('envelope')
    ? { velocity: new ort.Tensor('float32', new Float32Array(b).fill(90), [b]), envelope: new ort.Tensor('float32', new Float32Array(b * chunk).fill(0.8), [b, chunk]) }
    : {}
  const run = async (prev, state) => session.run({ instrument: i64(0), pitch: i64(60), temperature: new ort.Tensor('float32', new Float32Array(b).fill(1), [b]), noise, prev, state, ...env })
  const zero = () => new ort.Tensor('float32', new Float32Array(b * S), [b, S])
  await run(i64(128), zero()) // warm-up
  const rates = [], cpuRates = []
  for (let rep = 0; rep < 3; rep++) {
    let prev = i64(128), state = zero(), n = 0
    const t0 = performance.now(), c0 = process.cpuUsage()
    while (n < Number(secArg) * 16000) {
      const out = await run(prev, state)
      prev = out.prev_out; state = out.state_out; n += chunk
    }
    const c = process.cpuUsage(c0)
    rates.push((n * b / 16000) / ((performance.now() - t0) / 1000))
    cpuRates.push((n * b / 16000) / ((c.user + c.system) / 1e6))
  }
  result[`b${b}`] = rates.sort((x, y) => x - y)[1]
  result[`cpu_b${b}`] = cpuRates.sort((x, y) => x - y)[1]
}
process.stdout.write(JSON.stringify(result) + '\n')
