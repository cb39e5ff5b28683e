/** The installed models and which one the panel is for. Broken models are listed but never selected. */
import type { ModelSummary } from '../../common/contract'
import { firstUsable, groupByFamily } from '../lib/model-groups'

export class Catalog {
  #models = $state.raw<ModelSummary[]>([])
  #selectedId = $state<string | null>(null)
  #loaded = $state(false)

  groups = $derived(groupByFamily(this.#models))
  selected = $derived(this.#models.find((m) => m.id === this.#selectedId && !m.error) ?? null)

  get models(): readonly ModelSummary[] {
    return this.#models
  }

  get loaded(): boolean {
    return this.#loaded
  }

  /** Replace the list; keeps the selection when that model is still usable. */
  set(models: ModelSummary[]): void {
    this.#models = models
    this.#loaded = true
    const keep = models.find((m) => m.id === this.#selectedId && !m.error)
    if (!keep) this.#selectedId = firstUsable(models)?.id ?? null
  }

  find(id: string): ModelSummary | undefined {
    return this.#models.find((m) => m.id === id)
  }

  /** Select a usable model; returns false (and changes nothing) for a broken or unknown id. */
  select(id: string): boolean {
    const m = this.find(id)
    if (!m || m.error) return false
    this.#selectedId = id
    return true
  }
}
