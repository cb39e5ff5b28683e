/**
 * Deep Dream on a 512×512 photo (the bundled astronaut.jpg), 4 octaves × 10 steps, default layer mix,
 * end to end through the engine host (EngineSupervisor + nodeSpawner, CPU EP), timed in the parent:
 *   dream.seconds_512        — job/start → job/done (decode, every tile, previews, the full-size result)
 *   dream.first_preview_ms   — job/start → the first preview frame (smallest octave's first step)
 *   dream.cpu_seconds_512    — CPU time of the host process over the dream (all its threads; Linux
 *                              /proc): on a shared, overloaded machine wall time mostly measures the others;
 *                              the log adds the host's main thread alone (the JavaScript around the gradient)
 * after one warm-up job (model and worker loaded, as for a user's second dream). Beside them, PyTorch
 * eager running the reference loop (training/dream.py) with autograd through the same weights, in the
 * same run: `training/bench_torch_dream.py <model dir>` prints {"seconds_512", "first_step_s", …}.
 * Goals (issue 13): ≥ 1.5× PyTorch, first preview within 1 s.
 */
import { execFile, execSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { newJobId, type JobRequest } from '../src/common/contract'
import type { EngineSupervisor } from '../src/engine'
import { withBenchEngine } from './engine-runs'
import { median, type BenchRecord } from './record'

export const DREAM_ID = 'deepdream-inception'
const PHOTO = 'astronaut.jpg'
/** The recipe PyTorch runs too (bench_torch_dream.py): defaults of the manifest, spelled out. */
const PARAMS = { layers: 'mixed3:1,mixed4:0.5', octaves: 4, octaveScale: 1.4, steps: 10, stepSize: 0.01, jitter: 32, maxSide: 512 }
/** A dream is ~30 s here: three timed runs (median) and one PyTorch run per thread count keep the bench under ~5 min. */
const MAX_RUNS = 3
const PYTHON = '/usr/bin/python3'

/**
 * CPU seconds (user + system) a process has used so far, every thread; with `mainOnly`, its main thread's
 * alone (Linux names it by the process id): for the dream, the JavaScript around the gradient worker.
 * Null where /proc cannot tell.
 */
function cpuSeconds(pid: number | null, mainOnly = false): number | null {
  try {
    const fields = readFileSync(mainOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ') // after "pid (comm) "
    const ticks = Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }))
    return (Number(fields[11]) + Number(fields[12])) / ticks // utime, stime: fields 14 and 15 of stat(5)
  } catch {
    return null
  }
}

/** One dream, timed from job/start to its first partial and to job/done. */
async function timeDream(engine: EngineSupervisor, req: JobRequest, pid: number | null): Promise<{ ms: number; firstMs: number; frames: number; cpu: number | null; mainCpu: number | null }> {
  const jobId = newJobId()
  let firstMs = 0
  let frames = 0
  let end!: (error?: string) => void
  const ended = new Promise<string | undefined>((r) => (end = r))
  const c0 = cpuSeconds(pid)
  const m0 = cpuSeconds(pid, true)
  const t0 = performance.now()
  const offs = [
    engine.on('job/partial', (e) => void (e.jobId === jobId && (frames++, firstMs ||= performance.now() - t0))),
    engine.on('job/done', (e) => e.jobId === jobId && end()),
    engine.on('job/failed', (e) => e.jobId === jobId && end(e.error)),
  ]
  try {
    await engine.invoke('job/start', { ...req, jobId })
    const error = await ended
    if (error !== undefined) throw new Error(`${DREAM_ID} bench job failed: ${error}`)
    const c1 = cpuSeconds(pid)
    const m1 = cpuSeconds(pid, true)
    const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a)
    return { ms: performance.now() - t0, firstMs, frames, cpu: diff(c0, c1), mainCpu: diff(m0, m1) }
  } finally {
    for (const off of offs) off()
  }
}

async function engineDream(root: string, runs: number, log: (s: string) => void, threads?: number) {
  return withBenchEngine(root, log, threads, async (engine, info) => {
    const bytes = new Uint8Array(readFileSync(join(root, 'models', DREAM_ID, 'photos', PHOTO)))
    const req = (seed: number, params: JobRequest['params'] = PARAMS): JobRequest => ({
      modelId: DREAM_ID, seed, ep: 'cpu', params, inputs: { photo: { kind: 'image', bytes, fileName: PHOTO } },
    })
    await timeDream(engine, req(0, { ...PARAMS, octaves: 1, steps: 1 }), info.pid) // warm-up: sessions, worker, first allocations
    const samples = []
    for (let r = 0; r < runs; r++) {
      const s = await timeDream(engine, req(1 + r), info.pid)
      log(`  engine: ${(s.ms / 1000).toFixed(2)} s (${s.cpu?.toFixed(2) ?? '?'} s CPU, ${s.mainCpu?.toFixed(2) ?? '?'} s on the host's main thread), first preview ${s.firstMs.toFixed(0)} ms, ${s.frames} frames`)
      samples.push(s)
    }
    const cpu = samples.every((s) => s.cpu !== null) ? median(samples.map((s) => s.cpu!)) : null
    return { seconds: median(samples.map((s) => s.ms)) / 1000, firstMs: median(samples.map((s) => s.firstMs)), cpu, threads: info.threads }
  })
}

/** PyTorch eager (autograd), best of 1 and `threads` OpenMP threads; a string says why it was skipped. */
async function torchDream(root: string, threads: number, log: (s: string) => void): Promise<{ seconds: number; firstMs: number; cpu: number } | string> {
  try {
    await promisify(execFile)(PYTHON, ['-c', 'import torch'], { timeout: 120_000 })
  } catch {
    return `${PYTHON} cannot import torch; apt-get install python3-torch for the baseline`
  }
  const script = join(root, 'training', 'bench_torch_dream.py')
  if (!existsSync(script)) throw new Error(`the PyTorch baseline script ${script} is missing`)
  let best: { seconds: number; firstMs: number; cpu: number } | null = null
  for (const t of [...new Set([1, threads])]) {
    const env = { ...process.env, OMP_NUM_THREADS: String(t), MKL_NUM_THREADS: String(t) }
    const { stdout } = await promisify(execFile)(PYTHON, [script, join('models', DREAM_ID)], { cwd: root, env, timeout: 30 * 60_000, maxBuffer: 16 << 20 })
    const last = stdout.trim().split('\n').at(-1) ?? ''
    const r = JSON.parse(last) as { seconds_512?: number; first_step_s?: number; cpu_seconds_512?: number; image?: number[] }
    if (!(typeof r.seconds_512 === 'number' && typeof r.first_step_s === 'number')) throw new Error(`bench_torch_dream.py gave no seconds_512/first_step_s: ${last.slice(0, 200)}`)
    const cpu = r.cpu_seconds_512 ?? NaN
    log(`  torch (${t} thr): ${r.seconds_512.toFixed(2)} s (${cpu.toFixed(2)} s CPU), first step ${(r.first_step_s * 1000).toFixed(0)} ms, image ${r.image?.join('×')}`)
    if (!best || r.seconds_512 < best.seconds) best = { seconds: r.seconds_512, firstMs: r.first_step_s * 1000, cpu }
  }
  return best!
}

/** The dream records (empty, with a logged reason, when the model is not installed). */
export async function benchDream(root: string, runs: number, log: (s: string) => void, threads?: number): Promise<BenchRecord[]> {
  if (!existsSync(join(root, 'models', DREAM_ID, 'model.json'))) {
    log(`dream: skipped (${DREAM_ID} is not installed)`)
    return []
  }
  const n = Math.min(runs, MAX_RUNS)
  log(`dream: ${PHOTO} at 512 px, 4 octaves × 10 steps through the engine host, ${n} runs…`)
  const ours = await engineDream(root, n, log, threads)
  log(`torch-eager: training/bench_torch_dream.py (autograd) with OMP_NUM_THREADS = ${[...new Set([1, ours.threads])].join(' and ')}…`)
  const torch = await torchDream(root, ours.threads, log)
  const seconds: BenchRecord = { name: 'dream.seconds_512', value: Math.round(ours.seconds * 100) / 100, unit: 's' }
  const first: BenchRecord = { name: 'dream.first_preview_ms', value: Math.round(ours.firstMs), unit: 'ms' }
  const cpu: BenchRecord | null = ours.cpu === null ? null : { name: 'dream.cpu_seconds_512', value: Math.round(ours.cpu * 100) / 100, unit: 's' }
  if (typeof torch === 'string') log(`  baseline skipped: ${torch}`)
  else {
    seconds.baseline = { name: 'torch-eager', value: Math.round(torch.seconds * 100) / 100 }
    first.baseline = { name: 'torch-eager', value: Math.round(torch.firstMs) }
    if (cpu && Number.isFinite(torch.cpu)) cpu.baseline = { name: 'torch-eager', value: Math.round(torch.cpu * 100) / 100 }
    log(`  dream.seconds_512: ${(torch.seconds / ours.seconds).toFixed(2)}× PyTorch eager`)
  }
  return cpu ? [seconds, first, cpu] : [seconds, first]
}
