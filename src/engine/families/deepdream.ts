/**
 * Deep Dream family: gradient ascent on a photo so the chosen InceptionV3 layers fire harder, over
 * octaves (small to full size) as in the classic Keras / Mordvintsev recipe and `training/dream.py`:
 *
 *   photo → octave sizes s_0 < … < s_n = photo size (÷ octaveScale each)
 *   img_0 = photo@s_0;  img_k = photo@s_k + resize(img_{k-1} − photo@s_{k-1}, s_k)   (detail re-injection:
 *   only what dreaming added is upscaled; the photo's own detail comes back sharp at every octave)
 *   each octave: `steps` times, roll by a seeded jitter (+ a seam shift when tiled), sum the gradient of
 *   every tile, img += stepSize · g / mean|g|, clip to the graph's input range.
 *
 * Graph role `grad`: image (1, 3, h, w) float32 in `input.range`, weights (layers,) float32 →
 * loss (scalar), grad (1, 3, h, w) = d loss / d image. One run per tile per step.
 *
 * Randomness comes only from Rng(seed), four draws per step, so the same photo, recipe and seed give
 * the same bytes on CPU. A preview streams after every step as image part `step` = steps done so far
 * (the octave at its own size, shrunk to PREVIEW_SIDE px if larger; made while the next step's tiles
 * compute), and the full-size result ends the job as the last part (step = total).
 * Tiles run in a worker thread (dream/grad-source.ts), so a cancel lands while a tile computes.
 */
import type { Manifest } from '../../common/manifest'
import { Rng } from '../../common/rng'
import { addDifference, ascend } from '../dream/ascent'
import { cancellable, closeGradWorkers, tileGradFor } from '../dream/grad-source'
import { octaveShapes, parseLayerMix } from '../dream/plan'
import { planarToRgba, previewFrame } from '../dream/preview'
import { resizeBilinear, type Planar } from '../dream/resize'
import { readTile, tilesOf } from '../dream/tiles'
import { decodePhoto } from '../image-input'
import { numParam } from '../params'
import type { FamilyRunner, RunContext } from './types'

/** Longest side of the per-step preview (the full-size result comes once, at the end). */
export const PREVIEW_SIDE = 512

/** The manifest's deepdream facts (parseManifest already checked them against graphs.grad). */
function dreamOf(m: Manifest) {
  if (!m.layers || !m.input || !m.tile || !m.graphs.grad) throw new Error(`${m.id}: a deepdream model needs layers, input, tile and graphs.grad (manifest)`)
  const { minSide } = m.input
  return { layers: m.layers, range: m.input.range, minSide, tile: m.tile, minOctaveSide: Math.max(minSide, m.minOctaveSide ?? minSide) }
}

const randInt = (r: Rng, lo: number, hi: number) => lo + Math.floor(r.uniform() * (hi - lo + 1)) // [lo, hi]

async function run(ctx: RunContext): Promise<void> {
  const m = ctx.manifest
  const d = dreamOf(m)
  const weights = parseLayerMix(String(ctx.params.layers ?? ''), d.layers)
  const octaves = numParam(ctx.params, 'octaves', 4)
  const octaveScale = numParam(ctx.params, 'octaveScale', 1.4)
  const steps = numParam(ctx.params, 'steps', 10)
  const stepSize = numParam(ctx.params, 'stepSize', 0.01)
  const jitter = numParam(ctx.params, 'jitter', 32)
  const maxSide = numParam(ctx.params, 'maxSide', 512)
  const input = ctx.inputs.photo
  if (!input) throw new Error('Deep Dream needs a photo (input "photo")')

  const photo = await cancellable(decodePhoto(input.bytes, { maxSide, minSide: d.minSide, name: input.fileName }), ctx.checkpoint)
  for (const n of photo.notes) ctx.warn(n)
  const [lo, hi] = d.range
  const base: Planar = { data: photo.data.map((v) => lo + v * (hi - lo)), channels: 3, height: photo.height, width: photo.width }

  const { shapes, dropped } = octaveShapes(base.height, base.width, octaves, octaveScale, d.minOctaveSide)
  if (dropped) ctx.warn(`${dropped} of ${octaves} octaves would be smaller than ${d.minOctaveSide} px at this photo size: ran ${shapes.length}`)
  const total = shapes.length * steps
  const tileGrad = await tileGradFor(ctx, weights)
  const rng = new Rng(ctx.seed)

  ctx.progress(0, total)
  let img: Planar = resizeBilinear(base, ...shapes[0])
  let photoHere = img
  let done = 0
  let showPreview: (() => void) | null = null
  for (const [k, [h, w]] of shapes.entries()) {
    if (k > 0) {
      // Detail re-injection (see the header): dream − photo at the last size, upscaled, onto the photo here.
      const next = resizeBilinear(base, h, w)
      const prevDream = resizeBilinear(img, h, w)
      const prevPhoto = resizeBilinear(photoHere, h, w)
      img = { ...next, data: addDifference(next.data, prevDream.data, prevPhoto.data) }
      photoHere = next
    }
    const tiles = tilesOf(h, w, d.tile)
    for (let s = 0; s < steps; s++) {
      // Four draws every step, tiled or not, so one step's randomness never depends on the octave sizes.
      const jy = randInt(rng, -jitter, jitter)
      const jx = randInt(rng, -jitter, jitter)
      const sy = randInt(rng, 0, d.tile - 1)
      const sx = randInt(rng, 0, d.tile - 1)
      // Seams move only where there are seams: an axis that fits one tile is rolled by the jitter alone.
      const dy = jy + (h > d.tile ? sy : 0)
      const dx = jx + (w > d.tile ? sx : 0)
      // Every tile goes to the worker now; the last step's preview is made while they compute (it reads
      // `img`, which changes only once they are back).
      const pending = Promise.all(tiles.map((t) => tileGrad(readTile(img, t, dy, dx), t.y1 - t.y0, t.x1 - t.x0)))
      showPreview?.()
      showPreview = null
      ascend(img, tiles, dy, dx, await pending, stepSize, d.range)
      done++
      if (done < total) {
        const frame = img
        const step = done
        showPreview = () => ctx.emit({ kind: 'image', index: 0, seed: ctx.seed, ...previewFrame(frame, PREVIEW_SIDE, d.range), step })
      }
      ctx.progress(done, total)
    }
  }
  await ctx.checkpoint()
  ctx.emit({ kind: 'image', index: 0, seed: ctx.seed, width: img.width, height: img.height, rgba: planarToRgba(img, d.range), step: total })
}

export const deepdream: FamilyRunner = {
  hiddenParams: [],
  inputs: { photo: { kind: 'image' } },
  run,
  onReload: () => void closeGradWorkers(), // the files may change: the next job opens a fresh worker
}
