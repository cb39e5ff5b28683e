/**
 * A job request's explore op (JobRequest.explore) as the engine takes it: checked for shape and
 * ranges (common/explore-check.ts), then against the model — its family explores, has the op (encode
 * needs an encoder), and every parent given as a latent has the model's latent size.
 */
import { EXPLORE_INPUTS, exploreRefs, latentFromText, type Explore } from '../common/explore'
import { checkExplore } from '../common/explore-check'
import type { InputSpec } from '../common/inputs'
import type { Manifest } from '../common/manifest'
import type { FamilyRunner } from './families/index'

/** The photos a family's explore jobs may take (encode, photo parents): none without an encoder. */
export function exploreInputSpecs(runner: FamilyRunner): Record<string, InputSpec> {
  if (!runner.explore?.includes('encode')) return {}
  return Object.fromEntries(EXPLORE_INPUTS.map((n) => [n, { kind: 'image', optional: true } satisfies InputSpec]))
}

/** The checked op (undefined: a plain job), or why it is refused. */
export function prepareExplore(manifest: Manifest, runner: FamilyRunner, raw: unknown): Explore | undefined | string {
  if (raw === undefined || raw === null) return undefined
  if (!runner.explore) return `a ${manifest.family} model does not explore a latent space (interpolate, breed, encode are for GAN, VAE and VAE-GAN models)`
  const c = checkExplore(raw)
  if (!c.ok) return c.error
  const e = c.value
  if (!runner.explore.includes(e.op)) return `${e.op} needs an encoder, which a ${manifest.family} model has not (it can ${runner.explore.join(', ')})`
  const refs = e.op === 'attribute' ? [...exploreRefs(e), { z: e.direction.z }] : exploreRefs(e)
  for (const r of refs) {
    if ('z' in r && latentFromText(r.z).length !== manifest.latentSize) {
      return `a latent of ${latentFromText(r.z).length} values does not fit this model, whose latents have ${manifest.latentSize}`
    }
    if ('input' in r && !runner.explore.includes('encode')) return `a photo parent needs an encoder, which a ${manifest.family} model has not`
  }
  return e
}
