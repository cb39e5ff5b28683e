/**
 * Parameter values for the panel: defaults from the manifest, and coercion of whatever the user typed
 * (or a dropped recipe carried) into a value the engine accepts. Pure: unit-tested in params.test.ts.
 */
import type { ParamValues } from '../../common/contract'
import type { ParamSpec } from '../../common/manifest'

/** The manifest defaults, one value per parameter. */
export function defaultValues(specs: readonly ParamSpec[]): ParamValues {
  const out: ParamValues = {}
  for (const s of specs) out[s.key] = s.default
  return out
}

/** Decimal places worth showing for a float parameter's step (0.01 → 2). */
export function stepOf(spec: ParamSpec): number {
  if (spec.type === 'int') return spec.step ?? 1
  if (spec.type === 'float') return spec.step ?? niceStep((spec.max - spec.min) / 100)
  return 1
}

function niceStep(x: number): number {
  if (!(x > 0)) return 0.01
  return 10 ** Math.floor(Math.log10(x))
}

/**
 * One value made valid for its spec: numbers clamped into [min, max] (ints rounded), an enum value
 * that is not an option and anything unreadable fall back to the default, text is cut to maxLength.
 * `changed` says whether the input had to be altered (restore reports it).
 */
export function coerceParam(spec: ParamSpec, raw: unknown): { value: number | string; changed: boolean } {
  switch (spec.type) {
    case 'int':
    case 'float': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN
      if (!Number.isFinite(n)) return { value: spec.default, changed: true }
      let v = Math.min(spec.max, Math.max(spec.min, n))
      if (spec.type === 'int') v = Math.min(spec.max, Math.max(spec.min, Math.round(v)))
      return { value: v, changed: v !== raw }
    }
    case 'enum': {
      const ok = typeof raw === 'string' && spec.options.includes(raw)
      return ok ? { value: raw, changed: false } : { value: spec.default, changed: true }
    }
    case 'text': {
      if (typeof raw !== 'string') return { value: spec.default, changed: true }
      const v = raw.slice(0, spec.maxLength)
      return { value: v, changed: v !== raw }
    }
  }
}

/**
 * Values for every spec from a possibly foreign set (a recipe from another app version, a half-typed
 * form). Unknown keys are dropped, missing ones get defaults; `notes` says what was adjusted, in words.
 */
export function normalizeParams(
  specs: readonly ParamSpec[],
  values: Record<string, unknown>,
): { values: ParamValues; notes: string[] } {
  const out: ParamValues = {}
  const notes: string[] = []
  for (const s of specs) {
    if (!(s.key in values)) {
      out[s.key] = s.default
      notes.push(`${s.label || s.key}: not in the recipe, using the default ${s.default}`)
      continue
    }
    const { value, changed } = coerceParam(s, values[s.key])
    out[s.key] = value
    if (changed) notes.push(`${s.label || s.key}: ${JSON.stringify(values[s.key])} is not allowed, using ${value}`)
  }
  const known = new Set(specs.map((s) => s.key))
  for (const k of Object.keys(values)) if (!known.has(k)) notes.push(`unknown parameter "${k}" ignored`)
  return { values: out, notes }
}

/** How many images a job with these values makes (the `count` parameter, else 1). */
export function imageCount(values: ParamValues): number {
  const n = Number(values.count ?? 1)
  return Number.isInteger(n) && n > 0 ? n : 1
}

/** What a number field holds: the parsed value, or why it cannot be sent (in words, for under the field). */
export type FieldCheck = { ok: true; value: number } | { ok: false; error: string }

/** Plain decimal notation, with an optional exponent ("0.5", "-2", ".25", "1e3"): what a person types. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/**
 * Check what the user typed into a number field against its spec. Nothing is clamped or rounded: a value
 * the engine would not accept as typed is an error the panel shows, so a job never runs with a value the
 * user did not see.
 */
export function checkNumber(spec: ParamSpec, text: string): FieldCheck {
  if (spec.type !== 'int' && spec.type !== 'float') return { ok: false, error: 'not a number field' }
  const range = `${spec.min} to ${spec.max}`
  const t = text.trim()
  if (t === '') return { ok: false, error: `Enter a ${spec.type === 'int' ? 'whole number' : 'number'} from ${range}` }
  const n = Number(t)
  if (!DECIMAL.test(t) || !Number.isFinite(n)) return { ok: false, error: `“${t}” is not a number: enter one from ${range}` }
  if (spec.type === 'int' && !Number.isInteger(n)) return { ok: false, error: `A whole number from ${range}` }
  if (n < spec.min) return { ok: false, error: `${t} is below the minimum: ${range}` }
  if (n > spec.max) return { ok: false, error: `${t} is above the maximum: ${range}` }
  return { ok: true, value: n }
}

/** Why a text value cannot be sent, or null. A prime is what the model continues: it cannot be empty. */
export function checkText(spec: ParamSpec, text: string): string | null {
  if (spec.type === 'text' && spec.key === 'prime' && text.length === 0) return 'Write a prime: the model continues it'
  return null
}

/** One arrow-key step up or down from a valid value, kept in range (float steps rounded to the step's decimals). */
export function stepNumber(spec: ParamSpec, value: number, dir: 1 | -1): number {
  if (spec.type !== 'int' && spec.type !== 'float') return value
  const step = stepOf(spec)
  const decimals = (String(step).split('.')[1] ?? '').length // 0.25 → 2: no float dust like 0.30000000000000004
  const next = Number((value + dir * step).toFixed(decimals))
  return Math.min(spec.max, Math.max(spec.min, next))
}
