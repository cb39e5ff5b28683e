/**
 * Text throughput end to end: `text.chars_per_s.b1|b8` counts the characters that reach this process
 * in job/partial events per wall second, from job/start to job/done, through the engine host
 * (EngineSupervisor + nodeSpawner, CPU EP): sampling, IPC and streaming included, as a user pays them.
 * Beside it, `training/bench_torch_text.py`: a PyTorch eager sampling loop of the same weights, in fp32 and
 * with torch's dynamic int8 quantization; the faster of the two per batch is the baseline (our graph ships
 * 8-bit weights, so comparing only with fp32 PyTorch would flatter us).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { EngineSupervisor } from '../src/engine'
import type { JobRequest } from '../src/common/contract'
import { medians, timedRuns, timeJob, withBenchEngine } from './engine-runs'

export const TEXT_BATCHES = [1, 8] as const
/** Characters per draft per timed job: long enough that the prime and job start-up are noise. */
export const CHARS_PER_DRAFT: Record<number, number> = { 1: 3000, 8: 1000 }

export interface TextRun {
  /** Median chars/s per batch (drafts), keyed `b1`, `b8`. */
  charsPerS: Record<string, number>
  samples: Record<string, number[]>
  threads: number
}

/** One job: the characters that reached this process and the wall time. */
async function timedJob(engine: EngineSupervisor, req: JobRequest): Promise<{ chars: number; ms: number }> {
  const { counted, ms } = await timeJob(engine, req, (part) => (part.kind === 'text' ? part.text.length : 0))
  return { chars: counted, ms }
}

export async function benchText(root: string, modelId: string, runs: number, log: (s: string) => void, threads?: number): Promise<TextRun> {
  return withBenchEngine(root, log, threads, async (engine, info) => {
    const req = (b: number, seed: number, length = CHARS_PER_DRAFT[b]): JobRequest => ({
      modelId, seed, ep: 'cpu',
      params: { prime: 'It was a ', length, drafts: b, temperature: 0.8, topK: 0, topP: 1, stop: '' },
    })
    for (const b of TEXT_BATCHES) await timedJob(engine, req(b, 1, 100)) // warm-up: session load, first runs
    const samples = await timedRuns(TEXT_BATCHES, runs, async (b, r) => {
      const { chars, ms } = await timedJob(engine, req(b, 100 + r))
      if (chars !== b * CHARS_PER_DRAFT[b]) throw new Error(`bench text job wrote ${chars} characters, expected ${b * CHARS_PER_DRAFT[b]}`)
      return (chars * 1000) / ms
    })
    return { charsPerS: medians(samples), samples, threads: info.threads }
  })
}

const run = promisify(execFile)

export type TorchText =
  | { ok: true; charsPerS: Record<string, number>; threadsUsed: Record<string, number>; variant: Record<string, string> }
  | { ok: false; skipped: string }

/** Best of OMP_NUM_THREADS = 1 and `threads`, and of fp32 and int8 PyTorch, per batch (as bench/torch.ts: a
 * starved 2-thread torch would flatter us). */
export async function torchTextBaseline(root: string, modelDir: string, threads: number, runs: number): Promise<TorchText> {
  const py = '/usr/bin/python3'
  try {
    await run(py, ['-c', 'import torch'], { timeout: 120_000 })
  } catch (e) {
    return { ok: false, skipped: `${py} cannot import torch (${String((e as Error).message).split('\n')[0]}); apt-get install python3-torch` }
  }
  const script = join(root, 'training', 'bench_torch_text.py')
  if (!existsSync(script)) throw new Error(`the PyTorch baseline script ${script} is missing`)
  const best: Record<string, number> = {}
  const threadsUsed: Record<string, number> = {}
  const variant: Record<string, string> = {}
  for (const t of [...new Set([1, threads])]) {
    const env = { ...process.env, OMP_NUM_THREADS: String(t), MKL_NUM_THREADS: String(t) }
    const args = [script, modelDir, '--batches', TEXT_BATCHES.join(','), '--chars', '1000', '--runs', String(runs)]
    const { stdout } = await run(py, args, { cwd: root, env, timeout: 20 * 60_000, maxBuffer: 16 << 20 })
    const last = stdout.trim().split('\n').at(-1) ?? ''
    const out = JSON.parse(last) as Record<string, Record<string, number> | undefined>
    for (const [key, name] of [['text', 'fp32'], ['text_int8', 'int8']] as const) {
      const text = out[key] ?? {}
      for (const b of TEXT_BATCHES) {
        const k = `b${b}`
        if (!(text[k] > 0)) throw new Error(`bench_torch_text.py gave no ${key}.${k}: ${last}`)
        if (!(best[k] >= text[k])) (best[k] = text[k]), (threadsUsed[k] = t), (variant[k] = name)
      }
    }
  }
  return { ok: true, charsPerS: best, threadsUsed, variant }
}
