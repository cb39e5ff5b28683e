/**
 * Tiling a large image for the gradient graph, with a shift per step so the seams move (TF's Deep
 * Dream tutorial rolls the image by a random amount before cutting fixed tiles; we do the same by
 * reading tiles through a wrap-around offset instead of materialising the rolled image).
 *
 * An axis of n pixels is cut into ceil(n / tile) spans of near-equal length (they differ by at most
 * one pixel), so every tile is at least tile / 2 on a tiled axis — never a sliver narrower than the
 * network's smallest input — and ONNX Runtime sees at most four distinct tile shapes per octave.
 */
import type { Planar } from './resize'

/** [start, end) spans covering 0..n, each at most `tile` long. */
export function tileSpans(n: number, tile: number): [number, number][] {
  const k = Math.max(1, Math.ceil(n / tile))
  return Array.from({ length: k }, (_, i) => [Math.round((i * n) / k), Math.round(((i + 1) * n) / k)] as [number, number])
}

export interface Tile {
  /** Rows [y0, y1) and columns [x0, x1) of the image rolled by (dy, dx). */
  y0: number
  y1: number
  x0: number
  x1: number
}

/** Every tile of an (h, w) image, row by row. */
export function tilesOf(h: number, w: number, tile: number): Tile[] {
  return tileSpans(h, tile).flatMap(([y0, y1]) => tileSpans(w, tile).map(([x0, x1]) => ({ y0, y1, x0, x1 })))
}

const mod = (a: number, n: number) => ((a % n) + n) % n

/**
 * Calls `f(imageOffset, tileOffset, length)` for each contiguous run of one tile row in the image: the
 * tile of an image rolled by (dy, dx) (np.roll: rolled[y][x] = img[y − dy][x − dx], wrapping) reads each
 * row as at most two runs, so copying is `set`/`subarray`, not a pixel at a time.
 */
export function forEachRun(img: Planar, t: Tile, dy: number, dx: number, f: (at: number, to: number, n: number) => void): void {
  const { channels: c, height: h, width: w } = img
  const th = t.y1 - t.y0
  const tw = t.x1 - t.x0
  const x = mod(t.x0 - dx, w)
  const first = Math.min(tw, w - x) // up to the image's right edge, then the rest from column 0
  for (let k = 0; k < c; k++) {
    for (let y = 0; y < th; y++) {
      const row = (k * h + mod(t.y0 + y - dy, h)) * w
      const to = (k * th + y) * tw
      f(row + x, to, first)
      if (first < tw) f(row, to + first, tw - first)
    }
  }
}

/** The tile `t` of `img` rolled by (dy, dx), as a fresh (c, y1 − y0, x1 − x0) array. */
export function readTile(img: Planar, t: Tile, dy: number, dx: number): Float32Array {
  const out = new Float32Array(img.channels * (t.y1 - t.y0) * (t.x1 - t.x0))
  forEachRun(img, t, dy, dx, (at, to, n) => out.set(img.data.subarray(at, at + n), to))
  return out
}
