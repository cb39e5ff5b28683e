/**
 * Music throughput and latency:
 * - `music.events_per_s.b1`: events the music LSTM writes per wall second through the engine host
 *   (EngineSupervisor + nodeSpawner, CPU EP), from job/start to job/done in this process, counted from the
 *   `events` of its last part: sampling, decoding into notes, IPC and streaming included. Beside it,
 *   `training/bench_torch_music.py`: a PyTorch eager sampling loop of the same weights (fp32 and torch's int8
 *   dynamic quantization, OMP_NUM_THREADS 1 and the engine's; the fastest is the baseline). Goal: ≥ 5×.
 *   Then, logged: the in-process A/B of bench/music-ab.ts (the old one-step-per-call loop against the generate
 *   graph the family uses, interleaved in one process), a ratio the shared CPU's load moves much less.
 * - `music.click_to_first_note_ms` (bench/music-browser.ts): the browser host, Generate click to the first
 *   note handed to the synth. Goal: ≤ 300 ms.
 * The music model is the first `music-lstm` model in models/ (or $MUSIC_MODELS_DIR while none ships).
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { JobRequest } from '../src/common/contract'
import { musicModelIn } from '../src/engine/music/testing-music'
import { medians, timedRuns, timeJob, withBenchEngine } from './engine-runs'
import { musicAB } from './music-ab'
import type { BenchRecord } from './record'

/** Bars per timed job: 32 bars at the reference tempo are 64 s of music, ~1,000–3,000 events. */
const BARS = 32
const PYTHON = '/usr/bin/python3'
const run = promisify(execFile)

/** The folder holding a music model, and its id: the shipped one, else $MUSIC_MODELS_DIR's; null when none. */
export function findMusicModel(root: string): { modelsDir: string; id: string } | null {
  for (const dir of [join(root, 'models'), process.env.MUSIC_MODELS_DIR]) {
    const m = dir ? musicModelIn(dir) : null
    if (m) return { modelsDir: m.dir, id: m.id }
  }
  return null
}

export async function benchMusic(root: string, runs: number, log: (s: string) => void, threads?: number): Promise<BenchRecord[]> {
  const found = findMusicModel(root)
  if (!found) {
    log('music: skipped (no music-lstm model in models/ and no $MUSIC_MODELS_DIR)')
    return []
  }
  log(`music: ${found.id}, ${BARS}-bar pieces through the engine host, ${runs} runs…`)
  const engine = await withBenchEngine(root, log, threads, async (engine, info) => {
    const req = (seed: number, bars = BARS): JobRequest => ({ modelId: found.id, seed, ep: 'cpu', params: { bars, temperature: 1 } })
    const events = async (seed: number, bars?: number) => {
      let n = 0
      const { ms } = await timeJob(engine, req(seed, bars), (p) => (p.kind === 'music' ? ((n = p.events), 0) : 0))
      return { n, ms }
    }
    await events(1, 2) // warm-up: session load, first runs
    const samples = await timedRuns([1], runs, async (_b, r) => {
      const { n, ms } = await events(100 + r)
      log(`  engine: ${n} events in ${ms.toFixed(0)} ms`)
      return (n * 1000) / ms
    })
    return { eventsPerS: medians(samples).b1, threads: info.threads }
  }, found.modelsDir)

  const record: BenchRecord = { name: 'music.events_per_s.b1', value: Math.round(engine.eventsPerS), unit: 'events/s' }
  const torch = await torchMusicBaseline(root, join(found.modelsDir, found.id), engine.threads, Math.min(runs, 3), log)
  if (torch) {
    record.baseline = { name: 'torch-eager', value: Math.round(torch.eventsPerS) }
    log(`  torch: ${Math.round(torch.eventsPerS)} events/s (${torch.variant}, ${torch.threads} thr); engine ÷ torch = ${(engine.eventsPerS / torch.eventsPerS).toFixed(1)}×`)
  }
  const ab = await musicAB(found.modelsDir, found.id, engine.threads, Math.max(4, runs), 1024)
  log(`  in-process A/B, ${engine.threads} thr: one step per call ${ab.stepWallUs.toFixed(0)} µs/event (CPU ${ab.stepCpuUs.toFixed(0)}), ` +
    `generate graph ${ab.generateWallUs.toFixed(0)} µs/event (CPU ${ab.generateCpuUs.toFixed(0)}): ` +
    `${(ab.stepWallUs / ab.generateWallUs).toFixed(2)}× wall, ${(ab.stepCpuUs / ab.generateCpuUs).toFixed(2)}× CPU`)
  return [record]
}

/** Best of fp32 and int8 PyTorch and of OMP_NUM_THREADS 1 and `threads`, or null (with the reason logged) without torch. */
async function torchMusicBaseline(root: string, modelDir: string, threads: number, runs: number, log: (s: string) => void): Promise<{ eventsPerS: number; variant: string; threads: number } | null> {
  try {
    await run(PYTHON, ['-c', 'import torch'], { timeout: 120_000 })
  } catch (e) {
    log(`  torch baseline skipped: ${PYTHON} cannot import torch (${String((e as Error).message).split('\n')[0]})`)
    return null
  }
  let best: { eventsPerS: number; variant: string; threads: number } | null = null
  for (const t of [...new Set([1, threads])]) {
    const env = { ...process.env, OMP_NUM_THREADS: String(t), MKL_NUM_THREADS: String(t) }
    const args = [join(root, 'training', 'bench_torch_music.py'), modelDir, '--batches', '1', '--events', '1000', '--runs', String(runs)]
    const { stdout } = await run(PYTHON, args, { cwd: join(root, 'training'), env, timeout: 20 * 60_000, maxBuffer: 16 << 20 })
    const last = stdout.trim().split('\n').at(-1) ?? ''
    const out = JSON.parse(last) as Record<string, Record<string, number> | undefined>
    for (const [key, variant] of [['music', 'fp32'], ['music_int8', 'int8']] as const) {
      const v = out[key]?.b1
      if (!(v && v > 0)) throw new Error(`bench_torch_music.py gave no ${key}.b1: ${last}`)
      if (!best || v > best.eventsPerS) best = { eventsPerS: v, variant, threads: t }
    }
  }
  return best
}
