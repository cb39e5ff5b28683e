/**
 * One gradient-ascent update of the classic recipe (Keras `deep_dream.py`, Mordvintsev's notebook):
 * the whole image's gradient is divided by its mean absolute value, so `stepSize` is in units of the
 * input range whatever the layer mix, and the image is kept inside the range the network was fed.
 */

/** Smallest mean |g| divided by (Keras: K.maximum(K.mean(K.abs(grads)), 1e-7)). */
const EPS = 1e-7

/** img += stepSize · grad / mean|grad|, clipped to [lo, hi]; img and grad are (1, 3, h, w). Returns mean|grad|. */
export function ascend(img: Float32Array, grad: Float32Array, stepSize: number, [lo, hi]: readonly [number, number]): number {
  let sum = 0
  for (let i = 0; i < grad.length; i++) sum += Math.abs(grad[i])
  const mean = sum / grad.length
  const k = stepSize / Math.max(mean, EPS)
  for (let i = 0; i < img.length; i++) {
    const v = img[i] + k * grad[i]
    img[i] = v < lo ? lo : v > hi ? hi : v
  }
  return mean
}

/** a + b − c elementwise into a fresh array (detail re-injection: dream + (photo − blurred photo)). */
export function addDifference(a: Float32Array, b: Float32Array, c: Float32Array): Float32Array {
  const out = new Float32Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i] - c[i]
  return out
}
