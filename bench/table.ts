/** The bench's printed table: each record beside its PyTorch eager baseline and the speed-up. */
import type { BenchRecord } from './record'

const LOWER_IS_BETTER = new Set(['ms', 's', 'µs'])

/** How many times better than the baseline (>1 = we win), whichever direction the unit counts. */
export function speedup(r: BenchRecord): number | null {
  if (!r.baseline || !(r.baseline.value > 0) || !(r.value > 0)) return null
  return LOWER_IS_BETTER.has(r.unit) ? r.baseline.value / r.value : r.value / r.baseline.value
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)
}

/** Plain-text table, one row per record. */
export function formatTable(records: BenchRecord[]): string {
  const rows = [['benchmark', 'value', 'unit', 'torch-eager', 'vs torch']]
  for (const r of records) {
    const x = speedup(r)
    rows.push([r.name, fmt(r.value), r.unit, r.baseline ? fmt(r.baseline.value) : '—', x === null ? '—' : `${x.toFixed(2)}×`])
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)))
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}
