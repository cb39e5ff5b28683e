/**
 * Fuzz: a user models folder full of random manifests (the shipped DCGAN's manifest with fields set to
 * random values or deleted) and damaged ONNX files (truncated, bit-flipped, random bytes). Properties:
 * the scan lists every folder within a time bound; a model listed as working either generates or fails
 * its job with a message, within a time bound; the engine stays up; the shipped model keeps working.
 * Seeded (FUZZ_SEED to replay); a few rounds of a dozen folders each, so it stays inside CI's budget.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import type { ModelSummary } from '../common/contract'
import { GAN_ID, runJob, SHIPPED_DIR, startEngine } from './testing'

const SEED = Number(process.env.FUZZ_SEED ?? 20261206)
const ROUNDS = 4
const PER_ROUND = 10
/** Hang detectors, not speed figures: a scan of a dozen folders or a 2-image job takes well under a second. */
const SCAN_MS = 20_000
const JOB_MS = 20_000

const manifest = JSON.parse(readFileSync(join(SHIPPED_DIR, GAN_ID, 'model.json'), 'utf8'))
const onnx = readFileSync(join(SHIPPED_DIR, GAN_ID, manifest.graphs.generator.file))

/** Every path to a value in a JSON tree (objects and arrays), e.g. ['graphs','generator','inputs',0,'shape',1]. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at]
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])))
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]))
  return out
}
const PATHS = paths(manifest).filter((p) => p.length > 0 && p[0] !== 'id')

const value = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(2 ** 27, 2 ** 31, 2 ** 53, 1e300, -1e9, 0.5, Number.MAX_SAFE_INTEGER),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(null, true, false, [], {}, ['batch'], [1, 2, 3], 'x'.repeat(10_000)),
)
const edit = fc.tuple(fc.constantFrom(...PATHS), fc.oneof(value, fc.constant(undefined)))

const damage = fc.oneof(
  fc.constant<'intact'>('intact'),
  fc.nat({ max: onnx.length - 1 }).map((n) => ({ truncate: n })),
  fc.array(fc.nat({ max: onnx.length - 1 }), { minLength: 1, maxLength: 16 }).map((flips) => ({ flips })),
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => ({ bytes })),
)
type Damage = 'intact' | { truncate: number } | { flips: number[] } | { bytes: Uint8Array }

function damaged(d: Damage): Uint8Array {
  if (d === 'intact') return onnx
  if ('truncate' in d) return onnx.subarray(0, d.truncate)
  if ('bytes' in d) return d.bytes
  const b = Uint8Array.from(onnx)
  for (const i of d.flips) b[i] ^= 0xff
  return b
}

function applyEdits(edits: [(string | number)[], unknown][]): unknown {
  const m = structuredClone(manifest)
  for (const [path, v] of edits) {
    let o = m as Record<string | number, unknown>
    for (const k of path.slice(0, -1)) {
      if (!o || typeof o !== 'object') break
      o = o[k] as Record<string | number, unknown>
    }
    if (!o || typeof o !== 'object') continue
    const last = path[path.length - 1]
    if (v === undefined) delete o[last]
    else o[last] = v
  }
  return m
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what} did not end within ${ms} ms`)), ms))])

describe('fuzz: random manifests and damaged ONNX files in a user models folder', () => {
  const user = mkdtempSync(join(tmpdir(), 'ls-fuzz-models-'))
  const engine = startEngine([
    { dir: SHIPPED_DIR, source: 'shipped' },
    { dir: user, source: 'user' },
  ])
  afterAll(async () => {
    await engine.stop()
    rmSync(user, { recursive: true, force: true })
  })

  it('lists every folder, every listed model generates or fails with a message, the shipped model keeps working', async () => {
    await engine.start()
    const cases = fc.sample(fc.tuple(fc.array(edit, { minLength: 1, maxLength: 3 }), damage), { seed: SEED, numRuns: ROUNDS * PER_ROUND })
    for (let round = 0; round < ROUNDS; round++) {
      rmSync(user, { recursive: true, force: true })
      mkdirSync(user)
      const folders: string[] = []
      for (let i = 0; i < PER_ROUND; i++) {
        const [edits, dmg] = cases[round * PER_ROUND + i]
        const folder = `fuzz-${round}-${i}`
        const m = applyEdits(edits) as Record<string, unknown>
        m.id = folder
        mkdirSync(join(user, folder))
        writeFileSync(join(user, folder, 'model.json'), JSON.stringify(m))
        writeFileSync(join(user, folder, String(manifest.graphs.generator.file)), damaged(dmg))
        folders.push(folder)
      }
      const list: ModelSummary[] = await withTimeout(engine.invoke('models/reload', undefined), SCAN_MS, 'models/reload')
      for (const folder of folders) {
        const m = list.find((x) => x.dir === join(user, folder))
        expect(m, `${folder} is listed`).toBeDefined()
        if (m!.error) {
          expect(m!.error, `${folder}: the error names its folder`).toContain(folder)
          continue
        }
        const o = await withTimeout(runJob(engine, { modelId: m!.id, seed: 1, params: { count: 2 }, ep: 'cpu' }), JOB_MS, `a job on ${folder}`)
        if (o.failed) expect(o.failed.error.length, `${folder}: the failure says why`).toBeGreaterThan(0)
        else expect(o.images.length, `${folder}: a working model makes its images`).toBe(2)
      }
      const info = await engine.invoke('engine/info', undefined)
      expect(info.state).toBe('ready')
      const shipped = await runJob(engine, { modelId: GAN_ID, seed: 3, params: { count: 2 }, ep: 'cpu' })
      expect(shipped.images).toHaveLength(2)
    }
  }, 240_000)
})
