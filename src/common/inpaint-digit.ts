/**
 * A picture as an MNIST-style model sees it, for inpainting (RBM): grey, centred on a size×size square,
 * light strokes on a dark ground (a dark-on-light scan is inverted), binary. Pure TS: the engine reads a
 * job's `image`/`mask` inputs with it, and the studio's drawing canvas turns a dropped picture into the
 * very 28×28 drawing a job will carry.
 */

/** Rec. 601 luma of sRGB code values in [0, 1] (what "grey" means for a photo of a digit). */
export const luma = (r: number, g: number, b: number): number => 0.299 * r + 0.587 * g + 0.114 * b

/**
 * A pixel is ink (or, in a mask, "repaint here") from this grey value up: MNIST's 0.5, nudged above the
 * grey #808080 (0.502) that transparent parts of a picture are flattened onto (engine/image-input.ts),
 * so a drawing on a transparent sheet reads its sheet as ground, not ink.
 */
export const INK = 0.51

export interface Digit {
  /** (size, size) row-major in [0, 1]: the picture centred, light on dark, padding 0. */
  grey: Float32Array
  /** The picture's ground was light (median ≥ INK) and it was inverted. */
  inverted: boolean
}

/**
 * `grey` (h, w) row-major in [0, 1], h and w ≤ size (resizing is the caller's: sharp in the engine,
 * area averaging in the studio) → a Digit. `invert`: undefined decides by the ground (a white sheet
 * with a pen stroke is inverted); a mask passes false (white there means "repaint", not paper).
 */
export function centreDigit(grey: Float32Array, w: number, h: number, size: number, invert?: boolean): Digit {
  if (w > size || h > size || grey.length !== w * h) throw new Error(`centreDigit: ${w}×${h} (${grey.length} values) does not fit ${size}×${size}`)
  // The ground is what most pixels are: the median, not the mean, so thick strokes do not tip it.
  const median = grey.length ? Float32Array.from(grey).sort()[grey.length >> 1] : 0
  const inverted = invert ?? median >= INK
  const out = new Float32Array(size * size)
  const [x0, y0] = [(size - w) >> 1, (size - h) >> 1]
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = grey[y * w + x]
      out[(y0 + y) * size + x0 + x] = inverted ? 1 - v : v
    }
  }
  return { grey: out, inverted }
}

/** 1 where `grey` ≥ INK, else 0. */
export const binarize = (grey: Float32Array): Float32Array => grey.map((v) => (v >= INK ? 1 : 0))
