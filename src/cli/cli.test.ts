/**
 * The CLI as a user runs it: a subprocess (tsx, like `npm run cli`), a real engine host behind it,
 * files on disk, stdout/stderr/exit code checked.
 */
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { inflateSync } from 'node:zlib'
import { isAbsolute, join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readPngText } from '../common/png'
import { RECIPE_KEY } from '../common/recipe'
import { GAN_ID, REPO_ROOT, SHIPPED_DIR } from '../engine/testing'

const tmp = mkdtempSync(join(tmpdir(), 'ls-cli-'))
const userModels = join(tmp, 'user-models')
mkdirSync(join(userModels, 'broken-gan'), { recursive: true })
// A manifest missing its graphs: the CLI must list it with its error and refuse to run it.
writeFileSync(join(userModels, 'broken-gan', 'model.json'), JSON.stringify({ schema: 1, id: 'broken-gan', family: 'gan', title: 'Broken' }))

/** Extra --models only when tests run on a model outside the repo (DEVTMP_DIR). */
const extra = resolve(SHIPPED_DIR) === resolve(REPO_ROOT, 'models') ? [] : ['--models', SHIPPED_DIR]

/** Absolute loader URL: the CLI runs from a temp cwd where a bare `tsx` would not resolve. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

interface Run {
  code: number
  stdout: string
  stderr: string
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', TSX, join(REPO_ROOT, 'src/cli/main.ts'), ...args],
      { cwd: tmp, env: { ...process.env, LATENT_STUDIO_MODELS: userModels }, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

const generate = (out: string, ...args: string[]) => cli('generate', GAN_ID, '--out', join(tmp, out), ...extra, ...args)

/** One line on stderr, starting with our prefix: what a script's log shows. */
function expectOneLineError(r: Run, pattern: RegExp) {
  expect(r.code).not.toBe(0)
  expect(r.stdout).toBe('')
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('latent-studio:'))
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(pattern)
}

function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file)
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) }
}

/** The PNG's pixel rows (inflated IDAT): the image without its recipe. */
function pngPixels(file: string): Buffer {
  const b = readFileSync(file)
  const idat: Buffer[] = []
  for (let o = 8; o < b.length; o += 12 + b.readUInt32BE(o)) {
    if (b.toString('latin1', o + 4, o + 8) === 'IDAT') idat.push(b.subarray(o + 8, o + 8 + b.readUInt32BE(o)))
  }
  return inflateSync(Buffer.concat(idat))
}

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('cli', () => {
  it('models --json lists every model with id, family and title, and broken ones with their error', async () => {
    const r = await cli('models', '--json', ...extra)
    expect(r.code).toBe(0)
    const list = JSON.parse(r.stdout) as { id: string; family: string; title: string; error?: string }[]
    const gan = list.find((m) => m.id === GAN_ID)
    expect(gan).toMatchObject({ family: 'gan', title: expect.any(String) })
    expect(gan?.error).toBeUndefined()
    const broken = list.find((m) => m.id === 'broken-gan')
    expect(broken?.error).toMatch(/model\.json: graphs/)
    const table = await cli('models', ...extra)
    expect(table.stdout).toMatch(new RegExp(`^${GAN_ID}\\s+gan\\s+`, 'm'))
    expect(table.stdout).toMatch(/^broken-gan\s+\S+\s+BROKEN: .*model\.json/m)
  })

  it('generate writes one PNG per image, prints absolute paths, and the same seed gives the same bytes', async () => {
    const a = await generate('a', '--seed', '7', '--count', '4')
    expect(a.stderr).not.toMatch(/latent-studio:/)
    expect(a.code).toBe(0)
    const paths = a.stdout.trim().split('\n')
    expect(paths).toEqual([7, 8, 9, 10].map((s) => join(tmp, 'a', `${GAN_ID}-${s}.png`)))
    expect(paths.every(isAbsolute)).toBe(true)
    const b = await generate('b', '--seed', '7', '--count', '4')
    for (const s of [7, 8, 9, 10]) {
      expect(readFileSync(join(tmp, 'b', `${GAN_ID}-${s}.png`)).equals(readFileSync(join(tmp, 'a', `${GAN_ID}-${s}.png`)))).toBe(true)
    }
    expect(b.stdout.trim().split('\n')).toHaveLength(4)
    const c = await generate('c', '--seed', '8', '--count', '4')
    expect(readdirSync(join(tmp, 'c')).sort()).toEqual([8, 9, 10, 11].map((s) => `${GAN_ID}-${s}.png`).sort())
    // Seed 8 starts one image later: its first file is seed 7's second one, and differs from seed 7's first.
    expect(readFileSync(join(tmp, 'c', `${GAN_ID}-8.png`)).equals(readFileSync(join(tmp, 'a', `${GAN_ID}-8.png`)))).toBe(true)
    expect(readFileSync(join(tmp, 'c', `${GAN_ID}-8.png`)).equals(readFileSync(join(tmp, 'a', `${GAN_ID}-7.png`)))).toBe(false)
  })

  it('each file carries its own seed and count 1, so it alone restores that image', async () => {
    const file = join(tmp, 'a', `${GAN_ID}-9.png`) // image 2 of the seed-7 grid
    const recipe = JSON.parse(readPngText(readFileSync(file))[RECIPE_KEY])
    expect(recipe).toMatchObject({ app: 'latent-studio', modelId: GAN_ID, seed: 9, ep: 'cpu', params: { count: 1 } })
    expect(recipe.modelHash).toMatch(/^[0-9a-f]{16}$/)
    expect(recipe.index).toBeUndefined()
    const info = await cli('info', file)
    expect(info.code).toBe(0)
    expect(JSON.parse(info.stdout)).toEqual(recipe)
    // Regenerating from the recipe alone gives the very same file.
    const again = await generate('alone', '--seed', '9', '--count', '1', ...Object.entries(recipe.params).flatMap(([k, v]) => ['--param', `${k}=${v}`]))
    expect(again.code).toBe(0)
    expect(readFileSync(again.stdout.trim()).equals(readFileSync(file))).toBe(true)
  })

  it('applies --param and --scale', async () => {
    const r = await generate('scaled', '--seed', '3', '--count', '1', '--param', 'truncation=0.7', '--scale', '3')
    expect(r.code).toBe(0)
    const file = r.stdout.trim()
    const recipe = JSON.parse(readPngText(readFileSync(file))[RECIPE_KEY])
    expect(recipe.params.truncation).toBe(0.7)
    const plain = await generate('plain', '--seed', '3', '--count', '1', '--param', 'truncation=0.7')
    const small = pngSize(plain.stdout.trim())
    expect(pngSize(file)).toEqual({ width: small.width * 3, height: small.height * 3 })
  })

  it('fails with one clear line and a non-zero exit for bad input', async () => {
    expectOneLineError(await cli('generate', 'no-such-model', '--seed', '1', '--out', join(tmp, 'x'), ...extra), /unknown model "no-such-model" \(available: .*dcgan/)
    expectOneLineError(await cli('generate', 'broken-gan', '--seed', '1', '--out', join(tmp, 'x'), ...extra), /model broken-gan is broken: .*model\.json/)
    expectOneLineError(await generate('x', '--seed', '1', '--param', 'truncation=9'), /truncation.*9.*0\.5/)
    expectOneLineError(await generate('x', '--seed', '1', '--param', 'colour=red'), /unknown parameter "colour"/)
    expectOneLineError(await generate('x', '--seed', '-1'), /--seed needs a whole number 0\.\.4294967295/)
    expectOneLineError(await generate('x', '--scale', '9'), /--scale needs a whole number 1\.\.8/)
    expectOneLineError(await generate('x', '--ep', 'tpu'), /--ep must be one of auto, cuda, dml, cpu/)
    expectOneLineError(await generate('x', '--sed', '1'), /unknown option --sed/)
    writeFileSync(join(tmp, 'a-file'), 'x')
    expectOneLineError(await cli('generate', GAN_ID, '--seed', '1', '--out', join(tmp, 'a-file', 'sub'), ...extra), /cannot write to .*a-file\/sub: (ENOTDIR|EEXIST)/)
    expectOneLineError(await cli('info', join(tmp, 'a-file')), /not a PNG file/)
    expectOneLineError(await cli('frobnicate'), /unknown command "frobnicate"/)
  })
})

describe('cli with the RBM', () => {
  const RBM_ID = 'rbm-mnist'
  const rbm = (out: string, ...args: string[]) => cli('generate', RBM_ID, '--out', join(tmp, out), ...extra, ...args)
  const file = (out: string, seed: number) => join(tmp, out, `${RBM_ID}-${seed}.png`)

  it('generate writes each chain’s final frame once, the same bytes for the same seed', async () => {
    const a = await rbm('rbm-a', '--seed', '3', '--count', '4', '--param', 'steps=300')
    expect(a.stderr).not.toMatch(/latent-studio:/)
    expect(a.code).toBe(0)
    expect(a.stdout.trim().split('\n')).toEqual([3, 4, 5, 6].map((s) => file('rbm-a', s)))
    expect(pngSize(file('rbm-a', 5))).toEqual({ width: 28, height: 28 })
    const recipe = JSON.parse(readPngText(readFileSync(file('rbm-a', 5)))[RECIPE_KEY])
    expect(recipe).toMatchObject({ modelId: RBM_ID, seed: 5, params: { count: 1, steps: 300, every: 10 } })
    const b = await rbm('rbm-b', '--seed', '3', '--count', '4', '--param', 'steps=300')
    expect(b.code).toBe(0)
    for (const s of [3, 4, 5, 6]) expect(readFileSync(file('rbm-b', s)).equals(readFileSync(file('rbm-a', s)))).toBe(true)
    // Chain 2 alone from its file's recipe: the very same file.
    const alone = await rbm('rbm-alone', '--seed', '5', ...Object.entries(recipe.params).flatMap(([k, v]) => ['--param', `${k}=${v}`]))
    expect(readFileSync(alone.stdout.trim()).equals(readFileSync(file('rbm-a', 5)))).toBe(true)
  })

  it('streams earlier frames without writing them: only the last step is on disk', async () => {
    // Frames at steps 7, 14 and 20 versus only step 20: same pixels, the recipes differ only in `every`.
    const many = await rbm('rbm-many', '--seed', '8', '--count', '2', '--param', 'steps=20', '--param', 'every=7')
    const one = await rbm('rbm-one', '--seed', '8', '--count', '2', '--param', 'steps=20', '--param', 'every=20')
    expect([many.code, one.code]).toEqual([0, 0])
    expect(readdirSync(join(tmp, 'rbm-many')).sort()).toEqual([`${RBM_ID}-8.png`, `${RBM_ID}-9.png`])
    for (const s of [8, 9]) expect(pngPixels(file('rbm-many', s)).equals(pngPixels(file('rbm-one', s)))).toBe(true)
  })
})
