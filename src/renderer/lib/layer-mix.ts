/**
 * Deep Dream's layer mix as text ("mixed3:1, mixed4:0.5": a bare name weighs 1, unnamed layers 0) ⇄ one
 * weight per layer, for the panel's sliders. The engine parses the same text (engine/dream/plan.ts
 * `parseLayerMix`) and is the judge: this reads what it can and says what it cannot, in the same words.
 * Pure: unit-tested in layer-mix.test.ts.
 */

export type LayerMix = { ok: true; weights: number[] } | { ok: false; error: string }

/** The text's weights in `layers` order, or why it cannot be read. */
export function readLayerMix(text: string, layers: readonly string[]): LayerMix {
  const weights = layers.map(() => 0)
  const seen = new Set<string>()
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9_]+)\s*(?::\s*(\S+))?$/.exec(item)
    if (!m) return { ok: false, error: `"${item}" is not "name" or "name:weight"` }
    const i = layers.indexOf(m[1])
    if (i < 0) return { ok: false, error: `"${m[1]}" is not a layer of this model (it has: ${layers.join(', ')})` }
    if (seen.has(m[1])) return { ok: false, error: `"${m[1]}" is named twice` }
    seen.add(m[1])
    const v = m[2] === undefined ? 1 : Number(m[2])
    if (!Number.isFinite(v)) return { ok: false, error: `the weight of ${m[1]} must be a number, got "${m[2]}"` }
    weights[i] = v
  }
  return { ok: true, weights }
}

/** Weights back to text: the layers that count, in model order ("mixed3:1,mixed4:0.5"). */
export function writeLayerMix(weights: readonly number[], layers: readonly string[]): string {
  return layers
    .flatMap((name, i) => (weights[i] ? [`${name}:${+weights[i].toFixed(2)}`] : []))
    .join(',')
}
