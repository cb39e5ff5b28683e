/**
 * WaveNet real-time factor: seconds of audio generated per wall-clock second, summed over voices,
 * end to end through the engine host (EngineSupervisor + nodeSpawner, CPU EP), timed in the parent
 * from `job/start` to `job/done` so process hops and chunk transfer count, as a user pays them.
 *   wavenet.rtf.b1 — one voice;  wavenet.rtf.b8 — eight voices batched (aggregate);
 *   wavenet.rtf.b4 — a chord of four notes (C4 E4 G4 C5, one voice each in one batch), PER VOICE: ≥ 1 means
 *   each of the four notes is made in real time (issue 16).
 * Beside it, PyTorch eager fast generation (cached dilation queues) of the same weights in the same
 * run: `training/bench_torch_wavenet.py <model dir> --seconds S --batches 1,8` prints `{"rtf_b1": …, "rtf_b8": …}`
 * as its last line (its b4 divided by 4 here, per voice like ours). Goals (issue 5): b1 ≥ 1, b8 ≥ 3, ≥ 10× PyTorch;
 * (issue 16) b4 ≥ 1 per voice.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { JobRequest } from '../src/common/contract'
import { medians, timedRuns, timeJob, withBenchEngine } from './engine-runs'
import type { BenchRecord } from './record'

export const WAVENET_ID = 'wavenet-notes'
export const WAVENET_BATCHES = [1, 4, 8] as const
/** The b4 job: a chord, one voice per note (common/chord.ts), reported per voice. */
const CHORD = 'C4 E4 G4 C5'
const PER_VOICE: Record<number, boolean> = { 4: true }
/** Seconds of audio per voice per timed job: long enough that session warm-up and the first chunk do not dominate. */
const SECONDS = 2
/** PyTorch steps one sample at a time (~0.1× real time): a quarter second per repetition measures its steady rate. */
const TORCH_SECONDS = 0.25
const PYTHON = '/usr/bin/python3'

/** Median RTF per batch (`b1`, `b8`) through the engine host, after one warm-up job per batch. */
async function engineRtf(root: string, runs: number, log: (s: string) => void, threads?: number): Promise<{ rtf: Record<string, number>; threads: number }> {
  return withBenchEngine(root, log, threads, async (engine, info) => {
    const model = (await engine.invoke('models/list', undefined)).find((m) => m.id === WAVENET_ID)
    if (!model || model.error) throw new Error(`${WAVENET_ID} cannot run: ${model?.error ?? 'not installed'}`)
    const a = model.manifest!.audio!
    const chord = model.manifest!.params.some((p) => p.key === 'chord')
    const req = (voices: number, seed: number): JobRequest => ({
      modelId: WAVENET_ID, seed, ep: 'cpu',
      params: { instrument: a.instruments[0], pitch: Math.round((a.pitchMin + a.pitchMax) / 2), seconds: SECONDS,
        ...(PER_VOICE[voices] && chord ? { chord: CHORD, voices: 1 } : { voices }) },
    })
    for (const b of WAVENET_BATCHES) await timeJob(engine, req(b, 1))
    // seconds of audio per second, all voices together; b4 per voice
    const samples = await timedRuns(WAVENET_BATCHES, runs, async (b, r) => (SECONDS * (PER_VOICE[b] ? 1 : b) * 1000) / (await timeJob(engine, req(b, 100 + r))).ms)
    for (const [k, v] of Object.entries(samples)) log(`  engine ${k}: ${v.map((x) => x.toFixed(2)).join(', ')} × real time`)
    return { rtf: medians(samples), threads: info.threads }
  })
}

/**
 * PyTorch eager fast generation on the same weights, the best of 1 and `threads` OpenMP threads per
 * batch (as the GAN baseline: on a busy 2-core machine 2 threads can be slower than 1).
 */
async function torchRtf(root: string, threads: number): Promise<Record<string, number> | string> {
  let best: Record<string, number> | string = ''
  for (const t of [...new Set([1, threads])]) {
    const r = await torchOnce(root, t)
    if (typeof r === 'string') return r
    best = typeof best === 'string' ? r : Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.max(v, (best as Record<string, number>)[k])]))
  }
  return best
}

async function torchOnce(root: string, threads: number): Promise<Record<string, number> | string> {
  const script = join(root, 'training', 'bench_torch_wavenet.py')
  try {
    await promisify(execFile)(PYTHON, ['-c', 'import torch'], { timeout: 120_000 })
  } catch {
    return `${PYTHON} cannot import torch; apt-get install python3-torch for the baseline`
  }
  if (!existsSync(script)) throw new Error(`the PyTorch baseline script ${script} is missing`)
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) }
  const { stdout } = await promisify(execFile)(PYTHON, [script, join('models', WAVENET_ID), '--seconds', String(TORCH_SECONDS), '--batches', WAVENET_BATCHES.join(',')], {
    cwd: root, env, timeout: 20 * 60_000, maxBuffer: 16 << 20,
  })
  const last = stdout.trim().split('\n').at(-1) ?? ''
  let parsed: Record<string, number>
  try {
    parsed = JSON.parse(last)
  } catch {
    throw new Error(`bench_torch_wavenet.py printed no JSON last line; got: ${last.slice(0, 200)}`)
  }
  const out: Record<string, number> = {}
  for (const b of WAVENET_BATCHES) {
    const v = parsed[`rtf_b${b}`]
    if (!(typeof v === 'number' && v > 0)) throw new Error(`bench_torch_wavenet.py gave no rtf_b${b}: ${last}`)
    out[`b${b}`] = PER_VOICE[b] ? v / b : v
  }
  return out
}

/** The wavenet records (empty, with a logged reason, when the model is not installed). */
export async function benchWavenet(root: string, runs: number, log: (s: string) => void, threads?: number): Promise<BenchRecord[]> {
  if (!existsSync(join(root, 'models', WAVENET_ID, 'model.json'))) {
    log(`wavenet: skipped (${WAVENET_ID} is not installed)`)
    return []
  }
  log(`wavenet: ${SECONDS}-s notes through the engine host, ${WAVENET_BATCHES.join('/')} voices, ${runs} runs each…`)
  const { rtf: ours, threads: used } = await engineRtf(root, runs, log, threads)
  log(`torch-eager: training/bench_torch_wavenet.py (fast generation, same weights), best of ${[...new Set([1, used])].join(' and ')} threads…`)
  const torch = await torchRtf(root, used)
  if (typeof torch === 'string') log(`  baseline skipped: ${torch}`)
  else log(`  ${Object.entries(torch).map(([k, v]) => `${k}: ${v.toFixed(3)}`).join(', ')} × real time`)
  return WAVENET_BATCHES.map((b) => {
    const k = `b${b}`
    const r: BenchRecord = { name: `wavenet.rtf.${k}`, value: Math.round(ours[k] * 100) / 100, unit: PER_VOICE[b] ? '× real time per voice' : '× real time' }
    if (typeof torch !== 'string') {
      r.baseline = { name: 'torch-eager', value: Math.round(torch[k] * 1000) / 1000 }
      log(`  wavenet.rtf.${k}: ${(ours[k] / torch[k]).toFixed(1)}× PyTorch eager`)
    }
    return r
  })
}
