/**
 * Bilinear resize of planar float images, (c, h, w) float32 → (c, h', w'), as PyTorch's
 * `F.interpolate(mode='bilinear', align_corners=False, antialias=True)` does it — the resize of the
 * reference loop `training/dream.py`: half-pixel centres; growing, the two nearest pixels (the last
 * row/column repeated at the border); shrinking by s, a triangle filter s pixels wide (PIL's bilinear),
 * so a photo shrunk for the first octave does not alias.
 *
 * Plain TypeScript rather than an ONNX Resize graph: a 512² RGB resize takes a few ms against ~1 s for
 * one gradient step, it needs no second session or file, and the formula is ours to match PyTorch.
 */

/** A planar float image: `data` is (channels, height, width), row-major. */
export interface Planar {
  data: Float32Array
  channels: number
  height: number
  width: number
}

/** For each output index along one axis: the first source index and the weights from there on. */
interface AxisTaps {
  start: Int32Array
  taps: number
  /** (out, taps), zero-padded past each output's own taps. */
  weights: Float32Array
}

function axisTaps(inSize: number, outSize: number): AxisTaps {
  const scale = inSize / outSize
  if (scale <= 1) {
    // Growing (or same size): the two nearest pixels, source coordinate clamped to [0, in − 1].
    const start = new Int32Array(outSize)
    const weights = new Float32Array(outSize * 2)
    for (let o = 0; o < outSize; o++) {
      const src = Math.max(0, (o + 0.5) * scale - 0.5)
      const lo = Math.min(Math.floor(src), inSize - 1)
      const t = lo + 1 < inSize ? src - lo : 0
      start[o] = lo
      weights[2 * o] = 1 - t
      weights[2 * o + 1] = t
    }
    return { start, taps: 2, weights }
  }
  // Shrinking: triangle of half-width `scale` around each output centre, weights normalised (torch's
  // _compute_indices_min_size_weights_aa for bilinear, interp_size 2).
  const taps = Math.ceil(scale) * 2 + 1
  const start = new Int32Array(outSize)
  const weights = new Float32Array(outSize * taps)
  for (let o = 0; o < outSize; o++) {
    const center = scale * (o + 0.5)
    const lo = Math.max(Math.trunc(center - scale + 0.5), 0)
    const hi = Math.min(Math.trunc(center + scale + 0.5), inSize)
    let total = 0
    for (let j = lo; j < hi; j++) total += Math.max(0, 1 - Math.abs((j - center + 0.5) / scale))
    start[o] = lo
    for (let j = lo; j < hi; j++) weights[o * taps + j - lo] = Math.max(0, 1 - Math.abs((j - center + 0.5) / scale)) / total
  }
  return { start, taps, weights }
}

export function resizeBilinear(src: Planar, height: number, width: number): Planar {
  const { channels: c, height: h, width: w } = src
  if (height === h && width === w) return { ...src, data: src.data.slice() }
  // Width first ((c, h, w) → (c, h, width)), then height ((c, h, width) → (c, height, width)), as torch.
  // Both passes walk memory in row order: the height pass adds whole weighted rows.
  const mid = new Float32Array(c * h * width)
  const xs = axisTaps(w, width)
  for (let row = 0; row < c * h; row++) {
    const i0 = row * w
    const o0 = row * width
    for (let x = 0; x < width; x++) {
      const s0 = i0 + xs.start[x]
      const n = Math.min(xs.taps, w - xs.start[x])
      let v = 0
      for (let j = 0; j < n; j++) v += xs.weights[x * xs.taps + j] * src.data[s0 + j]
      mid[o0 + x] = v
    }
  }
  const out = new Float32Array(c * height * width)
  const ys = axisTaps(h, height)
  for (let k = 0; k < c; k++) {
    for (let y = 0; y < height; y++) {
      const o0 = (k * height + y) * width
      const n = Math.min(ys.taps, h - ys.start[y])
      for (let j = 0; j < n; j++) {
        const wj = ys.weights[y * ys.taps + j]
        if (wj === 0) continue
        const i0 = (k * h + ys.start[y] + j) * width
        for (let x = 0; x < width; x++) out[o0 + x] += wj * mid[i0 + x]
      }
    }
  }
  return { data: out, channels: c, height, width }
}
