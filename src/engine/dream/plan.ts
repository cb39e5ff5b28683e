/**
 * What a Deep Dream job will do, worked out before any pixel moves: the layer weights fed to the
 * gradient graph, the octave sizes, and the preview size. Each refusal is a message for the user.
 */

/**
 * "mixed3:1, mixed4:0.5" (a bare name means weight 1) → one weight per graph layer, in `layers` order:
 * the graph's `weights` input (n,) float32. Unnamed layers get 0.
 */
export function parseLayerMix(text: string, layers: readonly string[], maxWeight = 10): Float32Array {
  const weights = new Float32Array(layers.length)
  const seen = new Set<string>()
  const items = text.split(',').map((s) => s.trim()).filter(Boolean)
  if (items.length === 0) throw new Error(`layers is empty: name one or more of ${layers.join(', ')} (e.g. "${layers[Math.min(3, layers.length - 1)]}:1")`)
  for (const item of items) {
    const m = /^([A-Za-z0-9_]+)\s*(?::\s*(\S+))?$/.exec(item)
    if (!m) throw new Error(`layers: "${item}" is not "name" or "name:weight"`)
    const [, name, w] = m
    const i = layers.indexOf(name)
    if (i < 0) throw new Error(`layers: "${name}" is not a layer of this model (it has: ${layers.join(', ')})`)
    if (seen.has(name)) throw new Error(`layers: "${name}" is named twice`)
    seen.add(name)
    const v = w === undefined ? 1 : Number(w)
    if (!Number.isFinite(v) || Math.abs(v) > maxWeight) throw new Error(`layers: the weight of ${name} must be a number from -${maxWeight} to ${maxWeight}, got "${w}"`)
    weights[i] = v
  }
  if (weights.every((v) => v === 0)) throw new Error('layers: every weight is 0, so nothing would change')
  return weights
}

/**
 * Octave sizes, smallest first, ending at the photo's own size: octave i (counted down from the photo)
 * is its size / scale^i, rounded (the Keras example's `successive_shapes`). Octaves whose short side
 * would fall under `minSide` are left out, `dropped` says how many; the photo's own size always runs
 * (as training/dream.py: a photo under `minSide` still gets one octave, if the graph takes it).
 */
export function octaveShapes(height: number, width: number, octaves: number, scale: number, minSide: number): { shapes: [number, number][]; dropped: number } {
  const shapes: [number, number][] = []
  for (let i = 0; i < octaves; i++) {
    const h = Math.round(height / scale ** i)
    const w = Math.round(width / scale ** i)
    if (i > 0 && Math.min(h, w) < minSide) break
    shapes.push([h, w])
  }
  return { shapes: shapes.reverse(), dropped: octaves - shapes.length }
}

/** The preview's size: the result's aspect, longest side at most `max`. */
export function previewSize(height: number, width: number, max: number): [number, number] {
  const s = Math.min(1, max / Math.max(height, width))
  return [Math.max(1, Math.round(height * s)), Math.max(1, Math.round(width * s))]
}
