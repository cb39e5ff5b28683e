/**
 * Job inputs before a job: `inputs/check` reads a file the user picked for a model's input the way its
 * job will (the kind and size limits of common/inputs.ts, then the kind's own reader), so the panel
 * shows the photo as the engine sees it — or the engine's reason for refusing it — before Generate;
 * `models/photo` serves the photos a model ships to try it on (`manifest.photos`).
 */
import { stat, readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { InputCheck, InputCheckRequest, ModelPhoto } from '../common/contract'
import { checkInputs, INPUT_LIMITS, type InputKind, type InputSpec } from '../common/inputs'
import { decodeMidi } from '../common/midi'
import { decodePhoto } from './image-input'
import type { RegistryEntry } from './registry'

/** Longest side of the thumbnail an image check sends back (the panel shows it at ≤ 96 CSS px, 2× for HiDPI). */
export const THUMB_SIDE = 192

/** Per kind: read the bytes as a job would; throw with the reader's message when they are unusable. */
const READERS: Record<InputKind, (bytes: Uint8Array, fileName: string | undefined) => Promise<InputCheck>> = {
  async image(bytes, fileName) {
    const p = await decodePhoto(bytes, { maxSide: THUMB_SIDE, name: fileName })
    const { width, height, format } = p.original
    // (1, 3, h, w) planar floats in [0, 1] → (h, w, 4) RGBA bytes for a canvas.
    const plane = p.width * p.height
    const rgba = new Uint8Array(plane * 4)
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < 3; c++) rgba[4 * i + c] = Math.round(p.data[c * plane + i] * 255)
      rgba[4 * i + 3] = 255
    }
    // A downscale to the thumbnail is ours, not the job's: only the notes a job would also give stay.
    const notes = p.notes.filter((n) => !n.includes('was downscaled'))
    return { summary: `${format} ${width}×${height}`, notes, thumb: { width: p.width, height: p.height, rgba } }
  },
  async midi(bytes, fileName) {
    try {
      const song = decodeMidi(bytes)
      return { summary: `MIDI, ${song.notes.length} notes at ${Math.round(song.bpm)} bpm`, notes: song.warnings }
    } catch (e) {
      throw new Error(`${fileName ? `"${fileName}"` : 'the file'} is not a usable MIDI file: ${(e as Error).message}`)
    }
  },
}

/**
 * `inputs/check`: `specs` are the inputs the model's family takes (undefined: no such model, or a broken
 * one). Throws with a message for the user.
 */
export async function checkJobInput(specs: Readonly<Record<string, InputSpec>> | undefined, req: InputCheckRequest): Promise<InputCheck> {
  if (!specs) throw new Error(`no usable model "${String(req?.modelId)}"`)
  const name = String(req?.name)
  const spec = Object.hasOwn(specs, name) ? specs[name] : undefined
  if (!spec) throw new Error(`input "${name}" is not taken by this model (it takes: ${Object.keys(specs).join(', ') || 'nothing'})`)
  const c = checkInputs({ [name]: spec }, { [name]: req.input })
  if (!c.ok) throw new Error(c.error)
  const input = c.inputs[name]
  return READERS[spec.kind](input.bytes, input.fileName)
}

/** `models/photo`: `file` must be one the manifest lists (so no other path is ever read). */
export async function modelPhoto(entry: RegistryEntry | undefined, file: unknown): Promise<ModelPhoto> {
  if (!entry?.manifest) throw new Error(`no usable model "${entry?.summary.id ?? ''}"`)
  const photo = entry.manifest.photos?.find((p) => p.file === file)
  if (!photo) throw new Error(`${entry.summary.id} ships no photo ${JSON.stringify(file)}`)
  const path = join(entry.summary.dir, photo.file)
  const s = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new Error(`${entry.label(path)}: ${e.code === 'ENOENT' ? 'file not found' : e.message} (photos in model.json)`)
  })
  if (!s.isFile()) throw new Error(`${entry.label(path)}: not a plain file (photos in model.json)`)
  if (s.size > INPUT_LIMITS.image) throw new Error(`${entry.label(path)}: over the ${INPUT_LIMITS.image / 1048576} MiB limit for a photo`)
  return { bytes: new Uint8Array(await readFile(path)), fileName: basename(photo.file), title: photo.title, license: photo.license }
}
