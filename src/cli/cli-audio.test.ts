/**
 * Notes from the command line as a user runs them (tsx subprocess, real engine host, files on disk):
 * one WAV per voice named by its seed, carrying the recipe that makes that voice alone again, the same
 * bytes for the same args, `info` reading the recipe back, and one clear line for bad input.
 * Runs on the toy fixture (any machine) and on the shipped WaveNet once it is installed.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeWav, decodeWav } from '../common/wav'
import { REPO_ROOT, SHIPPED_DIR } from '../engine/testing'
import { readManifest } from '../engine/testing-golden'

const tmp = mkdtempSync(join(tmpdir(), 'ls-cli-audio-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const FIXTURES = resolve(REPO_ROOT, 'src/engine/families/fixtures')
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', TSX, join(REPO_ROOT, 'src/cli/main.ts'), ...args],
      { cwd: tmp, env: { ...process.env, LATENT_STUDIO_MODELS: join(tmp, 'none') }, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

const models = [
  { id: 'wavenet-toy', dir: join(FIXTURES, 'wavenet-toy'), extra: ['--models', FIXTURES] },
  ...(existsSync(join(SHIPPED_DIR, 'wavenet-notes', 'model.json')) ? [{ id: 'wavenet-notes', dir: join(SHIPPED_DIR, 'wavenet-notes'), extra: [] }] : []),
]

describe.each(models)('cli generate with $id', ({ id, dir, extra }) => {
  const a = readManifest(dir).audio!
  const instrument = a.instruments.at(-1)!
  const pitch = a.pitchMin + 5
  const note = (out: string, seed: number, voices: number) =>
    cli('generate', id, '--param', `instrument=${instrument}`, '--param', `pitch=${pitch}`, '--param', 'seconds=0.5', '--param', `voices=${voices}`, '--seed', String(seed), '--out', join(tmp, id, out), ...extra)
  const file = (out: string, seed: number) => join(tmp, id, out, `${id}-${seed}.wav`)

  it('writes one WAV per voice named by its seed, each with the recipe of that voice alone', async () => {
    const r = await note('a', 5, 2)
    expect(r.stderr).not.toMatch(/latent-studio:/)
    expect(r.code).toBe(0)
    expect(r.stdout.trim().split('\n')).toEqual([file('a', 5), file('a', 6)])
    for (const seed of [5, 6]) {
      const wav = decodeWav(readFileSync(file('a', seed)))
      expect(wav).toMatchObject({ sampleRate: a.sampleRate, channels: 1, bitsPerSample: 16 })
      expect(wav.samples.length).toBe(Math.round(0.5 * a.sampleRate))
      expect(Math.max(...wav.samples.map(Math.abs))).toBeGreaterThan(0.01)
      expect(JSON.parse(wav.recipe!)).toMatchObject({ app: 'latent-studio', modelId: id, seed, ep: 'cpu', params: { instrument, pitch, seconds: 0.5, voices: 1 } })
    }
  })

  it('gives the same bytes for the same args, and voice 2 alone from its own recipe', async () => {
    expect((await note('b', 5, 2)).code).toBe(0)
    for (const seed of [5, 6]) expect(readFileSync(file('b', seed)).equals(readFileSync(file('a', seed)))).toBe(true)
    expect((await note('alone', 6, 1)).code).toBe(0)
    expect(readFileSync(file('alone', 6)).equals(readFileSync(file('a', 6)))).toBe(true)
    expect(readFileSync(file('a', 5)).equals(readFileSync(file('a', 6)))).toBe(false)
  })

  it('info prints the recipe inside the WAV', async () => {
    const r = await cli('info', file('a', 6))
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(decodeWav(readFileSync(file('a', 6))).recipe!))
  })

  it('fails with one clear line for a bad pitch or instrument, and for a WAV without a recipe', async () => {
    const line = (r: { code: number; stderr: string }) => (expect(r.code).not.toBe(0), r.stderr.trim().split('\n').filter((l) => l.startsWith('latent-studio:')))
    expect(line(await cli('generate', id, '--param', `pitch=${a.pitchMax + 1}`, '--seed', '1', '--out', join(tmp, 'x'), ...extra))).toEqual([expect.stringMatching(/pitch.*allowed/)])
    expect(line(await cli('generate', id, '--param', 'instrument=kazoo', '--seed', '1', '--out', join(tmp, 'x'), ...extra))).toEqual([expect.stringMatching(/"kazoo", allowed: /)])
    writeFileSync(join(tmp, 'plain.wav'), encodeWav(new Float32Array(10), 8000, null))
    expect(line(await cli('info', join(tmp, 'plain.wav')))).toEqual([expect.stringMatching(/plain\.wav has no Latent Studio recipe/)])
    writeFileSync(join(tmp, 'broken.wav'), encodeWav(new Float32Array(10), 8000, '{}').subarray(0, 30))
    expect(line(await cli('info', join(tmp, 'broken.wav')))).toEqual([expect.stringMatching(/broken\.wav is not a usable WAV: it is truncated/)])
  })
})
