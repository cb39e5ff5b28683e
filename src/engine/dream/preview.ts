/**
 * The frames a Deep Dream job shows: planar (3, h, w) float images in the graph's input range → RGBA
 * bytes. A preview streams after every step, so it must cost little beside a gradient (~60–600 ms): an
 * octave that fits the preview side is shown at its own size (the pane scales it to fit, as it does the
 * photo) instead of being resized up to it, and the bytes are written one channel plane at a time.
 */
import { previewSize } from './plan'
import { resizeBilinear, type Planar } from './resize'

/**
 * (3, h, w) in [lo, hi] → (h, w, 4) RGBA, 0..255 (Math.round((v − lo) · 255 / (hi − lo)), clamped; alpha
 * 255): the same bytes as families/image.ts imageToRgba, in one sequential pass per channel.
 */
export function planarToRgba(img: Planar, [lo, hi]: readonly [number, number]): Uint8Array {
  const plane = img.height * img.width
  const scale = 255 / (hi - lo)
  const out = new Uint8Array(plane * 4).fill(255)
  for (let k = 0; k < 3; k++) {
    const src = img.data.subarray((img.channels === 3 ? k : 0) * plane, (img.channels === 3 ? k + 1 : 1) * plane)
    for (let p = 0, o = k; p < plane; p++, o += 4) {
      const v = Math.round((src[p] - lo) * scale)
      out[o] = v < 0 ? 0 : v > 255 ? 255 : v // NaN → 0 via the Uint8Array store
    }
  }
  return out
}

/** A preview frame of `img`: itself when its longest side is at most `maxSide`, else shrunk to fit it. */
export function previewFrame(img: Planar, maxSide: number, range: readonly [number, number]): { width: number; height: number; rgba: Uint8Array } {
  const [h, w] = previewSize(img.height, img.width, maxSide)
  const shown = h === img.height && w === img.width ? img : resizeBilinear(img, h, w)
  return { width: shown.width, height: shown.height, rgba: planarToRgba(shown, range) }
}
