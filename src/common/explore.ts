/**
 * Exploring a latent space (README "Explore a latent space"): interpolate between two latents, breed
 * children of one, crossbreed several, encode a photo. An explore job is an image job with
 * `JobRequest.explore` set; its recipe carries the same object, so every file it writes remakes itself.
 *
 * Every latent is a pure function of the recipe: parents are named by seed (the family's prior under the
 * job's params: truncation, temperature), by the latent itself (`z`: float32 little-endian, base64) or by
 * a job input (`input`: the encoder's mean of that photo). Item i of a breed uses mix seed = seed + i,
 * so a child alone is the same job with seed + i and count 1 (as a grid tile is); frame i of a strip alone
 * is the same job with `first` + i and count 1. Pure TS without zod: the renderer's startup chunk uses it.
 */
import { fromBase64, toBase64 } from './inputs'
import { Rng } from './rng'

/** A parent latent. */
export type LatentRef = { seed: number } | { z: string } | { input: ExploreInput }

/** The photos an explore job may take (`JobRequest.inputs`), for `encode` and `{ input }` parents. */
export const EXPLORE_INPUTS = ['photo', 'photo2'] as const
export type ExploreInput = (typeof EXPLORE_INPUTS)[number]

/** A direction in a model's latent space, shipped with it (`directions.json`): "more food" = + amount × z. */
export interface LatentDirection {
  /** Short name ("food"). */
  key: string
  /** In the panel ("more food"). */
  label: string
  /** The vector, as `latentToText` writes it. */
  z: string
}

export type Explore =
  /** Frame k of `frames` is slerp(from, to, k / (frames − 1)); the job makes `count` frames from `first`. */
  | { op: 'interpolate'; from: LatentRef; to: LatentRef; frames: number; first?: number }
  /** Child i: cos(θ)·parent + sin(θ)·prior(seed + i), θ = spread·π/2 ("how different": 0 same, 1 a new sample). */
  | { op: 'children'; parent: LatentRef; spread: number }
  /** Child i: each dimension from one parent, drawn by `weights` (Rng of seed + i), then `spread` as for children. */
  | { op: 'cross'; parents: LatentRef[]; weights: number[]; spread: number }
  /**
   * Frame k of `frames`: parent + (amount · k / (frames − 1)) · direction — a strip from the parent toward
   * (or, amount < 0, away from) an attribute; the recipe carries the vector, not only its name.
   */
  | { op: 'attribute'; parent: LatentRef; direction: { key: string; z: string }; amount: number; frames: number; first?: number }
  /** The decoder's image of the encoder's mean of input `photo`: its reconstruction (one item). */
  | { op: 'encode' }

export type ExploreOp = Explore['op']
export const EXPLORE_OPS: readonly ExploreOp[] = ['interpolate', 'children', 'cross', 'attribute', 'encode']
/** Most frames in a strip and parents in a cross (a grid holds 64 images). */
export const MAX_FRAMES = 64
export const MAX_PARENTS = 8

/** A float32 latent as a recipe writes it: little-endian bytes, base64 (64 values → 344 characters). */
export function latentToText(z: Float32Array): string {
  const b = new Uint8Array(z.length * 4)
  const v = new DataView(b.buffer)
  z.forEach((x, i) => v.setFloat32(i * 4, x, true))
  return toBase64(b)
}

/** `latentToText` back; throws with a message when it is not whole float32 values. */
export function latentFromText(text: string): Float32Array {
  let b: Uint8Array
  try {
    b = fromBase64(text)
  } catch {
    throw new Error('a latent "z" is not base64')
  }
  if (b.length % 4 !== 0) throw new Error(`a latent "z" of ${b.length} bytes is not whole float32 values`)
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const z = new Float32Array(b.length / 4)
  for (let i = 0; i < z.length; i++) z[i] = v.getFloat32(i * 4, true)
  if (!z.every(Number.isFinite)) throw new Error('a latent "z" holds a value that is not a finite number')
  return z
}

/**
 * Spherical interpolation (Shoemake 1985; White 2016 for generative latents): a prior sample's norm stays
 * where the network was trained, where a straight line passes near the origin. t = 0 gives `a` and t = 1
 * gives `b` exactly; nearly parallel vectors fall back to a straight line. Float64 inside.
 */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  let ab = 0, aa = 0, bb = 0
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i]
    aa += a[i] * a[i]
    bb += b[i] * b[i]
  }
  const cos = aa > 0 && bb > 0 ? Math.max(-1, Math.min(1, ab / Math.sqrt(aa * bb))) : 1
  const omega = Math.acos(cos)
  const s = Math.sin(omega)
  const [wa, wb] = s < 1e-6 ? [1 - t, t] : [Math.sin((1 - t) * omega) / s, Math.sin(t * omega) / s]
  return a.map((x, i) => wa * x + wb * b[i])
}

/** cos(θ)·parent + sin(θ)·noise, θ = spread·π/2: for unit-variance parent and noise the variance stays 1. */
export function mutate(parent: Float32Array, noise: Float32Array, spread: number): Float32Array {
  if (spread === 0) return parent.slice()
  const th = (spread * Math.PI) / 2
  const [c, s] = [Math.cos(th), Math.sin(th)]
  return parent.map((x, i) => c * x + s * noise[i])
}

/** Each dimension from one parent, parent k with probability weights[k] / Σ weights (one uniform per dimension). */
export function crossover(parents: readonly Float32Array[], weights: readonly number[], rng: Rng): Float32Array {
  const total = weights.reduce((s, w) => s + w, 0)
  const out = new Float32Array(parents[0].length)
  for (let d = 0; d < out.length; d++) {
    let u = rng.uniform() * total
    let k = 0
    while (k < parents.length - 1 && u >= weights[k]) u -= weights[k++]
    out[d] = parents[k][d]
  }
  return out
}

/** The crossover's stream for mix seed `seed`: apart from the prior's Rng(seed), which draws the mutation. */
export function crossRng(seed: number): Rng {
  return new Rng((seed ^ 0x5bd1e995) >>> 0)
}

/**
 * Item i's latent. `parents` are the op's refs resolved (interpolate: [from, to]; children: [parent];
 * cross: its parents; encode: [the photo's mean]); `prior(seed)` is the family's prior sample.
 */
export function exploreLatent(e: Explore, parents: readonly Float32Array[], prior: (seed: number) => Float32Array, seed: number, index: number): Float32Array {
  const mix = (seed + index) >>> 0
  switch (e.op) {
    case 'interpolate':
      return slerp(parents[0], parents[1], ((e.first ?? 0) + index) / (e.frames - 1))
    case 'children':
      return mutate(parents[0], prior(mix), e.spread)
    case 'cross':
      return mutate(crossover(parents, e.weights, crossRng(mix)), prior(mix), e.spread)
    case 'attribute': {
      const d = latentFromText(e.direction.z)
      const a = (e.amount * ((e.first ?? 0) + index)) / (e.frames - 1)
      return parents[0].map((x, i) => x + a * d[i])
    }
    case 'encode':
      return parents[0].slice()
  }
}

/** The op's parents in order (what `exploreLatent` takes resolved). */
export function exploreRefs(e: Explore): LatentRef[] {
  switch (e.op) {
    case 'interpolate':
      return [e.from, e.to]
    case 'children':
    case 'attribute':
      return [e.parent]
    case 'cross':
      return e.parents
    case 'encode':
      return [{ input: 'photo' }]
  }
}

/** Item `index` of an explore job alone: a frame moves `first`, a child moves the seed (it is its mix seed). */
export function exploreItem(e: Explore, seed: number, index: number): { explore: Explore; seed: number } {
  if (e.op === 'interpolate' || e.op === 'attribute') return { explore: { ...e, first: (e.first ?? 0) + index }, seed }
  return { explore: e, seed: (seed + index) >>> 0 }
}

/** "seed 7", "a latent", "photo": a parent in words. */
export function describeRef(r: LatentRef): string {
  if ('seed' in r) return `seed ${r.seed}`
  if ('input' in r) return `the encoded ${r.input}`
  return 'a latent'
}

/** The op in a line, for the panel, `info` and history. */
export function describeExplore(e: Explore, count?: number): string {
  switch (e.op) {
    case 'interpolate':
      return `interpolate ${describeRef(e.from)} → ${describeRef(e.to)}, ${e.frames} frames${frameRange(e.frames, e.first, count)}`
    case 'attribute':
      return `${describeRef(e.parent)} → ${e.amount < 0 ? 'less' : 'more'} ${e.direction.key} ×${Math.abs(e.amount)}, ${e.frames} frames${frameRange(e.frames, e.first, count)}`
    case 'children':
      return `children of ${describeRef(e.parent)}, how different ${e.spread}`
    case 'cross':
      return `crossbreed ${e.parents.map((p, i) => `${describeRef(p)} ×${e.weights[i]}`).join(' + ')}, how different ${e.spread}`
    case 'encode':
      return 'encode photo'
  }
}

/** " (frames 3–4)" when a job makes part of a strip, else "". */
function frameRange(frames: number, first = 0, count?: number): string {
  if (count === undefined || count >= frames) return ''
  return ` (frame${count > 1 ? 's' : ''} ${first + 1}${count > 1 ? `–${first + count}` : ''})`
}
