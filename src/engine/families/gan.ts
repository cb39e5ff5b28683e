/**
 * GAN family: a grid of `count` images; image i uses seed (seed + i) and
 * z = latentForSeed(seed + i, latentSize, truncation), so any tile reproduces alone from its seed.
 * Graph role `generator`: z (b, latentSize) float32 → image (b, C, H, W) float32 in manifest.image.range.
 * Explore jobs (interpolate, breed) decode their latents through the same graph (explore.ts).
 */
import { latentForSeed } from '../../common/rng'
import { numParam } from '../params'
import { latentRunner, type LatentFamily } from './explore'
import type { FamilyRunner } from './types'

const family: LatentFamily = {
  decoder: 'generator',
  prior(ctx) {
    const n = ctx.manifest.latentSize!
    // No truncation param means plain N(0, 1): an infinite threshold never resamples.
    const truncation = numParam(ctx.params, 'truncation', Infinity)
    return (seed) => latentForSeed(seed, n, truncation)
  },
}

export const gan: FamilyRunner = latentRunner(family)
