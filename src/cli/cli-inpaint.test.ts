/**
 * Inpainting on the command line, as a user runs it (subprocess, real engine host): a digit the RBM drew
 * and a mask go in as `--input image=… --input mask=…`, the PNGs keep the unmasked pixels and carry both
 * pictures inline in their recipe, that recipe alone makes the same bytes again, and a mask of the wrong
 * size fails with one line.
 */
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { INK } from '../common/inpaint-digit'
import { fromBase64 } from '../common/inputs'
import { readPngText } from '../common/png'
import { RECIPE_KEY, type Recipe } from '../common/recipe'
import { REPO_ROOT, SHIPPED_DIR } from '../engine/testing'

const ID = 'rbm-mnist'
const tmp = mkdtempSync(join(tmpdir(), 'ls-cli-inpaint-'))
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const extra = SHIPPED_DIR === join(REPO_ROOT, 'models') ? [] : ['--models', SHIPPED_DIR]

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', TSX, join(REPO_ROOT, 'src/cli/main.ts'), ...args], { cwd: tmp, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}
const rbm = (out: string, ...args: string[]) => cli('generate', ID, '--out', join(tmp, out), ...extra, ...args)
const recipeOf = (file: string): Recipe => JSON.parse(readPngText(readFileSync(file))[RECIPE_KEY])
/** The red channel of a 28×28 PNG, (784,) bytes. */
const grey = async (file: string) => new Uint8Array((await sharp(file).extractChannel(0).raw().toBuffer()))
/** A 28×28 grey PNG, white where `white(row)`. */
const rows = (white: (row: number) => boolean, side = 28) =>
  sharp(Buffer.from(Array.from({ length: side * side }, (_, p) => (white(Math.floor(p / side)) ? 255 : 0))), { raw: { width: side, height: side, channels: 1 } }).png().toBuffer()

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe(`cli: inpaint with ${ID}`, () => {
  it('keeps the unmasked rows, records both pictures, and the recipe alone makes the same bytes', async () => {
    // A digit of the model's own (300 steps from seed 100) is the picture to repaint.
    const d = await rbm('digit', '--seed', '100', '--count', '1', '--param', 'steps=300')
    expect(d.code).toBe(0)
    const digitFile = d.stdout.trim()
    const digit = await grey(digitFile)
    writeFileSync(join(tmp, 'mask.png'), await rows((r) => r >= 14)) // repaint the lower half

    const a = await rbm('a', '--input', `image=${digitFile}`, '--input', `mask=${join(tmp, 'mask.png')}`, '--seed', '4', '--count', '2', '--param', 'steps=100')
    expect(a.stderr).not.toMatch(/latent-studio:/)
    expect(a.code).toBe(0)
    const files = a.stdout.trim().split('\n')
    expect(files).toEqual([4, 5].map((s) => join(tmp, 'a', `${ID}-${s}.png`)))
    for (const f of files) {
      const got = await grey(f)
      for (let p = 0; p < 14 * 28; p++) expect(got[p], `kept pixel ${p} of ${f}`).toBe(digit[p] / 255 >= INK ? 255 : 0)
    }
    const recipe = recipeOf(files[1])
    expect(recipe).toMatchObject({ modelId: ID, seed: 5, params: { count: 1, steps: 100 } })
    expect(recipe.inputs?.image).toMatchObject({ kind: 'image', fileName: `${ID}-100.png`, size: readFileSync(digitFile).length })
    expect(recipe.inputs?.mask).toMatchObject({ kind: 'image', fileName: 'mask.png' })

    // The PNG alone: its recipe's inline pictures and params make the very same file.
    mkdirSync(join(tmp, 'restored'))
    const back = (name: 'image' | 'mask') => {
      const path = join(tmp, 'restored', recipe.inputs![name].fileName!)
      writeFileSync(path, fromBase64(recipe.inputs![name].base64!))
      return `${name}=${path}`
    }
    const params = Object.entries(recipe.params).flatMap(([k, v]) => ['--param', `${k}=${v}`])
    const b = await rbm('b', '--input', back('image'), '--input', back('mask'), '--seed', '5', ...params)
    expect(b.code).toBe(0)
    expect(readFileSync(b.stdout.trim()).equals(readFileSync(files[1]))).toBe(true)
  }, 120_000)

  it('names a mask of the wrong size, and a file given without its input name', async () => {
    writeFileSync(join(tmp, 'm32.png'), await rows((r) => r > 16, 32))
    const bad = await rbm('x', '--input', `mask=${join(tmp, 'm32.png')}`, '--seed', '1', '--param', 'steps=5')
    expect(bad.code).toBe(1)
    expect(bad.stderr.trim()).toBe('latent-studio: "m32.png" is 32×32; a mask must be the size of the model (28×28)')
    const bare = await rbm('x', '--input', join(tmp, 'm32.png'))
    expect(bare.stderr.trim()).toMatch(/takes several inputs \(image, mask\): write --input NAME=FILE/)
  }, 60_000)
})
