/**
 * RBM family: `count` Gibbs chains run from noise for `steps` sweeps; the pane shows each chain as it
 * settles. Chain i is seeded (seed + i) and draws everything from its own Rng — first its initial
 * state, v ~ Bernoulli(0.5) (V draws), then per step u_h (H draws) and u_v (V draws) — so it
 * reproduces alone whatever the batch or count, and its frame at step k is the final frame of a job
 * with `steps = k`. Frames stream at multiples of `every` (no more often than a screen shows, see
 * FRAME_MS) and always at the last step; which intermediate steps are sent depends on speed, the
 * pixels of any step never do.
 *
 * Graph role `gibbs`, one sweep for the whole batch (all float32):
 *   v (b, V) binary state, u_h (b, H) and u_v (b, V) uniform [0, 1) noise, mask (b, V) 1 = clamped
 *   pixel, clamp (b, V) clamped values → h (b, H) sample, v_prob (b, V) p(v | h), v_next (b, V) sample.
 * V = image channels × height × width (784 for 28×28 MNIST); H comes from the manifest's u_h shape.
 *
 * Inpainting: optional inputs `image` and `mask` (rbm-inpaint.ts) hold chosen pixels fixed in every
 * chain; the free ones start from the same noise draws as a free chain, so the draw order above stays.
 */
import * as ort from 'onnxruntime-node'
import type { GraphSpec } from '../../common/manifest'
import { Rng } from '../../common/rng'
import { numParam } from '../params'
import { imageToRgba } from './image'
import { readClamp } from './rbm-inpaint'
import type { FamilyRunner, RunContext } from './types'

const INPUTS = ['v', 'u_h', 'u_v', 'mask', 'clamp'] as const
const OUTPUTS = ['v_prob', 'v_next'] as const

/** Progress between frames at most this often: a 1 ms step must not flood the UI with events. */
const PROGRESS_MS = 100
/**
 * Intermediate frames at most this often (~30 batches/s, about what a screen shows): 64 chains at
 * `every` 1 would otherwise stream thousands of frames a second, which only the latest of per
 * display frame is ever seen, and the flood itself stalls the UI. The last step is always sent.
 */
const FRAME_MS = 33

/** The (V, H) sizes the manifest promises, or an error naming what is missing. */
export function gibbsSizes(id: string, graph: GraphSpec, pixels: number): { V: number; H: number } {
  const dim = (name: string) => {
    const t = graph.inputs.find((x) => x.name === name)
    const d = t?.shape[1]
    if (!t || t.shape.length !== 2 || typeof d !== 'number') {
      throw new Error(`${id}: graphs.gibbs needs input "${name}" of shape [batch, n] with a fixed n (manifest)`)
    }
    return d
  }
  for (const n of INPUTS) dim(n)
  for (const n of OUTPUTS) {
    if (!graph.outputs.some((t) => t.name === n)) throw new Error(`${id}: graphs.gibbs needs output "${n}" (manifest)`)
  }
  const V = dim('v')
  if (V !== pixels || dim('u_v') !== V || dim('mask') !== V || dim('clamp') !== V) {
    throw new Error(`${id}: graphs.gibbs visible size ${V} does not match the manifest image (${pixels} values)`)
  }
  return { V, H: dim('u_h') }
}

async function run(ctx: RunContext): Promise<void> {
  const m = ctx.manifest
  const image = m.image!
  const session = ctx.model.sessions.gibbs
  const { V, H } = gibbsSizes(m.id, m.graphs.gibbs, image.channels * image.height * image.width)
  const count = numParam(ctx.params, 'count', 1)
  const steps = numParam(ctx.params, 'steps', 1)
  const every = numParam(ctx.params, 'every', 1)

  const held = await readClamp(ctx.inputs, image, ctx.checkpoint, ctx.warn)

  const rngs = Array.from({ length: count }, (_, i) => new Rng((ctx.seed + i) >>> 0))
  const v = new Float32Array(count * V) // (count, V) current state, from Bernoulli(0.5)
  for (let i = 0; i < count; i++) for (let j = 0; j < V; j++) v[i * V + j] = rngs[i].uniform() < 0.5 ? 1 : 0
  const uH = new Float32Array(count * H) // (count, H)
  const uV = new Float32Array(count * V) // (count, V)
  // (count, V) each: without inputs mask 0 everywhere lets every pixel run free (clamp is then ignored).
  const mask = new Float32Array(count * V)
  const clamp = new Float32Array(count * V)
  if (held) {
    for (let i = 0; i < count; i++) {
      mask.set(held.mask, i * V)
      clamp.set(held.clamp, i * V)
      for (let j = 0; j < V; j++) if (held.mask[j]) v[i * V + j] = held.clamp[j] // kept pixels start as they are
    }
  }
  const tensor = (a: Float32Array, n: number) => new ort.Tensor('float32', a, [count, n])

  ctx.progress(0, steps)
  let lastProgress = performance.now()
  let lastFrame = -Infinity
  for (let step = 1; step <= steps; step++) {
    await ctx.checkpoint() // between sweeps: one sweep of 64 chains takes a few ms, so a cancel lands fast
    for (let i = 0; i < count; i++) {
      const r = rngs[i]
      for (let k = i * H, end = k + H; k < end; k++) uH[k] = r.uniform()
      for (let k = i * V, end = k + V; k < end; k++) uV[k] = r.uniform()
    }
    const out = await session.run({
      v: tensor(v, V), u_h: tensor(uH, H), u_v: tensor(uV, V), mask: tensor(mask, V), clamp: tensor(clamp, V),
    })
    const prob = out.v_prob.data as Float32Array // (count, V) in [0, 1]
    const next = out.v_next.data as Float32Array // (count, V) in {0, 1}
    if (prob.length !== count * V || next.length !== count * V) {
      throw new Error(`${m.id}: gibbs outputs are [${out.v_prob.dims.join(', ')}], expected [${count}, ${V}]`)
    }
    v.set(next)
    const now = performance.now()
    const frame = step === steps || (step % every === 0 && now - lastFrame >= FRAME_MS)
    if (frame) {
      lastFrame = now
      for (let i = 0; i < count; i++) {
        ctx.emit({
          kind: 'image', index: i, seed: (ctx.seed + i) >>> 0, width: image.width, height: image.height,
          rgba: imageToRgba(prob, i, image), // p(v | h) as grey: 1 = white stroke on black, as MNIST
          step,
        })
      }
    }
    if (frame || now - lastProgress >= PROGRESS_MS) {
      ctx.progress(step, steps)
      lastProgress = now
    }
  }
}

export const rbm: FamilyRunner = {
  hiddenParams: [],
  // Inpainting (rbm-inpaint.ts): the digit to start from, and white where to repaint.
  inputs: { image: { kind: 'image', optional: true }, mask: { kind: 'image', optional: true } },
  run,
}
