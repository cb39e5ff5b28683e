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
 * The tile of `img` rolled by (dy, dx) (np.roll semantics: rolled[y][x] = img[y − dy][x − dx], wrapping),
 * as a fresh (c, y1 − y0, x1 − x0) array.
 */
export function readTile(img: Planar, t: Tile, dy: number, dx: number): Float32Array {
  const { channels: c, height: h, width: w } = img
  const th = t.y1 - t.y0
  const tw = t.x1 - t.x0
  const out = new Float32Array(c * th * tw)
  const cols = Int32Array.from({ length: tw }, (_, x) => mod(t.x0 + x - dx, w))
  let o = 0
  for (let k = 0; k < c; k++) {
    for (let y = 0; y < th; y++) {
      const row = k * h * w + mod(t.y0 + y - dy, h) * w
      for (let x = 0; x < tw; x++) out[o++] = img.data[row + cols[x]]
    }
  }
  return out
}

/** Add a tile's values (c, th, tw) back where `readTile` took them from, into `into` (c, h, w). */
export function addTile(into: Planar, t: Tile, dy: number, dx: number, values: Float32Array): void {
  const { channels: c, height: h, width: w } = into
  const th = t.y1 - t.y0
  const tw = t.x1 - t.x0
  const cols = Int32Array.from({ length: tw }, (_, x) => mod(t.x0 + x - dx, w))
  let o = 0
  for (let k = 0; k < c; k++) {
    for (let y = 0; y < th; y++) {
      const row = k * h * w + mod(t.y0 + y - dy, h) * w
      for (let x = 0; x < tw; x++) into.data[row + cols[x]] += values[o++]
    }
  }
}
