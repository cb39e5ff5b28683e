/**
 * Job inputs (files a job takes in: a photo, a MIDI file): their limits, declared here once, the check
 * the engine applies to every request, and what a recipe records of them (SHA-256, and the bytes
 * themselves when small). Pure TS: Web Crypto's `crypto.subtle` exists in Node ≥ 20 and in browsers.
 */
import type { JobInput } from './contract'

const MiB = 1024 * 1024

/** Largest file of each kind a job accepts (bytes as read from disk, before decoding). */
export const INPUT_LIMITS = {
  /** A photo: a 24-megapixel JPEG is ~10 MiB, a 4k PNG ~25 MiB. */
  image: 32 * MiB,
  /** A Standard MIDI File: a whole symphony is well under 1 MiB. */
  midi: 4 * MiB,
} as const
export type InputKind = keyof typeof INPUT_LIMITS
/** How messages name each kind. */
const KIND_NAMES: Record<InputKind, string> = { image: 'an image', midi: 'a MIDI file' }

/** At most this many inputs in one job, and this many bytes of them together. */
export const MAX_INPUTS = 4
export const MAX_INPUT_TOTAL_BYTES = 40 * MiB
/** Biggest request frame a host reads: all inputs plus 1 MiB for the rest (params, prime, …). */
export const MAX_REQUEST_BYTES = MAX_INPUT_TOTAL_BYTES + MiB
/** Inputs up to this size ride inside the recipe (base64), so the exported file alone remakes its output. */
export const RECIPE_INLINE_BYTES = 64 * 1024

/** What a family declares for each input it takes, by name (`FamilyRunner.inputs`). */
export interface InputSpec {
  kind: InputKind
  /** The job runs without it. */
  optional?: boolean
}

/** How a recipe records one input: enough to check a file is the same one, or (small ones) to restore it. */
export interface RecipeInput {
  kind: InputKind
  /** Lower-case hex SHA-256 of the bytes. */
  sha256: string
  /** Byte length. */
  size: number
  fileName?: string
  /** The bytes, base64, when size ≤ RECIPE_INLINE_BYTES. */
  base64?: string
}

const NAME = /^[a-z][A-Za-z0-9_-]{0,31}$/

/**
 * Check a request's inputs against what the family declares; a string is the user-facing refusal.
 * Everything a caller could send is checked: the request came over a socket or IPC.
 */
export function checkInputs(specs: Readonly<Record<string, InputSpec>>, raw: unknown): { ok: true; inputs: Record<string, JobInput> } | { ok: false; error: string } {
  const fail = (error: string) => ({ ok: false as const, error })
  if (raw === undefined || raw === null) raw = {}
  if (typeof raw !== 'object' || Array.isArray(raw)) return fail('inputs must be an object of named files')
  const given = Object.entries(raw as Record<string, unknown>)
  if (given.length > MAX_INPUTS) return fail(`at most ${MAX_INPUTS} inputs per job, got ${given.length}`)
  const inputs: Record<string, JobInput> = {}
  let total = 0
  for (const [name, v] of given) {
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined
    const accepted = Object.keys(specs)
    if (!NAME.test(name) || !spec) return fail(`input "${name}" is not taken by this model (${accepted.length ? `it takes: ${accepted.join(', ')}` : 'it takes no inputs'})`)
    const i = v as Partial<JobInput> | null
    if (!i || typeof i !== 'object') return fail(`input "${name}" must be { kind, bytes }`)
    if (i.kind !== spec.kind) return fail(`input "${name}" must be of kind "${spec.kind}", got ${JSON.stringify(i.kind)}`)
    if (!(i.bytes instanceof Uint8Array)) return fail(`input "${name}": bytes must be a Uint8Array`)
    const limit = INPUT_LIMITS[spec.kind]
    if (i.bytes.byteLength === 0) return fail(`input "${name}" is empty`)
    if (i.bytes.byteLength > limit) return fail(`input "${name}" (${mib(i.bytes.byteLength)}) is over the ${mib(limit)} limit for ${KIND_NAMES[spec.kind]}`)
    if (i.fileName !== undefined && (typeof i.fileName !== 'string' || i.fileName.length > 255 || /[/\\\0]/.test(i.fileName))) {
      return fail(`input "${name}": fileName must be a plain file name (no folders, ≤ 255 characters)`)
    }
    total += i.bytes.byteLength
    inputs[name] = { kind: i.kind, bytes: i.bytes, ...(i.fileName !== undefined ? { fileName: i.fileName } : {}) }
  }
  if (total > MAX_INPUT_TOTAL_BYTES) return fail(`the inputs add up to ${mib(total)}, over the ${mib(MAX_INPUT_TOTAL_BYTES)} limit per job`)
  for (const [name, spec] of Object.entries(specs)) {
    if (!spec.optional && !inputs[name]) return fail(`this model needs an input "${name}" (${KIND_NAMES[spec.kind]})`)
  }
  return { ok: true, inputs }
}

const mib = (n: number) => `${+(n / MiB).toFixed(n < MiB ? 3 : 1)} MiB`

/** Lower-case hex SHA-256 of `bytes` (Web Crypto; ~0.3 s for 32 MiB on our 2-core VM). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)
  return Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, '0')).join('')
}

/** What the recipe keeps of a job's inputs (undefined when the job had none). */
export async function recipeInputs(inputs: Readonly<Record<string, JobInput>>): Promise<Record<string, RecipeInput> | undefined> {
  const names = Object.keys(inputs)
  if (names.length === 0) return undefined
  const out: Record<string, RecipeInput> = {}
  for (const name of names) {
    const { kind, bytes, fileName } = inputs[name]
    out[name] = {
      kind, sha256: await sha256Hex(bytes), size: bytes.byteLength,
      ...(fileName !== undefined ? { fileName } : {}),
      ...(bytes.byteLength <= RECIPE_INLINE_BYTES ? { base64: toBase64(bytes) } : {}),
    }
  }
  return out
}

/** The input a recipe carries inline, as a JobInput again (null when it was too big to keep). */
export function inputFromRecipe(r: RecipeInput): JobInput | null {
  if (r.base64 === undefined) return null
  return { kind: r.kind, bytes: fromBase64(r.base64), ...(r.fileName !== undefined ? { fileName: r.fileName } : {}) }
}

export function toBase64(bytes: Uint8Array): string {
  let s = ''
  // Chunks: String.fromCharCode(...all) overflows the call stack past ~100k arguments.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text)
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}
