/**
 * Fuzz: every modality's file reader (the one the renderer's drops and the CLI's `info` use) against
 * random bytes, truncated and bit-flipped files, and files whose recipe text is replaced by random text
 * of the same length (the container stays valid, so the recipe parser itself is reached). Property: the
 * reader returns `{ok}` — a recipe, or an error that names the file — within a time bound, and never
 * throws. Seeded (FUZZ_SEED to replay), bounded in runs and time. A new modality must add its sample.
 */
import { deflateSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MODALITIES, type Modality } from '../modality'
import type { Recipe } from '../recipe'
import { CODECS, sniffModality } from './index'

const SEED = Number(process.env.FUZZ_SEED ?? 20261206)
const RUNS = 300
/** Per decode: a hang detector (a 4 KiB input reads in well under a millisecond), not a speed figure. */
const MAX_MS = 1000

/** A long marker inside the recipe: its bytes are where the recipe text sits in every container. */
const MARK = 'fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz'
const recipe: Recipe = {
  app: 'latent-studio', appVersion: '0.1.0', modelId: 'm', modelHash: '0123456789abcdef', seed: 7,
  params: { note: MARK }, ep: 'cpu',
}

const SAMPLES: Record<Modality, () => Promise<Uint8Array>> = {
  image: () => CODECS.image.encode({ width: 2, height: 2, rgba: new Uint8Array(16).fill(200) }, recipe, { scale: 1, deflate: (d) => deflateSync(d) }),
  text: () => CODECS.text.encode({ text: 'It was a truth universally acknowledged' }, recipe, { format: 'md' }),
  audio: () => CODECS.audio.encode({ samples: new Float32Array(64).fill(0.25), sampleRate: 16000 }, recipe, {}),
  music: () => CODECS.music.encode({ notes: [60, 64, 67].map((pitch, i) => ({ pitch, velocity: 80, startS: i / 4, durS: 0.5, program: 0 })), bpm: 120 }, recipe, {}),
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer
    return i
  }
  return -1
}

/** Decode as a drop does (sniff, then that modality's reader), timing it; throws only if the reader threw. */
function decodeTimed(name: string, bytes: Uint8Array): { ok: boolean; error?: string; ms: number } {
  const t0 = performance.now()
  const m = sniffModality(name, bytes)
  const r = CODECS[m].decode(name, bytes)
  return { ...r, ms: performance.now() - t0 }
}

function checkResult(name: string, r: { ok: boolean; error?: string; ms: number }): void {
  expect(typeof r.ok).toBe('boolean')
  if (!r.ok) {
    expect(typeof r.error).toBe('string')
    expect(r.error!.length).toBeGreaterThan(0)
    expect(r.error).toContain(name)
  }
  expect(r.ms).toBeLessThan(MAX_MS)
}

describe.each(MODALITIES)('fuzz: %s files', (m) => {
  const params = { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 20_000 }
  const ext = `file.${m === 'image' ? 'png' : m === 'text' ? 'md' : 'wav'}`

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => checkResult(ext, decodeTimed(ext, bytes))), params)
  })

  it('a real file truncated, or with bytes flipped', async () => {
    const file = await SAMPLES[m]()
    expect(CODECS[m].decode(ext, file)).toMatchObject({ ok: true, recipe })
    const mutation = fc.oneof(
      fc.nat({ max: file.length }).map((n) => file.slice(0, n)),
      fc.array(fc.tuple(fc.nat({ max: file.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
        const b = file.slice()
        for (const [i, x] of flips) b[i] ^= x
        return b
      }),
    )
    fc.assert(fc.property(mutation, (bytes) => checkResult(ext, decodeTimed(ext, bytes))), params)
  })

  it('the recipe text replaced by random text of the same length', async () => {
    const file = await SAMPLES[m]()
    const at = indexOf(file, new TextEncoder().encode(MARK))
    expect(at, 'the recipe marker is in the file').toBeGreaterThan(0)
    // Widen to the whole recipe JSON object around the marker: from its opening brace to the closing one.
    let start = at
    while (start > 0 && file[start] !== 0x7b) start--
    let end = at
    while (end < file.length && file[end] !== 0x7d) end++
    const span = end + 1 - start
    const replacement = fc.oneof(
      fc.uint8Array({ minLength: span, maxLength: span }),
      fc.json().map((j) => new TextEncoder().encode(j.padEnd(span, ' ').slice(0, span))),
      fc.string({ minLength: span, maxLength: span, unit: 'grapheme-ascii' }).map((s) => new TextEncoder().encode(s)),
    )
    fc.assert(
      fc.property(replacement, (text) => {
        const b = file.slice()
        b.set(text.subarray(0, span), start)
        checkResult(ext, decodeTimed(ext, b))
      }),
      params,
    )
  })
})
