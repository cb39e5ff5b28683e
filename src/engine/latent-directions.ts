/**
 * A latent-image model's attribute directions (`directions.json` beside model.json, written by
 * training/explore_directions.py: one vector per emoji category, "more food"). Optional and never fatal:
 * a missing, unreadable or malformed file (or vectors of the wrong size) means no directions, the model
 * works as before.
 */
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { latentFromText, type LatentDirection } from '../common/explore'
import type { Manifest } from '../common/manifest'

/** A few dozen vectors of ≤ 512 floats: anything bigger is not this file. */
const MAX_BYTES = 1 << 20

export async function readDirections(dir: string, m: Manifest): Promise<LatentDirection[] | null> {
  if (!m.latentSize) return null
  const path = join(dir, 'directions.json')
  try {
    const s = await stat(path)
    if (!s.isFile() || s.size > MAX_BYTES) return null
    const doc = JSON.parse(await readFile(path, 'utf8')) as { directions?: unknown }
    if (!Array.isArray(doc.directions)) return null
    const out: LatentDirection[] = []
    for (const d of doc.directions as Record<string, unknown>[]) {
      if (typeof d?.key !== 'string' || !/^[\w-]{1,40}$/.test(d.key) || typeof d.z !== 'string') return null
      if (latentFromText(d.z).length !== m.latentSize) return null
      out.push({ key: d.key, label: typeof d.label === 'string' ? d.label.slice(0, 60) : `more ${d.key}`, z: d.z })
    }
    return out.length ? out : null
  } catch {
    return null // no file, or not one we can use
  }
}
