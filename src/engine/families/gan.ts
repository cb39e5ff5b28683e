/**
 * GAN family: a grid of `count` images; image i uses seed (seed + i) and
 * z = latentForSeed(seed + i, latentSize, truncation), so any tile reproduces alone from its seed.
 * Graph role `generator`: z (b, latentSize) float32 → image (b, C, H, W) float32 in manifest.image.range.
 */
import * as ort from 'onnxruntime-node'
import { latentForSeed } from '../../common/rng'
import type { ParamSpec } from '../../common/manifest'
import { imageToRgba } from './image'
import type { FamilyRunner, RunContext } from './types'

/** Small enough that a cancel lands quickly (one batch ≈ 5–30 ms on 2 shared cores), big enough to use BLAS well. */
export const DEFAULT_BATCH = 8

const hiddenParams: ParamSpec[] = [
  { key: 'batchSize', label: 'Batch size (benchmark)', type: 'int', min: 1, max: 64, default: DEFAULT_BATCH },
]

async function run(ctx: RunContext): Promise<void> {
  const m = ctx.manifest
  const graph = m.graphs.generator
  const session = ctx.model.sessions.generator
  const latent = m.latentSize!
  const image = m.image!
  const count = typeof ctx.params.count === 'number' ? ctx.params.count : 1
  // No truncation param means plain N(0, 1): an infinite threshold never resamples.
  const truncation = typeof ctx.params.truncation === 'number' ? ctx.params.truncation : Infinity
  const batchSize = typeof ctx.hidden.batchSize === 'number' ? ctx.hidden.batchSize : DEFAULT_BATCH
  const zName = graph.inputs[0].name
  const outName = graph.outputs[0].name
  const perImage = image.channels * image.height * image.width

  ctx.progress(0, count)
  for (let start = 0; start < count; start += batchSize) {
    ctx.checkpoint()
    const b = Math.min(batchSize, count - start)
    const z = new Float32Array(b * latent) // (b, latentSize)
    for (let i = 0; i < b; i++) z.set(latentForSeed((ctx.seed + start + i) >>> 0, latent, truncation), i * latent)
    const out = await session.run({ [zName]: new ort.Tensor('float32', z, [b, latent]) })
    const t = out[outName]
    const data = t.data as Float32Array // (b, C, H, W)
    if (t.type !== 'float32' || data.length !== b * perImage) {
      throw new Error(
        `${m.id}: generator output "${outName}" is ${t.type} [${t.dims.join(', ')}], expected float32 ` +
          `[${b}, ${image.channels}, ${image.height}, ${image.width}] (manifest image)`,
      )
    }
    for (let i = 0; i < b; i++) {
      const index = start + i
      ctx.emit({
        kind: 'image', index, seed: (ctx.seed + index) >>> 0, width: image.width, height: image.height,
        rgba: imageToRgba(data, i, image),
      })
    }
    ctx.progress(start + b, count)
  }
}

export const gan: FamilyRunner = { hiddenParams, run }
