/**
 * The image grid as data: one tile per image of a job, placeholders until the engine streams the
 * image in (`job/partial`, kind `image`). Arrays are replaced, never mutated, so each tile object
 * stays identical until its own image changes and only that tile's canvas redraws.
 */
import type { JobPart } from '../../common/contract'

export type ImagePart = Extract<JobPart, { kind: 'image' }>

/** One RGBA frame: rgba is (height, width, 4) row-major 0..255. */
export interface TileImage {
  width: number
  height: number
  rgba: Uint8Array
  step?: number
  /** Latent-image families: the latent this image decodes (a parent for interpolate and breed). */
  latent?: Float32Array
}

export interface Tile {
  index: number
  /** Seed that reproduces this image alone (job seed + index until the engine says otherwise). */
  seed: number
  image: TileImage | null
}

/** `count` placeholders for a job seeded `seed`. */
export function pendingTiles(seed: number, count: number): Tile[] {
  return Array.from({ length: count }, (_, i) => ({ index: i, seed: (seed + i) >>> 0, image: null }))
}

/**
 * Tiles with these parts applied, in arrival order (a later frame of the same index replaces the
 * earlier one: RBM chains stream steps). Parts beyond the grid extend it. Returns `tiles` itself
 * when `parts` is empty.
 */
export function applyImageParts(tiles: readonly Tile[], parts: readonly ImagePart[]): Tile[] {
  if (parts.length === 0) return tiles as Tile[]
  const out = tiles.slice()
  for (const p of parts) {
    if (!Number.isInteger(p.index) || p.index < 0) continue
    while (out.length <= p.index) out.push({ index: out.length, seed: p.seed - p.index + out.length, image: null })
    out[p.index] = {
      index: p.index,
      seed: p.seed,
      image: { width: p.width, height: p.height, rgba: p.rgba, step: p.step, ...(p.latent ? { latent: p.latent } : {}) },
    }
  }
  return out
}

/**
 * Whether a tile holds its last frame: a one-shot image as soon as it arrives, a chain frame (with
 * `step`) once it reaches `steps`, the job's step count (null when the job has none).
 */
export function isFinal(tile: Tile, steps: number | null): boolean {
  const img = tile.image
  if (!img) return false
  return img.step === undefined || steps === null || img.step >= steps
}

/**
 * The step every tile has reached (0 while any tile has no frame yet): what a chain's progress shows,
 * so it never runs ahead of the grid.
 */
export function minStep(tiles: readonly Tile[]): number {
  let min = Infinity
  for (const t of tiles) min = Math.min(min, t.image?.step ?? 0)
  return tiles.length ? min : 0
}

/** Number of tiles that hold an image. */
export function doneCount(tiles: readonly Tile[]): number {
  let n = 0
  for (const t of tiles) if (t.image) n++
  return n
}
