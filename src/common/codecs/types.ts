/**
 * A modality's files: what one item's file holds, how it is written with its recipe inside and read
 * back. One codec per modality in `CODECS` (index.ts); the renderer's exports and drops and the CLI's
 * `generate` and `info` all go through it, so the two never disagree about a file.
 */
import type { TextFileFormat } from '../front-matter'
import type { AudioItem, ImageItem, MusicItem, TextItem } from '../items'
import type { MidiNote } from '../midi'
import type { Modality } from '../modality'
import type { Deflate } from '../png'
import type { Recipe } from '../recipe'

/**
 * Per modality: `item` names one item of a job (items.ts), `content` is what its file holds, `options`
 * how it is written, `decoded` what a file gives back beside its recipe. A new modality adds its row.
 */
export interface CodecTypes {
  image: {
    item: ImageItem
    /** (height, width, 4) RGBA row-major, 0..255. */
    content: { width: number; height: number; rgba: Uint8Array }
    /** Nearest-neighbour factor (EXPORT_SCALES) and zlib (node:zlib in Node, CompressionStream in browsers). */
    options: { scale: number; deflate: Deflate }
    decoded: object
  }
  text: {
    item: TextItem
    /** The whole text: prime + what the draft wrote. */
    content: { text: string }
    options: { format: TextFileFormat }
    /** The text after the front matter. */
    decoded: { text: string }
  }
  audio: {
    item: AudioItem
    /** Mono PCM in [-1, 1]. */
    content: { samples: Float32Array; sampleRate: number }
    options: object
    decoded: { samples: Float32Array; sampleRate: number }
  }
  music: {
    item: MusicItem
    /** The piece: notes in seconds and the tempo its MIDI file is written at (bars and beats follow it). */
    content: { notes: readonly MidiNote[]; bpm: number }
    options: object
    /**
     * The notes (`piece`: `notes` would clash with the restore's messages) and first tempo back, and what
     * was read differently (common/midi.ts).
     */
    decoded: { piece: MidiNote[]; bpm: number; warnings: string[] }
  }
}

/** A file read back: its recipe and content, or why not (the error names the file). */
export type Decoded<M extends Modality> = ({ ok: true; recipe: Recipe } & CodecTypes[M]['decoded']) | { ok: false; error: string }

export interface FileCodec<M extends Modality> {
  /** The file kind in messages ("PNG", "text", "WAV"). */
  readonly kind: string
  /** Files bigger than this are refused before they are read (a file with a recipe is kilobytes). */
  readonly maxBytes: number
  /** Whether the bytes are this modality's file (its magic bytes; the name for formats without any). */
  sniff(name: string, bytes: Uint8Array): boolean
  /** The recipe that makes exactly this item again alone (one rule for renderer and CLI: items.ts). */
  itemRecipe(job: Recipe, item: CodecTypes[M]['item']): Recipe
  /** The file's bytes: the content with the recipe inside. Same content and recipe, same bytes. */
  encode(content: CodecTypes[M]['content'], recipe: Recipe, options: CodecTypes[M]['options']): Promise<Uint8Array>
  /** The recipe and content inside a file's bytes, or why there are none. */
  decode(name: string, bytes: Uint8Array): Decoded<M>
}

export type CodecRegistry = { [M in Modality]: FileCodec<M> }
