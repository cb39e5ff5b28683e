/**
 * interpolate, breed and encode on the command line, as a user runs them (subprocess, real engine host):
 * the files they write, the recipes `info` prints, the same arguments giving the same bytes, a file the
 * studio made used as a parent, an encoded latent fed back, and bad input refused in one line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { readPngText } from '../common/png'
import { RECIPE_KEY, type Recipe } from '../common/recipe'
import { runCli, type CliRun } from './testing-cli'

const tmp = mkdtempSync(join(tmpdir(), 'ls-cli-explore-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const cli = (...args: string[]) => runCli(tmp, ...args)
const recipeOf = (file: string): Recipe => JSON.parse(readPngText(readFileSync(file))[RECIPE_KEY])
const pixels = async (file: string) => (await sharp(file).raw().toBuffer()).toString('hex')
function oneLineError(r: CliRun, code: number, pattern: RegExp) {
  expect(r.code).toBe(code)
  expect(r.stdout).toBe('')
  expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('latent-studio:'))).toEqual([expect.stringMatching(pattern)])
}

describe('cli: explore', () => {
  it('interpolate writes a PNG per frame and the looping GIF; same arguments, same bytes; info reads the GIF', async () => {
    const a = await cli('interpolate', 'dcgan-emoji', '--from', '7', '--to', '12', '--frames', '5', '--out', join(tmp, 'a'))
    expect(a.code, a.stderr).toBe(0)
    const files = a.stdout.trim().split('\n')
    expect(files.map((f) => basename(f))).toEqual([1, 2, 3, 4, 5].map((i) => `dcgan-emoji-strip-7-12-0${i}.png`).concat('dcgan-emoji-strip-7-12.gif'))
    expect(recipeOf(files[2])).toMatchObject({ params: { count: 1 }, explore: { op: 'interpolate', from: { seed: 7 }, to: { seed: 12 }, frames: 5, first: 2 } })
    const meta = await sharp(files[5], { animated: true }).metadata()
    expect([meta.pages, meta.width]).toEqual([8, 64]) // 0 1 2 3 4 3 2 1
    const info = await cli('info', files[5])
    expect(JSON.parse(info.stdout)).toMatchObject({ modelId: 'dcgan-emoji', params: { count: 5 }, explore: { op: 'interpolate', frames: 5 } })
    const b = await cli('interpolate', 'dcgan-emoji', '--from', '7', '--to', '12', '--frames', '5', '--out', join(tmp, 'b'))
    for (const f of files) expect(readFileSync(f.replace(`${tmp}/a`, `${tmp}/b`)).equals(readFileSync(f)), f).toBe(true)
    expect(b.code).toBe(0)
  })

  it('breed: a frame file as a parent, crossbred by weights; each child remade alone from its own file', async () => {
    const strip = (await cli('interpolate', 'dcgan-emoji', '--from', '7', '--to', '12', '--frames', '3', '--out', join(tmp, 's'))).stdout.trim().split('\n')
    const r = await cli('breed', 'dcgan-emoji', '--parent', strip[1], '--parent', '30', '--weight', '3', '--weight', '1', '--spread', '0.2', '--seed', '50', '--count', '2', '--out', join(tmp, 'x'))
    expect(r.code, r.stderr).toBe(0)
    const kids = r.stdout.trim().split('\n')
    expect(kids.map((f) => basename(f))).toEqual(['dcgan-emoji-cross-50.png', 'dcgan-emoji-cross-51.png'])
    const rec = recipeOf(kids[1])
    expect(rec).toMatchObject({ seed: 51, params: { count: 1 }, explore: { op: 'cross', weights: [3, 1], spread: 0.2, parents: [{ z: expect.any(String) }, { seed: 30 }] } })
    // The second child alone: the same op from its seed makes the same pixels.
    const again = await cli('breed', 'dcgan-emoji', '--parent', strip[1], '--parent', '30', '--weight', '3', '--weight', '1', '--spread', '0.2', '--seed', '51', '--count', '1', '--out', join(tmp, 'y'))
    expect(await pixels(again.stdout.trim())).toBe(await pixels(kids[1]))
  })

  it('encode prints the reconstruction and its latent; the latent as a parent at 0 is that image', async () => {
    const face = join(tmp, 'face.png')
    writeFileSync(face, await sharp({ create: { width: 90, height: 60, channels: 4, background: { r: 250, g: 200, b: 40, alpha: 1 } } }).png().toBuffer())
    const r = await cli('encode', 'vae-emoji', face, '--out', join(tmp, 'e'))
    expect(r.code, r.stderr).toBe(0)
    const [file, z] = r.stdout.trim().split('\n')
    expect(basename(file)).toBe('vae-emoji-encode-face.png')
    expect(z).toMatch(/^z:[A-Za-z0-9+/]{342}==$/)
    expect(r.stderr).toMatch(/centre-cropped and resized from 90×60 to 64×64/)
    expect(recipeOf(file)).toMatchObject({ explore: { op: 'encode' }, inputs: { photo: { fileName: 'face.png', base64: expect.any(String) } } })
    const child = await cli('breed', 'vae-emoji', '--parent', z, '--spread', '0', '--count', '1', '--seed', '3', '--out', join(tmp, 'e'))
    expect(await pixels(child.stdout.trim())).toBe(await pixels(file))
  })

  it('interpolate --direction: a strip from a seed along a shipped direction, the vector in its recipe', async () => {
    const r = await cli('interpolate', 'vae-emoji', '--from', '21', '--direction', 'face', '--amount', '-1', '--frames', '3', '--out', join(tmp, 'd'))
    expect(r.code, r.stderr).toBe(0)
    const files = r.stdout.trim().split('\n')
    expect(files.map((f) => basename(f))).toEqual(['01', '02', '03'].map((k) => `vae-emoji-strip-21-less-face-${k}.png`).concat('vae-emoji-strip-21-less-face.gif'))
    expect(recipeOf(files[1])).toMatchObject({ explore: { op: 'attribute', parent: { seed: 21 }, direction: { key: 'face', z: expect.stringMatching(/^[A-Za-z0-9+/]{342}==$/) }, amount: -1, frames: 3, first: 1 } })
    oneLineError(await cli('interpolate', 'vae-emoji', '--from', '21', '--direction', 'fud', '--out', tmp), 1, /has no direction "fud" \(it has: face, person, animal, food/)
  })

  it('refuses bad input in one line', async () => {
    const notes = join(tmp, 'notes.txt')
    writeFileSync(notes, 'not a picture')
    oneLineError(await cli('encode', 'vae-emoji', notes, '--out', tmp), 1, /"notes.txt" is not an image we can read/)
    oneLineError(await cli('encode', 'dcgan-emoji', notes, '--out', tmp), 1, /has no encoder to read a photo/)
    oneLineError(await cli('breed', 'dcgan-emoji', '--parent', '1', '--parent', '2', '--weight', '1'), 2, /--weight must be given once per --parent \(2\), got 1/)
    oneLineError(await cli('breed', 'dcgan-emoji', '--parent', '1', '--spread', '3', '--out', tmp), 1, /how different\) is 3, allowed 0…1/)
    oneLineError(await cli('interpolate', 'rbm-mnist', '--from', '1', '--to', '2', '--out', tmp), 1, /no latent space to interpolate in/)
  })
})
