/**
 * `overhead.us_per_op`: the fixed cost of one tiny op, ONNX Runtime (a node in a Loop body, 1 intra-op
 * thread, in this process) beside PyTorch eager (`y = y + c` in Python, inference mode, 1 thread).
 * `training/bench_overhead.py --out DIR` writes the two chain graphs (1 and 61 Adds on a (1, 32) row per
 * trip) and prints `{"torch_us_per_op": …}`; here (t61 − t1) / 60 per trip is one ORT node.
 * Why it is in the bench: a batch-1 WaveNet step is ~50 such ops, so this ratio bounds what the engine can
 * gain over PyTorch at an equal op count (issue 5's ≥ 10× goal; see the README).
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import * as ort from 'onnxruntime-node'
import { median, type BenchRecord } from './record'

const PYTHON = '/usr/bin/python3'
const TRIPS = 20_000
const LONG = 61

async function ortUsPerTrip(file: string, runs: number): Promise<number> {
  const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 })
  try {
    const feeds = { trips: new ort.Tensor('int64', BigInt64Array.from([BigInt(TRIPS)]), []), x0: new ort.Tensor('float32', new Float32Array(32), [1, 32]) }
    await session.run(feeds) // warm-up
    const us: number[] = []
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now()
      await session.run(feeds)
      us.push(((performance.now() - t0) * 1000) / TRIPS)
    }
    return median(us)
  } finally {
    await session.release()
  }
}

export async function benchOverhead(root: string, runs: number, log: (s: string) => void): Promise<BenchRecord[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ls-overhead-'))
  try {
    let torchUs: number | undefined
    try {
      const env = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' }
      const { stdout } = await promisify(execFile)(PYTHON, [join(root, 'training', 'bench_overhead.py'), '--out', dir], { cwd: root, env, timeout: 10 * 60_000 })
      torchUs = JSON.parse(stdout.trim().split('\n').at(-1) ?? '').torch_us_per_op
    } catch (e) {
      // without python3-onnx there are no graphs to time either: say so and record nothing
      log(`overhead: skipped (${PYTHON} training/bench_overhead.py failed: ${String((e as Error).message).split('\n')[0]})`)
      return []
    }
    const ortUs = ((await ortUsPerTrip(join(dir, `chain${LONG}.onnx`), runs)) - (await ortUsPerTrip(join(dir, 'chain1.onnx'), runs))) / (LONG - 1)
    log(`overhead: one tiny op costs ${ortUs.toFixed(3)} µs in an ORT Loop body, ${torchUs!.toFixed(3)} µs in PyTorch eager (${(torchUs! / ortUs).toFixed(1)}×)`)
    return [{ name: 'overhead.us_per_op', value: Math.round(ortUs * 1000) / 1000, unit: 'µs', baseline: { name: 'torch-eager', value: Math.round(torchUs! * 1000) / 1000 } }]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
