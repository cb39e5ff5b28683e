/**
 * Modality → file codec (types.ts): the one place a file is written with its recipe and read back.
 * Loads zod (recipe.ts): the renderer imports it on first export or drop, not at startup.
 */
import { MODALITIES, modalityOfFileName, type Modality } from '../modality'
import { audioCodec } from './audio'
import { imageCodec } from './image'
import { musicCodec } from './music'
import { textCodec } from './text'
import type { CodecRegistry } from './types'

export const CODECS: CodecRegistry = { image: imageCodec, text: textCodec, audio: audioCodec, music: musicCodec }

/**
 * The modality of a file by its first bytes (a few dozen suffice), else by its name; null when the
 * studio reads no file like it (a JPEG): the caller refuses it with `notOpenable` (modality.ts).
 */
export function fileModality(name: string, bytes: Uint8Array): Modality | null {
  return MODALITIES.find((m) => CODECS[m].sniff(name, bytes)) ?? modalityOfFileName(name)
}

/** The modality of a file: by its bytes, else by its name; PNG when neither tells (its reader says why not). */
export function sniffModality(name: string, bytes: Uint8Array): Modality {
  return fileModality(name, bytes) ?? 'image'
}

/** A message when a file is too big to carry a recipe (checked before reading it), else null. */
export function sizeError(m: Modality, name: string, size: number): string | null {
  const { kind, maxBytes } = CODECS[m]
  if (size <= maxBytes) return null
  const mb = (n: number) => String(Math.round(n / 104857.6) / 10) // MiB, one decimal when it has one
  return `${name} is ${mb(size)} MB; only ${kind === 'text' ? 'texts' : `${kind}s`} up to ${mb(maxBytes)} MB are opened`
}

export type { CodecRegistry, CodecTypes, Decoded, FileCodec } from './types'
