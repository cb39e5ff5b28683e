/** Seeds are uint32 (see contract JobRequest); the seed field holds text until it parses. */

export const SEED_MAX = 0xffffffff

/** A whole number 0..2^32-1 from what the user typed, or null. */
export function parseSeed(raw: unknown): number | null {
  const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : ''
  if (!/^\d{1,10}$/.test(s)) return null
  const n = Number(s)
  return n <= SEED_MAX ? n : null
}

/** A fresh uint32 from the platform CSPRNG (uniform; Math.random is not guaranteed to be). */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]
}
