/**
 * One gradient-ascent update of the classic recipe (Keras `deep_dream.py`, Mordvintsev's notebook):
 * the whole image's gradient is divided by its mean absolute value, so `stepSize` is in units of the
 * input range whatever the layer mix, and the image is kept inside the range the network was fed.
 */
import type { Planar } from './resize'
import { forEachRun, type Tile } from './tiles'

/** Smallest mean |g| divided by (Keras: K.maximum(K.mean(K.abs(grads)), 1e-7)). */
const EPS = 1e-7

/**
 * img += stepSize · g / mean|g|, clipped to [lo, hi], where g is the image's gradient given as one array per
 * tile: grads[i] (c, th, tw) = d loss / d tiles[i] of the image rolled by (dy, dx) (tiles.ts). The tiles
 * cover every pixel once, so the mean over them is the image's, and each tile's gradient goes straight
 * into the image where its pixels came from: no full-size gradient array. Returns mean|g|.
 */
export function ascend(img: Planar, tiles: readonly Tile[], dy: number, dx: number, grads: readonly Float32Array[], stepSize: number, [lo, hi]: readonly [number, number]): number {
  let sum = 0
  for (const g of grads) for (let i = 0; i < g.length; i++) sum += Math.abs(g[i])
  const mean = sum / img.data.length
  const k = stepSize / Math.max(mean, EPS)
  const d = img.data
  tiles.forEach((t, j) => {
    const g = grads[j]
    forEachRun(img, t, dy, dx, (at, to, n) => {
      for (let i = 0; i < n; i++) {
        const v = d[at + i] + k * g[to + i]
        d[at + i] = v < lo ? lo : v > hi ? hi : v
      }
    })
  })
  return mean
}

/** a + b − c elementwise into a fresh array (detail re-injection: dream + (photo − blurred photo)). */
export function addDifference(a: Float32Array, b: Float32Array, c: Float32Array): Float32Array {
  const out = new Float32Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i] - c[i]
  return out
}
