/**
 * A modality is what a family makes — images, text, sound — and the unit a family plugs into. This is
 * the one map from family to modality; every layer keeps one module per modality in a
 * `Record<Modality, …>` registry, so adding a modality to MODALITIES makes the compiler list what it
 * must fill in (README, "Adding a family"):
 *   engine runner   src/engine/families/index.ts     FAMILY_RUNNERS (per family)
 *   file codec      src/common/codecs/index.ts        CODECS: encode, read recipe, item recipe
 *   CLI output      src/cli/outputs.ts                CLI_OUTPUTS: collect, write (info reads CODECS)
 *   renderer        src/renderer/state/modalities.ts  job state, actions, restore
 *                   src/renderer/components/modality-views.ts  pane, history item
 * Type-only imports: the renderer keeps this in its startup chunk.
 */
import type { JobPart } from './contract'
import type { Family } from './manifest'

export const MODALITIES = ['image', 'text', 'audio', 'music'] as const
export type Modality = (typeof MODALITIES)[number]

/**
 * Each family's name in the model browser (this order) and what it makes. `null`: the manifest schema
 * knows the family but no modality is built for it yet. Deep Dream makes images: a PNG with its recipe, its steps streamed as chain frames of
 * one tile; the photo it takes is a job input (`ModelSummary.inputs`), which any modality may have.
 */
export const FAMILY_INFO: Record<Family, {
  label: string
  modality: Modality | null
  /** Its latent space can be explored (interpolate, breed: common/explore.ts); `encode`: it also reads your images. */
  explore?: { encode: boolean }
}> = {
  gan: { label: 'GAN', modality: 'image', explore: { encode: false } },
  vae: { label: 'VAE', modality: 'image', explore: { encode: true } },
  vaegan: { label: 'VAE-GAN', modality: 'image', explore: { encode: true } },
  rbm: { label: 'RBM', modality: 'image' },
  deepdream: { label: 'DeepDream', modality: 'image' },
  'char-lstm': { label: 'Char-LSTM', modality: 'text' },
  wavenet: { label: 'WaveNet', modality: 'audio' },
  'music-lstm': { label: 'Music LSTM', modality: 'music' },
}

/** What a family makes; null for an unknown family or one not built yet. */
export function modalityOf(family: string | undefined): Modality | null {
  return FAMILY_INFO[family as Family]?.modality ?? null
}

/** Whether a family's latent space can be explored, and whether it encodes images too (FAMILY_INFO.explore). */
export function latentExplore(family: string | undefined): { encode: boolean } | null {
  return FAMILY_INFO[family as Family]?.explore ?? null
}

/** The model browser's name for a family ('unknown': a model whose manifest could not be read). */
export function familyLabel(family: string): string {
  return family === 'unknown' ? 'Unreadable' : (FAMILY_INFO[family as Family]?.label ?? family)
}

/** Facts about each modality that more than one layer needs. */
export const MODALITY_INFO: Record<Modality, {
  /** The param that says how many items a job makes (the CLI's `--count`); item i uses seed + i. */
  countParam: string
  /** Its files, by extension (lower case, the one written first): browsers often give .md no MIME type. */
  extensions: readonly string[]
}> = {
  // GIF: an interpolation strip's animation (common/gif.ts), its recipe in a comment.
  image: { countParam: 'count', extensions: ['png', 'gif'] },
  text: { countParam: 'drafts', extensions: ['md', 'txt', 'markdown'] },
  audio: { countParam: 'voices', extensions: ['wav'] },
  // One piece per job (no count param: `--count` is refused by the engine as an unknown parameter).
  music: { countParam: 'pieces', extensions: ['mid', 'midi'] },
}

/** The modality whose files end like `name`, else null. */
export function modalityOfFileName(name: string): Modality | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1].toLowerCase()
  return MODALITIES.find((m) => ext !== undefined && MODALITY_INFO[m].extensions.includes(ext)) ?? null
}

/** Every extension the studio opens (one Open… and one drop target for all), in MODALITIES order. */
export const OPEN_EXTENSIONS: readonly string[] = MODALITIES.flatMap((m) => MODALITY_INFO[m].extensions)

/** ".png, .md, .txt, .markdown or .wav": the files Open… and a drop take, in words. */
export function openableList(): string {
  const e = OPEN_EXTENSIONS.map((x) => `.${x}`)
  return e.length > 1 ? `${e.slice(0, -1).join(', ')} or ${e.at(-1)}` : e[0]
}

/** Why a file is refused before it is read: it names the files that are opened. */
export function notOpenable(name: string): string {
  return `${name} is not a file the studio opens: it opens ${openableList()} files`
}

/** The streamed part a modality's jobs send (`job/partial`). */
export type PartOf<M extends Modality> = Extract<JobPart, { kind: M }>
