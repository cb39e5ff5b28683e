/**
 * Float image tensors → RGBA bytes, shared by every image family (gan now; vae, rbm, deepdream later).
 */

export interface ImageLayout {
  channels: 1 | 3
  height: number
  width: number
  /** Value range of the tensor, e.g. [-1, 1] for tanh outputs. */
  range: [number, number]
}

/**
 * One image out of a (b, C, H, W) float32 batch → (H, W, 4) RGBA, 0..255, alpha 255. Values are
 * mapped linearly from `range`, rounded and clamped; grey (C = 1) is replicated to RGB.
 * Returns a fresh buffer per image: IPC serialisation copies a view's whole ArrayBuffer.
 */
export function imageToRgba(batch: Float32Array, index: number, l: ImageLayout): Uint8Array {
  const { channels: c, height: h, width: w } = l
  const [lo, hi] = l.range
  const scale = 255 / (hi - lo)
  const plane = h * w
  const base = index * c * plane
  const out = new Uint8Array(plane * 4)
  for (let p = 0; p < plane; p++) {
    for (let k = 0; k < 3; k++) {
      const v = Math.round((batch[base + (c === 3 ? k : 0) * plane + p] - lo) * scale)
      out[p * 4 + k] = v < 0 ? 0 : v > 255 ? 255 : v // NaN → 0 via Uint8Array store
    }
    out[p * 4 + 3] = 255
  }
  return out
}
