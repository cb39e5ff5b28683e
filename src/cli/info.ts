/**
 * `info <file>`: print the recipe an exported PNG, WAV or text file carries (pretty JSON), the same one
 * the studio restores when the file is dropped on its window. The codec is picked from the bytes.
 */
import { readFile } from 'node:fs/promises'
import { CODECS, sniffModality } from '../common/codecs'

export async function info(file: string): Promise<string> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
  const r = CODECS[sniffModality(file, bytes)].decode(file, bytes)
  if (!r.ok) throw new Error(r.error)
  return JSON.stringify(r.recipe, null, 2)
}
