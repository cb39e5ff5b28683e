/**
 * The inpainting canvas's pixel work, pure (unit-tested in inpaint.test.ts): brush dabs and strokes on a
 * size×size bit grid, a picture (the engine's RGBA thumbnail of a dropped file, or a generated tile) read
 * as the model will read it (common/inpaint-digit.ts), and bits ↔ the PNG a job carries.
 */
import { binarize, centreDigit, luma } from '../../common/inpaint-digit'
import { encodePng, type Deflate } from '../../common/png'

/** (size, size) row-major, 1 = set (ink in the drawing, "repaint" in the mask). */
export type Bits = Uint8Array

/** Cells a round brush of `radius` cells covers around (x, y), clipped to the grid (radius 0: one cell). */
export function dab(x: number, y: number, radius: number, size: number): number[] {
  const out: number[] = []
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const [cx, cy] = [x + dx, y + dy]
      if (dx * dx + dy * dy <= radius * radius + radius && cx >= 0 && cy >= 0 && cx < size && cy < size) out.push(cy * size + cx)
    }
  }
  return out
}

/** `bits` with the brush dragged from (x0, y0) to (x1, y1) (every cell on the way) set to `value`. */
export function stroke(bits: Bits, size: number, from: [number, number], to: [number, number], radius: number, value: 0 | 1): Bits {
  const out = bits.slice()
  const n = Math.max(Math.abs(to[0] - from[0]), Math.abs(to[1] - from[1]), 1)
  for (let k = 0; k <= n; k++) {
    const x = Math.round(from[0] + ((to[0] - from[0]) * k) / n)
    const y = Math.round(from[1] + ((to[1] - from[1]) * k) / n)
    for (const p of dab(x, y, radius, size)) out[p] = value
  }
  return out
}

/**
 * An RGBA picture (h, w, 4) of any size → bits as the model reads it: area-averaged down to fit
 * size×size, grey, centred, inverted when its ground is light (not for a mask: `invert` false), binary.
 * The engine reads a file the job carries the same way after its own (Lanczos) downscale, so the studio
 * sends these bits as a size×size PNG: what is drawn is what is clamped.
 */
export function readPicture(rgba: Uint8Array, w: number, h: number, size: number, invert?: boolean): { bits: Bits; inverted: boolean } {
  const s = Math.min(1, size / Math.max(w, h))
  const [tw, th] = [Math.max(1, Math.round(w * s)), Math.max(1, Math.round(h * s))]
  const grey = new Float32Array(tw * th) // (th, tw): the mean of the source pixels whose centres fall in each cell
  for (let y = 0; y < th; y++) {
    const [y0, y1] = [Math.floor((y * h) / th), Math.max(Math.floor((y * h) / th) + 1, Math.floor(((y + 1) * h) / th))]
    for (let x = 0; x < tw; x++) {
      const [x0, x1] = [Math.floor((x * w) / tw), Math.max(Math.floor((x * w) / tw) + 1, Math.floor(((x + 1) * w) / tw))]
      let sum = 0
      for (let sy = y0; sy < y1; sy++) for (let sx = x0; sx < x1; sx++) {
        const p = 4 * (sy * w + sx)
        sum += luma(rgba[p], rgba[p + 1], rgba[p + 2]) / 255
      }
      grey[y * tw + x] = sum / ((y1 - y0) * (x1 - x0))
    }
  }
  const d = centreDigit(grey, tw, th, size, invert)
  return { bits: Uint8Array.from(binarize(d.grey)), inverted: d.inverted }
}

/** Bits as opaque RGBA, white where set (MNIST's white strokes on black; a mask's white = repaint). */
export function bitsToRgba(bits: Bits): Uint8Array {
  const out = new Uint8Array(bits.length * 4)
  for (let p = 0; p < bits.length; p++) out.set(bits[p] ? [255, 255, 255, 255] : [0, 0, 0, 255], 4 * p)
  return out
}

/** The size×size PNG a job carries for these bits (a few hundred bytes: it rides inside the recipe). */
export const bitsToPng = (bits: Bits, size: number, deflate: Deflate): Promise<Uint8Array> => encodePng(bitsToRgba(bits), size, size, {}, deflate)

export const count = (bits: Bits): number => bits.reduce((n, b) => n + b, 0)

/** Same bytes (a slot holds the PNG this canvas last sent, or another one to read). */
export const sameBytes = (a: Uint8Array | null, b: Uint8Array | null): boolean => !!a && !!b && a.length === b.length && a.every((v, i) => v === b[i])
