/**
 * Music on the command line, ready for `generate <music-id>` and `info` to call once the music modality
 * is in the registry: a piece is written as `<base>.mid` (the recipe in a text meta event) and, with
 * `--wav`, `<base>.wav` rendered offline through the shipped soundfont by the same code as the studio's
 * WAV export (common/music-render.ts: spessasynth_core runs in Node), so both carry the same samples.
 * `--prime clip.mid` reads a clip as notes; `info clip.mid` prints its recipe.
 */
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { decodeMidi, encodeMidi, type MidiNote, type MidiSong } from '../common/midi'
import { renderNotes, RENDER_SAMPLE_RATE } from '../common/music-render'
import { encodeWav } from '../common/wav'
import { writeFileAtomic } from '../engine'
import { REPO_ROOT } from './engine'

/** The soundfont the studio plays (assets/soundfonts/README.md: ten GM programs of MuseScore General, MIT). */
export const SOUNDFONT = resolve(REPO_ROOT, 'assets/soundfonts/latent-gm-small.sf3')

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file)
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
}

async function write(file: string, bytes: Uint8Array): Promise<string> {
  try {
    await writeFileAtomic(file, bytes)
  } catch (e) {
    throw new Error(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
  return file
}

/** A MIDI file's song, or an Error whose message names the file and says why not. */
export function decodeMidiFile(name: string, bytes: Uint8Array): MidiSong {
  try {
    return decodeMidi(bytes)
  } catch (e) {
    throw new Error(`${name} is not a usable MIDI file: ${(e as Error).message}`)
  }
}

/** `--prime clip.mid`: the clip's notes, tempo and what was read differently (warnings for the user). */
export async function readPrime(file: string): Promise<MidiSong> {
  return decodeMidiFile(file, await readBytes(file))
}

/**
 * Write `<outDir>/<base>.mid` and, with `wav`, `<outDir>/<base>.wav` (44.1 kHz mono, 16-bit), both with
 * `recipe` (JSON text) inside. Returns the paths written. Same arguments, same bytes.
 */
export async function writeMusic(outDir: string, base: string, notes: readonly MidiNote[], bpm: number, recipe: string, opts: { wav?: boolean; soundfont?: string } = {}): Promise<string[]> {
  const paths = [await write(join(outDir, `${base}.mid`), encodeMidi(notes, bpm, recipe))]
  if (opts.wav) {
    const sf = await readBytes(opts.soundfont ?? SOUNDFONT)
    const samples = await renderNotes(sf.buffer.slice(sf.byteOffset, sf.byteOffset + sf.byteLength) as ArrayBuffer, notes)
    paths.push(await write(join(outDir, `${base}.wav`), encodeWav(samples, RENDER_SAMPLE_RATE, recipe)))
  }
  return paths
}

/** `info clip.mid`: the recipe inside (pretty JSON), or why there is none (with what the file holds). */
export function midiInfo(name: string, bytes: Uint8Array): string {
  const song = decodeMidiFile(name, bytes)
  if (song.recipe === null) {
    const endS = song.notes.reduce((m, n) => Math.max(m, n.startS + n.durS), 0)
    throw new Error(`${name} has no Latent Studio recipe (${song.notes.length} notes, ${endS.toFixed(1)} s at ${Math.round(song.bpm)} bpm)`)
  }
  try {
    return JSON.stringify(JSON.parse(song.recipe), null, 2)
  } catch {
    throw new Error(`${name} has a damaged recipe: it is not valid JSON`)
  }
}
