/** One benchmark result as `npm run bench -- --json FILE` writes it (the file holds an array of these). */
export interface BenchRecord {
  /** Dotted name, e.g. `gan.images_per_s.b16`. */
  name: string
  value: number
  /** `images/s` (higher is better) or `ms` (lower is better). */
  unit: string
  /** The same work in PyTorch eager on the same machine, measured in the same bench run. */
  baseline?: { name: 'torch-eager'; value: number }
}

/** Median of a non-empty list (the middle run: one slow run, e.g. a training step on the shared CPU, cannot move it). */
export function median(xs: number[]): number {
  if (!xs.length) throw new Error('median of nothing')
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
