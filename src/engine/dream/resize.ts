/**
 * Bilinear resize of planar float images, (c, h, w) float32 → (c, h', w'), the way PyTorch's
 * `F.interpolate(mode='bilinear', align_corners=False)` (and TF's `resize` without antialiasing) does
 * it: half-pixel centres, source coordinates below 0 clamped to 0, the last row/column repeated.
 *
 * Plain TypeScript rather than an ONNX Resize graph: a 512² RGB resize is ~3 ms here against ~1 s for
 * one gradient step, it needs no second session or file, and the formula is ours to match the Python
 * reference loop (training/dream.py) exactly.
 */

/** A planar float image: `data` is (channels, height, width), row-major. */
export interface Planar {
  data: Float32Array
  channels: number
  height: number
  width: number
}

/** Per output index: left source index, right source index, weight of the right one. */
function axis(inSize: number, outSize: number): { i0: Int32Array; i1: Int32Array; t: Float32Array } {
  const scale = inSize / outSize
  const i0 = new Int32Array(outSize)
  const i1 = new Int32Array(outSize)
  const t = new Float32Array(outSize)
  for (let o = 0; o < outSize; o++) {
    const src = Math.max(0, (o + 0.5) * scale - 0.5)
    const lo = Math.min(Math.floor(src), inSize - 1)
    i0[o] = lo
    i1[o] = Math.min(lo + 1, inSize - 1)
    t[o] = src - lo
  }
  return { i0, i1, t }
}

export function resizeBilinear(src: Planar, height: number, width: number): Planar {
  const { channels: c, height: h, width: w } = src
  if (height === h && width === w) return { ...src, data: src.data.slice() }
  const ys = axis(h, height)
  const xs = axis(w, width)
  const out = new Float32Array(c * height * width)
  for (let k = 0; k < c; k++) {
    const plane = src.data.subarray(k * h * w, (k + 1) * h * w)
    let o = k * height * width
    for (let y = 0; y < height; y++) {
      const r0 = ys.i0[y] * w
      const r1 = ys.i1[y] * w
      const ty = ys.t[y]
      for (let x = 0; x < width; x++) {
        const a = xs.i0[x]
        const b = xs.i1[x]
        const tx = xs.t[x]
        const top = plane[r0 + a] + (plane[r0 + b] - plane[r0 + a]) * tx
        const bottom = plane[r1 + a] + (plane[r1 + b] - plane[r1 + a]) * tx
        out[o++] = top + (bottom - top) * ty
      }
    }
  }
  return { data: out, channels: c, height, width }
}
