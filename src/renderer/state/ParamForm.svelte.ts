/**
 * What the parameter panel edits: one value per manifest param of the selected model, plus the seed.
 * Number fields and the seed are kept as the text the user typed (a cleared or half-typed field stays
 * as it is); a value that is not valid as typed is shown as an error and blocks Generate, never clamped
 * behind the user's back. Values are remembered per model while the user switches between models.
 */
import type { ParamValues } from '../../common/contract'
import type { ParamSpec } from '../../common/manifest'
import { checkNumber, checkText, coerceParam, defaultValues, normalizeParams } from '../lib/params'
import { parseSeed, randomSeed } from '../lib/seed'

export class ParamForm {
  #modelId = $state<string | null>(null)
  #specs = $state.raw<ParamSpec[]>([])
  #values = $state<ParamValues>({})
  /** Number fields as typed (key → text); #values holds the last valid number of each. */
  #texts = $state<Record<string, string>>({})
  #seedText = $state(String(randomSeed()))
  #memory = new Map<string, ParamValues>()

  /** The parsed seed, or null while the field holds something that is not a uint32. */
  seed = $derived(parseSeed(this.#seedText))

  get modelId(): string | null {
    return this.#modelId
  }

  get specs(): readonly ParamSpec[] {
    return this.#specs
  }

  get seedText(): string {
    return this.#seedText
  }

  set seedText(v: string) {
    this.#seedText = v
  }

  /**
   * Show a model's params: `values` when given (a restored recipe), else what the user last had for
   * it, else the manifest defaults.
   */
  load(modelId: string, specs: ParamSpec[], values?: ParamValues): void {
    if (this.#modelId) this.#memory.set(this.#modelId, $state.snapshot(this.#values))
    this.#modelId = modelId
    this.#specs = specs
    const base = values ?? this.#memory.get(modelId) ?? defaultValues(specs)
    this.#values = normalizeParams(specs, base).values
    this.#texts = {}
    for (const s of specs) if (s.type === 'int' || s.type === 'float') this.#texts[s.key] = String(this.#values[s.key])
  }

  get(key: string): number | string {
    return this.#values[key]
  }

  /** Set a value (a slider, a select, a key of the keyboard); a number field then shows it. null/NaN are ignored. */
  set(key: string, v: number | string | null | undefined): void {
    if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return
    this.#values[key] = v
    if (key in this.#texts) this.#texts[key] = String(v)
  }

  /** What a number field shows: the text as typed. */
  text(key: string): string {
    return this.#texts[key] ?? String(this.#values[key] ?? '')
  }

  /** The user typed into a number field: keep the text; a valid value also moves its slider. */
  setText(key: string, text: string): void {
    this.#texts[key] = text
    const spec = this.#specs.find((s) => s.key === key)
    const c = spec ? checkNumber(spec, text) : null
    if (c?.ok) this.#values[key] = c.value
  }

  /** Why this field's value cannot be sent, in words, or null. */
  error(key: string): string | null {
    const spec = this.#specs.find((s) => s.key === key)
    if (!spec) return null
    if (spec.type === 'int' || spec.type === 'float') {
      const c = checkNumber(spec, this.text(key))
      return c.ok ? null : c.error
    }
    return checkText(spec, String(this.#values[key] ?? ''))
  }

  /** The first thing that stops a job from starting ("Images: …"), or null when every field is valid. */
  get problem(): string | null {
    for (const s of this.#specs) {
      const e = this.error(s.key)
      if (e) return `${s.label || s.key}: ${e}`
    }
    return this.seed === null ? 'Seed: a whole number from 0 to 4294967295' : null
  }

  setSeed(seed: number): void {
    this.#seedText = String(seed)
  }

  randomizeSeed(): void {
    this.#seedText = String(randomSeed())
  }

  /**
   * The values to send. When `problem` is null they are exactly what the panel shows; callers that start
   * a job check `problem` first (a field being edited holds its last valid value here).
   */
  snapshot(): ParamValues {
    const out: ParamValues = {}
    for (const s of this.#specs) out[s.key] = coerceParam(s, this.#values[s.key]).value
    return out
  }
}
