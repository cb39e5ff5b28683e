/**
 * Job parameter validation against the manifest's ParamSpecs: defaults filled in, out-of-range and
 * unknown keys refused with a message a user can act on. Numeric strings are accepted for numbers
 * (the CLI's `--param key=value` and URL-ish callers send strings).
 */
import type { ParamValues } from '../common/contract'
import type { ParamSpec } from '../common/manifest'

/** A numeric param as validated by the engine, or `fallback` when the manifest does not declare it. */
export function numParam(values: ParamValues, key: string, fallback: number): number {
  const v = values[key]
  return typeof v === 'number' ? v : fallback
}

export type ParamResult = { ok: true; params: ParamValues; hidden: ParamValues } | { ok: false; error: string }

function one(spec: ParamSpec, raw: unknown): { value: number | string } | { error: string } {
  const name = `parameter "${spec.key}"`
  // Requests come from any client (WebSocket, IPC, CLI): only numbers and strings are values.
  if (typeof raw !== 'number' && typeof raw !== 'string') {
    return { error: `${name} must be ${spec.type === 'int' || spec.type === 'float' ? 'a number' : 'text'}, got ${JSON.stringify(raw) ?? typeof raw}` }
  }
  if (spec.type === 'int' || spec.type === 'float') {
    const v = typeof raw === 'number' ? raw : raw.trim() === '' ? NaN : Number(raw)
    if (!Number.isFinite(v)) return { error: `${name} must be a number, got ${JSON.stringify(raw)}` }
    if (spec.type === 'int' && !Number.isInteger(v)) return { error: `${name} must be a whole number, got ${v}` }
    if (v < spec.min || v > spec.max) return { error: `${name} is ${v}, allowed ${spec.min}…${spec.max}` }
    return { value: v }
  }
  if (typeof raw !== 'string') return { error: `${name} must be text, got ${raw}` }
  if (spec.type === 'enum' && !spec.options.includes(raw)) {
    return { error: `${name} is "${raw}", allowed: ${spec.options.join(', ')}` }
  }
  if (spec.type === 'text' && raw.length > spec.maxLength) {
    return { error: `${name} is ${raw.length} characters long, at most ${spec.maxLength}` }
  }
  return { value: raw }
}

/**
 * `specs` are the manifest's (they go into the recipe); `hiddenSpecs` are engine-only knobs such as
 * the benchmark's `batchSize` (accepted, never recorded: they do not change what is generated).
 */
export function validateParams(specs: ParamSpec[], given: ParamValues | undefined, hiddenSpecs: ParamSpec[] = []): ParamResult {
  const params: ParamValues = {}
  const hidden: ParamValues = {}
  for (const s of specs) params[s.key] = s.default
  if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) {
    return { ok: false, error: `params must be an object of name → value, got ${JSON.stringify(given) ?? typeof given}` }
  }
  const errors: string[] = []
  for (const [key, raw] of Object.entries(given ?? {})) {
    const spec = specs.find((s) => s.key === key)
    const hiddenSpec = spec ? undefined : hiddenSpecs.find((s) => s.key === key)
    if (!spec && !hiddenSpec) {
      const known = specs.map((s) => s.key).join(', ') || 'none'
      errors.push(`unknown parameter "${key}" (this model takes: ${known})`)
      continue
    }
    const r = one((spec ?? hiddenSpec)!, raw)
    if ('error' in r) errors.push(r.error)
    else (spec ? params : hidden)[key] = r.value
  }
  return errors.length ? { ok: false, error: errors.join('; ') } : { ok: true, params, hidden }
}
