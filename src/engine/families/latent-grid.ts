/**
 * A grid of images decoded from one latent vector each, shared by the families that sample a prior
 * and decode it in one graph run: gan (`generator`) and vae / vaegan (`decoder`). Image i uses seed
 * (seed + i) and the latent the family derives from that seed alone, so any tile reproduces alone
 * whatever the batch size. Graph: z (b, latentSize) float32 → image (b, C, H, W) in manifest.image.range.
 */
import * as ort from 'onnxruntime-node'
import type { ParamSpec } from '../../common/manifest'
import { numParam } from '../params'
import { imageToRgba } from './image'
import type { RunContext } from './types'

/** Small enough that a cancel lands quickly (one batch ≈ 5–30 ms on 2 shared cores), big enough to use BLAS well. */
export const DEFAULT_BATCH = 8

/** Engine-only knob of every latent-grid family (the benchmark sweeps it); never recorded in recipes. */
export const batchSizeParam: ParamSpec[] = [
  { key: 'batchSize', label: 'Batch size (benchmark)', type: 'int', min: 1, max: 64, default: DEFAULT_BATCH },
]

/**
 * Decode `count` images through graph `role`. `latentFor(seed)` returns that image's (latentSize,)
 * float32 latent (explore jobs: by `index`, the item's place in the job); its length is checked against
 * manifest.latentSize. Each image part carries its latent, so any tile can be a parent.
 */
export async function decodeLatentGrid(ctx: RunContext, role: string, latentFor: (seed: number, index: number) => Float32Array): Promise<void> {
  const m = ctx.manifest
  const graph = m.graphs[role]
  const session = ctx.model.sessions[role]
  const latent = m.latentSize!
  const image = m.image!
  const count = numParam(ctx.params, 'count', 1)
  const batchSize = numParam(ctx.hidden, 'batchSize', DEFAULT_BATCH)
  const zName = graph.inputs[0].name
  const outName = graph.outputs[0].name
  const perImage = image.channels * image.height * image.width

  ctx.progress(0, count)
  for (let start = 0; start < count; start += batchSize) {
    await ctx.checkpoint()
    const b = Math.min(batchSize, count - start)
    const z = new Float32Array(b * latent) // (b, latentSize)
    for (let i = 0; i < b; i++) {
      const zi = latentFor((ctx.seed + start + i) >>> 0, start + i)
      if (zi.length !== latent) throw new Error(`${m.id}: latent of ${zi.length} values, manifest latentSize is ${latent}`)
      z.set(zi, i * latent)
    }
    const out = await session.run({ [zName]: new ort.Tensor('float32', z, [b, latent]) })
    const t = out[outName]
    const data = t.data as Float32Array // (b, C, H, W)
    if (t.type !== 'float32' || data.length !== b * perImage) {
      throw new Error(
        `${m.id}: ${role} output "${outName}" is ${t.type} [${t.dims.join(', ')}], expected float32 ` +
          `[${b}, ${image.channels}, ${image.height}, ${image.width}] (manifest image)`,
      )
    }
    for (let i = 0; i < b; i++) {
      const index = start + i
      ctx.emit({
        kind: 'image', index, seed: (ctx.seed + index) >>> 0, width: image.width, height: image.height,
        rgba: imageToRgba(data, i, image), latent: z.slice(i * latent, (i + 1) * latent),
      })
    }
    ctx.progress(start + b, count)
  }
}
