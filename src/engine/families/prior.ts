/**
 * VAE and VAE-GAN families: sample the prior and decode. Image i uses seed (seed + i) and
 * z = latentForSeed(seed + i, latentSize, 4) × temperature: a standard normal (threshold 4 is
 * effectively no truncation) scaled down for safer, blurrier samples or up for wilder ones.
 * Graph role `decoder`: z (b, latentSize) → image (b, C, H, W) in manifest.image.range. The `encoder`
 * (x (b, C, H, W) → mu, logvar (b, latentSize)) is not used to sample: explore jobs encode a user's
 * photo with it (explore.ts).
 */
import { latentForSeed } from '../../common/rng'
import { numParam } from '../params'
import { latentRunner, type LatentFamily } from './explore'
import type { FamilyRunner } from './types'

/** |z| ≤ 4 keeps all but 6e-5 of N(0, 1): the same draw as an untruncated prior in practice. */
const PRIOR_THRESHOLD = 4

const family: LatentFamily = {
  decoder: 'decoder',
  encoder: 'encoder',
  prior(ctx) {
    const n = ctx.manifest.latentSize!
    const temperature = numParam(ctx.params, 'temperature', 1)
    return (seed) => {
      const z = latentForSeed(seed, n, PRIOR_THRESHOLD)
      for (let i = 0; i < n; i++) z[i] *= temperature
      return z
    }
  },
}

export const prior: FamilyRunner = latentRunner(family)
