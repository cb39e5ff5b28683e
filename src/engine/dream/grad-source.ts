/**
 * Where a Deep Dream job gets its tile gradients: a worker thread holding its own session of the `grad`
 * graph when the engine tells where the file is (LoadedModel.origin), else the host's session on this
 * thread. In the worker case the runner polls for a cancel while a tile computes, so a cancel lands
 * within CANCEL_POLL_MS whatever a tile costs; on this thread it lands only between tiles.
 */
import * as ort from 'onnxruntime-node'
import { CancelledError, type RunContext } from '../families/types'
import { GradWorker } from './grad-worker'

/** How often a cancel is looked for while work runs off this thread (a decode, a tile in the worker). */
export const CANCEL_POLL_MS = 20

/** d loss / d tile: tile (1, 3, h, w) float32 in the graph's range (the array may be detached) → grad, same shape. */
export type TileGrad = (tile: Float32Array, h: number, w: number) => Promise<Float32Array>

/** Resolves with `p`, or rejects with the job's CancelledError as soon as `checkpoint` throws one. */
export async function cancellable<T>(p: Promise<T>, checkpoint: () => Promise<void>): Promise<T> {
  let settled = false
  p.then(() => (settled = true), () => (settled = true))
  const poll = async (): Promise<T> => {
    while (!settled) {
      await new Promise((r) => setTimeout(r, CANCEL_POLL_MS))
      if (!settled) await checkpoint()
    }
    return p
  }
  return Promise.race([p, poll()])
}

/** One worker per (file, EP, threads), kept between jobs; closed when models reload. */
const workers = new Map<string, Promise<GradWorker>>()

async function workerFor(path: string, ep: 'cpu' | 'cuda' | 'dml', threads: number): Promise<GradWorker> {
  const key = `${path}|${ep}|${threads}`
  const cached = await workers.get(key)?.catch(() => null)
  if (cached?.alive) return cached
  const p = GradWorker.open(path, { ep, threads })
  workers.set(key, p)
  p.catch(() => workers.delete(key))
  return p
}

export async function closeGradWorkers(): Promise<void> {
  const all = [...workers.values()]
  workers.clear()
  for (const p of all) await (await p.catch(() => null))?.close()
}

/** The gradient function for this job's model and layer weights ((layers,) float32). */
export async function tileGradFor(ctx: RunContext, weights: Float32Array): Promise<TileGrad> {
  const path = ctx.model.origin?.files.grad
  if (path) {
    const worker = await cancellable(workerFor(path, ctx.model.ep, ctx.model.origin!.threads), ctx.checkpoint).catch((e: unknown) => {
      if (e instanceof CancelledError) throw e
      ctx.warn(`${(e as Error).message}; dreaming on the engine thread instead (a cancel waits for the tile in progress)`)
      return null
    })
    if (worker) return (tile, h, w) => cancellable(worker.grad(tile, h, w, weights), ctx.checkpoint)
  }
  const session = ctx.model.sessions.grad
  const wt = new ort.Tensor('float32', weights, [weights.length])
  return async (tile, h, w) => {
    await ctx.checkpoint()
    const out = await session.run({ image: new ort.Tensor('float32', tile, [1, 3, h, w]), weights: wt })
    if (out.grad.dims.join() !== [1, 3, h, w].join()) throw new Error(`grad is [${out.grad.dims.join(', ')}], expected [1, 3, ${h}, ${w}]`)
    return out.grad.data as Float32Array
  }
}
