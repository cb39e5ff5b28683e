/**
 * `models [--json]`: what the engine sees in the shipped and user folders, broken ones included with
 * their error (that is how a user learns why a model is missing from the studio).
 */
import type { ModelSummary } from '../common/contract'

/** JSON shape: the summary without the full manifest (params stay: they say what --param takes). */
export function modelsJson(models: ModelSummary[]): string {
  return JSON.stringify(
    models.map(({ manifest: _manifest, ...rest }) => rest),
    null,
    2,
  )
}

/** Plain table: id, family, title; broken models say so on the same line. */
export function modelsTable(models: ModelSummary[]): string {
  if (models.length === 0) return 'no models found'
  const w = (k: 'id' | 'family') => Math.max(k.length, ...models.map((m) => m[k].length))
  const [wi, wf] = [w('id'), w('family')]
  const row = (id: string, fam: string, rest: string) => `${id.padEnd(wi)}  ${fam.padEnd(wf)}  ${rest}`
  return [
    row('id', 'family', 'title'),
    ...models.map((m) => row(m.id, m.family, m.error ? `BROKEN: ${m.error}` : m.title)),
  ].join('\n')
}
