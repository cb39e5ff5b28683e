/**
 * A history entry on disk: `entry.json`'s schema (read back with zod: a hand-edited or torn index is
 * named and skipped, never trusted), the checks a `history/put` from a window passes before anything is
 * written, and entry ids. Every file must be what the studio exports: the modality's extension, within
 * its codec's size limit, and decodable by that codec with a recipe of the same model inside.
 */
import { z } from 'zod'
import { randomBytes } from 'node:crypto'
import { CODECS } from '../../common/codecs'
import { HISTORY_FILE_PATTERN, HISTORY_ID_PATTERN, HISTORY_LIMITS, type HistoryEntry, type HistoryFileInfo, type HistoryPut } from '../../common/history'
import { MODALITIES, MODALITY_INFO, type Modality } from '../../common/modality'
import { RecipeSchema } from '../../common/recipe'

/** What `entry.json` starts with: a later layout changes this and is read by its own schema. */
export const ENTRY_FORMAT = 'latent-studio-history/1'
export const ENTRY_FILE = 'entry.json'

const EntrySchema = z.object({
  format: z.literal(ENTRY_FORMAT),
  id: z.string().regex(HISTORY_ID_PATTERN),
  createdAt: z.number().finite(),
  modelId: z.string().min(1),
  modelTitle: z.string(),
  modality: z.enum(MODALITIES),
  seed: z.number().int().nonnegative(),
  recipe: RecipeSchema,
  ms: z.number().finite().nonnegative().nullable(),
  files: z.array(z.object({ name: z.string().regex(HISTORY_FILE_PATTERN), seed: z.number().int().nonnegative(), size: z.number().int().nonnegative() })).min(1),
  bytes: z.number().int().nonnegative(),
  summary: z.string(),
})

/** `entry.json`'s text for an entry (one key a line is enough to read by eye). */
export function entryJson(e: HistoryEntry): string {
  return JSON.stringify({ format: ENTRY_FORMAT, ...e }, null, 1) + '\n'
}

/** An entry from `entry.json`'s text, or a thrown Error saying what is wrong with it. */
export function parseEntry(text: string): HistoryEntry {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new Error(`${ENTRY_FILE} is not JSON`)
  }
  const r = EntrySchema.safeParse(json)
  if (!r.success) throw new Error(`${ENTRY_FILE}: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'the file'}: ${i.message}`).join('; ')}`)
  const { format: _format, ...entry } = r.data
  return entry
}

/** `20261206T023952123Z-dcgan-emoji-7-a1b2c3`: sorts by time, says what it is, never collides. */
export function newEntryId(now: number, modelId: string, seed: number): string {
  const stamp = new Date(now).toISOString().replace(/[^0-9TZ]/g, '')
  return `${stamp}-${modelId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 60)}-${seed}-${randomBytes(3).toString('hex')}`
}

/** An id from a request, or a thrown Error (nothing outside the history folder can be named). */
export function checkId(id: unknown): string {
  if (typeof id !== 'string' || !HISTORY_ID_PATTERN.test(id)) throw new Error(`not a history entry id: ${JSON.stringify(id)?.slice(0, 80)}`)
  return id
}

const fail = (why: string): never => {
  throw new Error(`history/put: ${why}`)
}

/** A `history/put` from a window, checked whole, with what `entry.json` records of each file. */
export function checkPut(a: unknown): { put: HistoryPut; files: HistoryFileInfo[] } {
  if (!a || typeof a !== 'object') fail('needs {modelId, modelTitle, modality, recipe, ms, summary, files}')
  const p = a as Record<string, unknown>
  const modality = p.modality as Modality
  if (!MODALITIES.includes(modality)) fail(`modality must be one of ${MODALITIES.join(', ')}, got ${JSON.stringify(p.modality)}`)
  const recipe = RecipeSchema.safeParse(p.recipe)
  if (!recipe.success) fail(`the recipe is not one: ${recipe.error!.issues[0]?.message}`)
  const modelId = recipe.data!.modelId
  if (p.modelId !== modelId) fail(`modelId ${JSON.stringify(p.modelId)} is not the recipe's (${modelId})`)
  const ms = p.ms === null || p.ms === undefined ? null : Number(p.ms)
  if (ms !== null && !(Number.isFinite(ms) && ms >= 0)) fail(`ms must be a duration, got ${JSON.stringify(p.ms)}`)
  if (!Array.isArray(p.files) || p.files.length === 0 || p.files.length > HISTORY_LIMITS.maxFiles) fail(`files must be 1 to ${HISTORY_LIMITS.maxFiles} files`)
  const codec = CODECS[modality]
  const seen = new Set<string>()
  let total = 0
  const files = (p.files as unknown[]).map((f): HistoryFileInfo & { bytes: Uint8Array } => {
    const { name, bytes } = (f ?? {}) as { name?: unknown; bytes?: unknown }
    if (typeof name !== 'string' || !HISTORY_FILE_PATTERN.test(name)) fail(`a file name must be plain letters, digits, . _ -, got ${JSON.stringify(name)?.slice(0, 80)}`)
    const n = name as string
    const ext = n.slice(n.lastIndexOf('.') + 1).toLowerCase()
    if (!MODALITY_INFO[modality].extensions.includes(ext)) fail(`${n}: ${modality} files end in .${MODALITY_INFO[modality].extensions.join(', .')}`)
    if (seen.has(n.toLowerCase())) fail(`${n} is there twice`)
    seen.add(n.toLowerCase())
    if (!(bytes instanceof Uint8Array)) fail(`${n} has no bytes`)
    const b = bytes as Uint8Array
    if (b.byteLength > codec.maxBytes) fail(`${n} is bigger than a ${codec.kind} the studio opens`)
    total += b.byteLength
    if (total > HISTORY_LIMITS.maxEntryBytes) fail(`the files pass ${HISTORY_LIMITS.maxEntryBytes / 1024 / 1024} MiB together`)
    const d = codec.decode(n, b)
    if (!d.ok) fail(d.error)
    if (d.ok && d.recipe.modelId !== modelId) fail(`${n} holds a recipe of ${d.recipe.modelId}, not ${modelId}`)
    return { name: n, seed: d.ok ? d.recipe.seed : 0, size: b.byteLength, bytes: b }
  })
  const put: HistoryPut = {
    modelId,
    modelTitle: typeof p.modelTitle === 'string' ? p.modelTitle.slice(0, 200) : modelId,
    modality,
    recipe: recipe.data!,
    ms,
    summary: typeof p.summary === 'string' ? p.summary.slice(0, 300) : '',
    files: files.map(({ name, bytes }) => ({ name, bytes })),
  }
  return { put, files: files.map(({ name, seed, size }) => ({ name, seed, size })) }
}
