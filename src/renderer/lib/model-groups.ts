/** The model browser's sections: one per family, in a stable order, usable models first. */
import type { ModelSummary } from '../../common/contract'
import { FAMILY_INFO, familyLabel } from '../../common/modality'

export interface ModelGroup {
  family: ModelSummary['family']
  label: string
  models: ModelSummary[]
}

/** Browser order: FAMILY_INFO's (the manifest schema's), unreadable models last. */
const ORDER = [...Object.keys(FAMILY_INFO), 'unknown'] as ModelSummary['family'][]

/** Families in browser order, each sorted usable-first, then by title. */
export function groupByFamily(models: readonly ModelSummary[]): ModelGroup[] {
  const groups: ModelGroup[] = []
  for (const family of ORDER) {
    const ms = models.filter((m) => m.family === family)
    if (ms.length === 0) continue
    ms.sort((a, b) => Number(!!a.error) - Number(!!b.error) || a.title.localeCompare(b.title))
    groups.push({ family, label: familyLabel(family), models: ms })
  }
  return groups
}

/** The model to select when nothing is: the first usable one in browser order. */
export function firstUsable(models: readonly ModelSummary[]): ModelSummary | null {
  for (const g of groupByFamily(models)) for (const m of g.models) if (!m.error) return m
  return null
}
