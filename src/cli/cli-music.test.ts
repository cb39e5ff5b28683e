/**
 * Music from the command line as a user runs it (tsx subprocess, real engine host, files on disk): a
 * `.mid` named by its seed carrying the recipe, `--wav` beside it, the same bytes for the same recipe,
 * `--prime clip.mid` continuing a clip, `info` reading the recipe back, and one clear line for bad input.
 * Runs on the shipped music model (or $MUSIC_MODELS_DIR's while none ships).
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeMidi, encodeMidi } from '../common/midi'
import { decodeWav } from '../common/wav'
import { MUSIC_MODEL } from '../engine/music/testing-music'
import { REPO_ROOT, SHIPPED_DIR } from '../engine/testing'

const tmp = mkdtempSync(join(tmpdir(), 'ls-cli-music-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
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

describe.skipIf(!MUSIC_MODEL)(`cli generate with ${MUSIC_MODEL?.id ?? '(no music model)'}`, () => {
  const { id, dir } = MUSIC_MODEL!
  const extra = dir === SHIPPED_DIR ? [] : ['--models', dir]
  const gen = (out: string, ...args: string[]) => cli('generate', id, '--param', 'bars=4', '--param', 'tempo=110', '--seed', '3', '--out', join(tmp, out), ...extra, ...args)
  const file = (out: string, ext: string) => join(tmp, out, `${id}-3.${ext}`)

  it('writes a .mid (and with --wav a .wav) carrying the recipe; the same recipe gives the same bytes', async () => {
    const r = await gen('a', '--wav')
    expect(r.stderr).not.toMatch(/latent-studio:/)
    expect(r.code).toBe(0)
    expect(r.stdout.trim().split('\n')).toEqual([file('a', 'mid'), file('a', 'wav')])
    const mid = decodeMidi(readFileSync(file('a', 'mid')))
    expect(mid.bpm).toBe(110)
    expect(mid.notes.length).toBeGreaterThan(4)
    expect(Math.max(...mid.notes.map((n) => n.startS + n.durS))).toBeLessThanOrEqual((4 * 4 * 60) / 110 + 0.002)
    const recipe = JSON.parse(mid.recipe!)
    expect(recipe).toMatchObject({ app: 'latent-studio', modelId: id, seed: 3, ep: 'cpu', params: { bars: 4, tempo: 110 } })
    const wav = decodeWav(readFileSync(file('a', 'wav')))
    expect([wav.sampleRate, JSON.parse(wav.recipe!)]).toEqual([44100, recipe])
    const again = await gen('b')
    expect(again.code).toBe(0)
    expect(readFileSync(file('b', 'mid'))).toEqual(readFileSync(file('a', 'mid')))
    const info = await cli('info', file('a', 'mid'))
    expect(JSON.parse(info.stdout)).toEqual(recipe)
  })

  it('--prime clip.mid continues the clip; a file that is no MIDI is one line naming it', async () => {
    const clip = join(tmp, 'clip.mid')
    writeFileSync(clip, encodeMidi([60, 64, 67, 72].map((pitch, i) => ({ pitch, velocity: 90, startS: i * 0.5, durS: 0.4, program: 0 })), 110, null))
    const r = await gen('p', '--prime', clip)
    expect(r.stderr).not.toMatch(/latent-studio:/)
    const mid = decodeMidi(readFileSync(file('p', 'mid')))
    expect(mid.notes.slice(0, 4).map((n) => n.pitch)).toEqual([60, 64, 67, 72])
    expect(mid.notes.length).toBeGreaterThan(4)
    expect(JSON.parse(mid.recipe!).inputs.prime).toMatchObject({ kind: 'midi', fileName: 'clip.mid' })
    writeFileSync(join(tmp, 'fake.mid'), 'not a MIDI file')
    const bad = await gen('q', '--prime', join(tmp, 'fake.mid'))
    expect(bad.code).toBe(1)
    expect(bad.stderr.trim()).toBe(`latent-studio: "fake.mid" is not a usable MIDI file: it does not start with MThd (not a standard MIDI file)`)
  })
})
