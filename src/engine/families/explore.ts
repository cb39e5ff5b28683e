/**
 * Explore jobs of the latent-image families (common/explore.ts): resolve the op's parents to latents
 * (a seed through the family's prior, an inline latent, a photo through the encoder), then decode item
 * i's latent through the same grid loop as sampling, so a child or a frame is bytes-for-bytes the image
 * of its latent whatever the batch. Encoder graph: x (b, C, H, W) in manifest.image.range → mu, logvar
 * (b, latentSize); the mean is the photo's latent.
 */
import * as ort from 'onnxruntime-node'
import { exploreLatent, exploreRefs, latentFromText, type Explore, type ExploreOp, type LatentRef } from '../../common/explore'
import { numParam } from '../params'
import { decodePhoto } from '../image-input'
import { batchSizeParam, decodeLatentGrid } from './latent-grid'
import type { FamilyRunner, RunContext } from './types'

/** What an explore job of a family needs: the graph that decodes, the prior, and the encoder if any. */
export interface LatentFamily {
  /** Graph role z (b, latentSize) → image. */
  decoder: string
  /** The family's prior sample for a seed under the job's params (truncation, temperature). */
  prior: (ctx: RunContext) => (seed: number) => Float32Array
  /** Graph role x → mu, logvar; absent: no encode, no photo parents. */
  encoder?: string
}

/** The ops a family runs: every op, less those that need an encoder it lacks. */
export function exploreOps(f: LatentFamily): readonly ExploreOp[] {
  return f.encoder ? ['interpolate', 'children', 'cross', 'attribute', 'encode'] : ['interpolate', 'children', 'cross', 'attribute']
}

/** A family that decodes latents: sample seeds as a grid, or run its explore jobs. */
export function latentRunner(f: LatentFamily): FamilyRunner {
  return {
    hiddenParams: batchSizeParam,
    explore: exploreOps(f),
    run: (ctx) => (ctx.explore ? runExplore(ctx, ctx.explore, f) : decodeLatentGrid(ctx, f.decoder, f.prior(ctx))),
  }
}

/** Emoji were composited onto white for training (training/lstudio/emoji_data.py): a photo's transparency goes white too. */
const WHITE = { r: 255, g: 255, b: 255 } as const

export async function runExplore(ctx: RunContext, e: Explore, f: LatentFamily): Promise<void> {
  const count = numParam(ctx.params, 'count', 1)
  if ((e.op === 'interpolate' || e.op === 'attribute') && (e.first ?? 0) + count > e.frames) {
    throw new Error(`a strip of ${e.frames} frames has no frames ${(e.first ?? 0) + 1}–${(e.first ?? 0) + count}: set count to at most ${e.frames - (e.first ?? 0)}`)
  }
  if (e.op === 'encode' && count !== 1) throw new Error(`encode makes one image, the photo's reconstruction: set count to 1 (got ${count})`)
  const prior = f.prior(ctx)
  const parents: Float32Array[] = []
  for (const r of exploreRefs(e)) parents.push(await resolve(ctx, r, prior, f))
  return decodeLatentGrid(ctx, f.decoder, (seed, index) => exploreLatent(e, parents, prior, ctx.seed, index))
}

async function resolve(ctx: RunContext, r: LatentRef, prior: (seed: number) => Float32Array, f: LatentFamily): Promise<Float32Array> {
  const n = ctx.manifest.latentSize!
  if ('seed' in r) return prior(r.seed)
  if ('z' in r) {
    const z = latentFromText(r.z)
    if (z.length !== n) throw new Error(`a latent of ${z.length} values does not fit ${ctx.manifest.id}, whose latents have ${n}`)
    return z
  }
  const input = ctx.inputs[r.input]
  if (!input) throw new Error(`this explore job needs a photo as input "${r.input}"`)
  if (!f.encoder) throw new Error(`${ctx.manifest.id} has no encoder: it cannot read a photo`)
  await ctx.checkpoint()
  return encodePhoto(ctx, f.encoder, input.bytes, input.fileName)
}

/** The photo, centre-cropped to the model's size, through the encoder: its mean, (latentSize,). */
async function encodePhoto(ctx: RunContext, role: string, bytes: Uint8Array, name?: string): Promise<Float32Array> {
  const m = ctx.manifest
  const { channels, width, height, range } = m.image!
  if (channels !== 3) throw new Error(`${m.id}: only RGB models encode photos (its images have ${channels} channel)`)
  const p = await decodePhoto(bytes, { maxSide: Math.max(width, height), cover: { width, height }, minSide: 8, background: WHITE, name })
  for (const note of p.notes) ctx.warn(note)
  const [lo, hi] = range
  const x = p.data.map((v) => lo + v * (hi - lo)) // (1, 3, H, W): [0, 1] → the model's range
  const graph = m.graphs[role]
  const out = await ctx.model.sessions[role].run({ [graph.inputs[0].name]: new ort.Tensor('float32', x, [1, 3, height, width]) })
  const mu = out[graph.outputs[0].name]
  if (mu.type !== 'float32' || mu.data.length !== m.latentSize) {
    throw new Error(`${m.id}: ${role} output "${graph.outputs[0].name}" is ${mu.type} [${mu.dims.join(', ')}], expected float32 [1, ${m.latentSize}]`)
  }
  return new Float32Array(mu.data as Float32Array)
}
