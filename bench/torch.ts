/**
 * The PyTorch eager baseline: the lead's `training/bench_torch.py` on the same model, in the same bench run.
 *   /usr/bin/python3 training/bench_torch.py gan models/dcgan-emoji --batches 1,16,64
 * prints `{"gan": {"b1": images_per_s, "b16": …, "b64": …}}` as its last line.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const PYTHON = '/usr/bin/python3'

export type TorchBaseline =
  | { ok: true; imagesPerS: Record<string, number>; /** Per key, the OMP thread count that gave it. */ threadsUsed: Record<string, number> }
  | { ok: false; skipped: string }

/**
 * Images/s per batch size (`b1`, `b16`…), the best of OMP_NUM_THREADS = 1 and = `threads` (the engine's
 * intra-op threads): on a busy 2-core machine torch with 2 OpenMP threads can collapse at batch 1
 * (seen: 10 images/s with 2 threads vs 247 with 1), and a baseline crippled that way would flatter us.
 * Skips (with the reason) only when python3 has no torch; any other failure throws: a missing baseline
 * must not hide behind a skip.
 */
export async function torchGanBaseline(root: string, modelDir: string, batches: number[], threads: number): Promise<TorchBaseline> {
  try {
    await run(PYTHON, ['-c', 'import torch'], { timeout: 120_000 })
  } catch (e) {
    const why = String((e as { stderr?: string }).stderr || (e as Error).message).trim().split('\n').at(-1)
    return { ok: false, skipped: `${PYTHON} cannot import torch (${why}); apt-get install python3-torch for the baseline` }
  }
  const script = join(root, 'training', 'bench_torch.py')
  if (!existsSync(script)) throw new Error(`the PyTorch baseline script ${script} is missing`)
  const best: Record<string, number> = {}
  const threadsUsed: Record<string, number> = {}
  for (const t of [...new Set([1, threads])]) {
    const gan = await runOnce(root, script, modelDir, batches, t)
    for (const b of batches) {
      const k = `b${b}`
      if (!(best[k] >= gan[k])) {
        best[k] = gan[k]
        threadsUsed[k] = t
      }
    }
  }
  return { ok: true, imagesPerS: best, threadsUsed }
}

async function runOnce(root: string, script: string, modelDir: string, batches: number[], threads: number): Promise<Record<string, number>> {
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) }
  const { stdout } = await run(PYTHON, [script, 'gan', modelDir, '--batches', batches.join(',')], {
    cwd: root,
    env,
    timeout: 15 * 60_000,
    maxBuffer: 16 << 20,
  })
  const last = stdout.trim().split('\n').at(-1) ?? ''
  let parsed: { gan?: Record<string, number> }
  try {
    parsed = JSON.parse(last)
  } catch {
    throw new Error(`bench_torch.py printed no JSON last line; got: ${last.slice(0, 200)}`)
  }
  const gan = parsed.gan ?? {}
  for (const b of batches) {
    if (!(typeof gan[`b${b}`] === 'number' && gan[`b${b}`] > 0)) throw new Error(`bench_torch.py gave no gan.b${b}: ${last}`)
  }
  return gan
}
