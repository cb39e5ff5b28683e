/**
 * GAN family: a grid of `count` images; image i uses seed (seed + i) and
 * z = latentForSeed(seed + i, latentSize, truncation), so any tile reproduces alone from its seed.
 * Graph role `generator`: z (b, latentSize) float32 → image (b, C, H, W) float32 in manifest.image.range.
 */
import { latentForSeed } from '../../common/rng'
import { numParam } from '../params'
import { batchSizeParam, decodeLatentGrid } from './latent-grid'
import type { FamilyRunner, RunContext } from './types'

function run(ctx: RunContext): Promise<void> {
  const n = ctx.manifest.latentSize!
  // No truncation param means plain N(0, 1): an infinite threshold never resamples.
  const truncation = numParam(ctx.params, 'truncation', Infinity)
  return decodeLatentGrid(ctx, 'generator', (seed) => latentForSeed(seed, n, truncation))
}

export const gan: FamilyRunner = { hiddenParams: batchSizeParam, run }
