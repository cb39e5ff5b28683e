/**
 * What the parameter panel edits: one value per manifest param of the selected model, plus the seed
 * (kept as text so a half-typed seed does not jump). Values are remembered per model while the
 * user switches between models.
 */
import type { ParamValues } from '../../common/contract'
import type { ParamSpec } from '../../common/manifest'
import { coerceParam, defaultValues, normalizeParams } from '../lib/params'
import { parseSeed, randomSeed } from '../lib/seed'

export class ParamForm {
  #modelId = $state<string | null>(null)
  #specs = $state.raw<ParamSpec[]>([])
  #values = $state<ParamValues>({})
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
  }

  get(key: string): number | string {
    return this.#values[key]
  }

  /** Store what the control holds (possibly out of range while typing); null/NaN are ignored. */
  set(key: string, v: number | string | null | undefined): void {
    if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return
    this.#values[key] = v
  }

  /** Clamp one value into its spec (on change/blur of its control). */
  commit(key: string): void {
    const spec = this.#specs.find((s) => s.key === key)
    if (spec) this.#values[key] = coerceParam(spec, this.#values[key]).value
  }

  setSeed(seed: number): void {
    this.#seedText = String(seed)
  }

  randomizeSeed(): void {
    this.#seedText = String(randomSeed())
  }

  /** All values made valid (and written back, so the panel shows what is sent). */
  snapshot(): ParamValues {
    const out: ParamValues = {}
    for (const s of this.#specs) out[s.key] = coerceParam(s, this.#values[s.key]).value
    this.#values = { ...out }
    return out
  }
}
