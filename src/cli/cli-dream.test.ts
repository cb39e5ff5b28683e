/**
 * Deep Dream on the command line, as a user runs it (subprocess, real engine host): `--input` gives the
 * photo, the PNG carries the recipe with the photo's SHA-256 (and the photo itself, being under 64 KiB),
 * `info` prints it, and the same recipe and photo make the same bytes on CPU.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { fromBase64 } from '../common/inputs'
import { readPngText } from '../common/png'
import { RECIPE_KEY, type Recipe } from '../common/recipe'
import { GAN_ID, REPO_ROOT, SHIPPED_DIR } from '../engine/testing'

const ID = 'deepdream-inception'
const PHOTO = join(SHIPPED_DIR, ID, 'photos', 'chelsea.jpg')
const tmp = mkdtempSync(join(tmpdir(), 'ls-cli-dream-'))
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const extra = SHIPPED_DIR === join(REPO_ROOT, 'models') ? [] : ['--models', SHIPPED_DIR]
/** Small and short: 128×85 px (one octave: a smaller one would be under the model's 75 px), 3 steps. */
const SMALL = ['--param', 'maxSide=128', '--param', 'steps=3', '--param', 'octaves=2']

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', TSX, join(REPO_ROOT, 'src/cli/main.ts'), ...args], { cwd: tmp, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}
const dream = (out: string, ...args: string[]) => cli('generate', ID, '--out', join(tmp, out), ...extra, ...args)
const recipeOf = (file: string): Recipe => JSON.parse(readPngText(readFileSync(file))[RECIPE_KEY])

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('cli: deepdream-inception', () => {
  it('dreams on --input, records the photo’s hash, and the same recipe and photo give the same bytes', async () => {
    const a = await dream('a', '--input', PHOTO, '--param', 'layers=mixed3:1,mixed4:0.5', '--seed', '1', ...SMALL)
    expect(a.stderr).not.toMatch(/latent-studio:/)
    expect(a.code).toBe(0)
    const file = join(tmp, 'a', `${ID}-1.png`)
    expect(a.stdout.trim()).toBe(file)
    expect(a.stderr).toMatch(/warning: 1 of 2 octaves would be smaller than 75 px/)
    const png = readFileSync(file)
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([128, 85])
    const photo = readFileSync(PHOTO)
    const recipe = recipeOf(file)
    expect(recipe).toMatchObject({ modelId: ID, seed: 1, ep: 'cpu', params: { layers: 'mixed3:1,mixed4:0.5', steps: 3, octaves: 2, maxSide: 128 } })
    expect(recipe.inputs?.photo).toMatchObject({ kind: 'image', sha256: createHash('sha256').update(photo).digest('hex'), size: photo.length, fileName: 'chelsea.jpg' })

    const info = await cli('info', file)
    expect(JSON.parse(info.stdout)).toEqual(recipe)

    // The photo rides inside the recipe (39 KB ≤ 64 KiB): the PNG alone makes itself again.
    mkdirSync(join(tmp, 'restored'))
    const inlined = join(tmp, 'restored', recipe.inputs!.photo.fileName!)
    writeFileSync(inlined, fromBase64(recipe.inputs!.photo.base64!))
    const params = Object.entries(recipe.params).flatMap(([k, v]) => ['--param', `${k}=${v}`])
    const b = await dream('b', `--input=photo=${inlined}`, '--seed', '1', ...params)
    expect(b.code).toBe(0)
    expect(readFileSync(b.stdout.trim()).equals(png)).toBe(true)

    const c = await dream('c', '--input', PHOTO, '--param', 'layers=mixed3:1,mixed4:0.5', '--seed', '2', ...SMALL)
    expect(readFileSync(c.stdout.trim()).equals(png)).toBe(false) // another seed jitters differently
  }, 120_000)

  it('refuses a bad --input with one line', async () => {
    const line = (r: { code: number; stderr: string }) => (expect(r.code).not.toBe(0), r.stderr.trim().split('\n').filter((l) => l.startsWith('latent-studio:')))
    expect(line(await dream('x', '--seed', '1'))).toEqual([expect.stringMatching(/this model needs an input "photo" \(an image\)/)])
    expect(line(await dream('x', '--input', join(tmp, 'nope.jpg')))).toEqual([expect.stringMatching(/cannot read .*nope\.jpg: ENOENT/)])
    expect(line(await dream('x', '--input', `prime=${PHOTO}`))).toEqual([expect.stringMatching(/takes no input "prime" \(it takes: photo\)/)])
    writeFileSync(join(tmp, 'notes.txt'), 'not a photo')
    expect(line(await dream('x', '--input', join(tmp, 'notes.txt')))).toEqual([expect.stringMatching(/"notes.txt" is not an image we can read/)])
    expect(line(await cli('generate', GAN_ID, '--out', join(tmp, 'x'), '--input', PHOTO, ...extra))).toEqual([expect.stringMatching(/dcgan-emoji takes no input files/)])
  }, 120_000)
})
