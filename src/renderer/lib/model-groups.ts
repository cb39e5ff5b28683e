/** The model browser's sections: one per family, in a stable order, usable models first. */
import type { ModelSummary } from '../../common/contract'

export interface ModelGroup {
  family: ModelSummary['family']
  label: string
  models: ModelSummary[]
}

/** Display names, in browser order. A Record over the family type, so a new family fails to compile here. */
const LABELS: Record<ModelSummary['family'], string> = {
  gan: 'GAN',
  vae: 'VAE',
  vaegan: 'VAE-GAN',
  rbm: 'RBM',
  deepdream: 'DeepDream',
  'char-lstm': 'Char-LSTM',
  wavenet: 'WaveNet',
  'music-lstm': 'Music LSTM',
  unknown: 'Unreadable',
}

export function familyLabel(f: ModelSummary['family']): string {
  return LABELS[f] ?? f
}

const ORDER = Object.keys(LABELS) as ModelSummary['family'][]

/** Families in LABELS order ('unknown' last), each sorted usable-first, then by title. */
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
