/**
 * What the panel says about job inputs, in words: the kind of file an input wants, a file too big to
 * read, and the note that ties a restored recipe to the file it was made from (by SHA-256). Pure:
 * unit-tested in job-input-words.test.ts.
 */
import { INPUT_LIMITS, type InputKind, type RecipeInput } from '../../common/inputs'

const KIND: Record<InputKind, { one: string; noun: string; again: string; accept: string }> = {
  image: { one: 'a photo', noun: 'photo', again: 'dream again', accept: 'image/*,.jpg,.jpeg,.png,.webp,.gif,.tif,.tiff,.avif' },
  midi: { one: 'a MIDI file', noun: 'MIDI file', again: 'use it again', accept: '.mid,.midi,audio/midi' },
}

/** "a photo", "a MIDI file". */
export const kindWord = (kind: InputKind): string => KIND[kind].one
/** "photo", "MIDI file". */
export const kindNoun = (kind: InputKind): string => KIND[kind].noun
/** The file picker's `accept` for a kind. */
export const kindAccept = (kind: InputKind): string => KIND[kind].accept

/** Whether a file's first bytes are of `kind` (image: the formats the engine decodes; MIDI: MThd or RMID). */
export function looksLike(kind: InputKind, b: Uint8Array): boolean {
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to))
  if (kind === 'midi') return ascii(0, 4) === 'MThd' || (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'RMID')
  return (
    (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) || // JPEG
    (b[0] === 0x89 && ascii(1, 4) === 'PNG') ||
    ascii(0, 4) === 'GIF8' ||
    (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') ||
    ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*' || // TIFF
    (ascii(4, 8) === 'ftyp' && /^avi[fs]$/.test(ascii(8, 12)))
  )
}

/** The first 12 hex digits: enough to tell files apart by eye. */
export const shortHash = (sha256: string): string => `${sha256.slice(0, 12)}…`

const mib = (n: number) => `${+(n / 1048576).toFixed(1)} MiB`

/** Why a file is refused before it is read (it would be refused by the engine too), or null. */
export function sizeRefusal(fileName: string, kind: InputKind, size: number): string | null {
  if (size === 0) return `${fileName} is empty`
  const limit = INPUT_LIMITS[kind]
  return size > limit ? `${fileName} is ${mib(size)}; ${kindWord(kind)} may be at most ${mib(limit)}` : null
}

/**
 * The note for an input a restored recipe recorded (`want`), given the file now picked (null: none).
 * Same SHA-256: it is that file; another: the result will differ; none: which file to drop.
 */
export function inputNote(want: RecipeInput, picked: { record: RecipeInput; origin: string | null } | null): string {
  const noun = KIND[want.kind].noun
  const named = `${noun} ${want.fileName ?? '(unnamed)'} (sha256 ${shortHash(want.sha256)})`
  if (!picked) return `Made from ${named}: drop it here to ${KIND[want.kind].again}.`
  if (picked.record.sha256 !== want.sha256) return `Made from ${named}; this ${noun} is a different file, so the result will differ.`
  return picked.origin === 'from the recipe' ? `The ${named} came back from the recipe.` : `This is the ${named} the recipe was made from.`
}
