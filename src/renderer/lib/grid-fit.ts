/**
 * How big the image grid's tiles are. "Fit" shows every image of the job in the visible pane when that
 * leaves tiles at least MIN_TILE px (else rows scroll); small/medium/large are fixed sizes. Sizes above
 * an image's own size snap to a whole multiple of it (64 px → 128, 192, 256): nearest-neighbour pixels
 * stay square and sharp. Pure: unit-tested in grid-fit.test.ts.
 */

export type ThumbSize = 'fit' | 'small' | 'medium' | 'large'
export const THUMB_SIZES: readonly ThumbSize[] = ['fit', 'small', 'medium', 'large']

/** CSS px a fixed size aims for (then snapped to a multiple of the image's width). */
const TARGET: Record<Exclude<ThumbSize, 'fit'>, number> = { small: 72, medium: 144, large: 256 }
/** Below this a tile says too little: the grid scrolls instead. */
export const MIN_TILE = 48
/** "Fit" never blows an image up past this factor (a 64-px emoji at 4× is 256 px). */
export const MAX_FIT_SCALE = 4

/** The largest whole multiple of `native` that is ≤ px; px itself (whole) when below one multiple. */
export function snapToNative(px: number, native: number): number {
  if (!(native > 0) || px < native) return Math.floor(px)
  return Math.floor(px / native) * native
}

export interface GridFit {
  /** Tile side in CSS px. */
  tile: number
  cols: number
}

/**
 * Tiles for `n` images of `native` px in a pane `width` × `height` (CSS px, inside its padding), with
 * `gap` px between tiles.
 */
export function gridFit(n: number, width: number, height: number, native: number, size: ThumbSize, gap: number): GridFit {
  const count = Math.max(1, n)
  const colsFor = (tile: number) => Math.max(1, Math.min(count, Math.floor((width + gap) / (tile + gap))))
  if (size !== 'fit') {
    const tile = Math.max(1, Math.min(snapToNative(TARGET[size], native), Math.floor(width)))
    return { tile, cols: colsFor(tile) }
  }
  // Every column count: the biggest tile for which all rows fit both ways.
  let best = { tile: 0, cols: 1 }
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols)
    const side = Math.min((width - gap * (cols - 1)) / cols, (height - gap * (rows - 1)) / rows)
    if (side > best.tile) best = { tile: side, cols }
  }
  const tile = snapToNative(Math.min(best.tile, native * MAX_FIT_SCALE), native)
  if (tile < MIN_TILE) {
    const t = Math.min(MIN_TILE, Math.floor(width))
    return { tile: t, cols: colsFor(t) }
  }
  return { tile, cols: best.cols }
}
