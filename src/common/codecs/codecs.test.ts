/**
 * Every modality's file as the renderer exports it and the CLI writes it: the recipe inside comes back
 * whole, the codec is picked from the bytes, the item recipe makes that item alone (the one rule both
 * sides use), and damaged or foreign files are refused naming the file.
 */
import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { readTextFile } from '../front-matter'
import { MODALITIES } from '../modality'
import type { Recipe } from '../recipe'
import { CODECS, fileModality, sizeError, sniffModality } from './index'

const recipe = (params: Recipe['params'], seed = 4294967294): Recipe => ({
  app: 'latent-studio', appVersion: '0.1.0', modelId: 'm', modelHash: '0123456789abcdef', seed, params, ep: 'cpu', index: 3,
})
const deflate = (d: Uint8Array) => deflateSync(d)

describe('file codecs', () => {
  it('write each modality’s file with its recipe and read it back from the bytes alone', async () => {
    const r = recipe({ count: 1 })
    const files = {
      image: await CODECS.image.encode({ width: 1, height: 1, rgba: Uint8Array.of(1, 2, 3, 255) }, r, { scale: 2, deflate }),
      text: await CODECS.text.encode({ text: 'It was a truth' }, r, { format: 'md' }),
      audio: await CODECS.audio.encode({ samples: new Float32Array([0, 0.5, -0.5]), sampleRate: 8000 }, r, {}),
      music: await CODECS.music.encode({ notes: [{ pitch: 60, velocity: 90, startS: 0.25, durS: 0.5, program: 4 }], bpm: 120 }, r, {}),
    }
    for (const m of MODALITIES) {
      expect(sniffModality('file.bin', files[m]), m).toBe(m)
      expect(CODECS[m].decode('f', files[m]), m).toMatchObject({ ok: true, recipe: r })
    }
    expect(CODECS.text.decode('f.md', files.text)).toMatchObject({ text: 'It was a truth' })
    expect(readTextFile(new TextDecoder().decode(files.text)).text).toBe('It was a truth')
    const mid = CODECS.music.decode('f.mid', files.music)
    expect(mid.ok && [mid.bpm, mid.piece]).toEqual([120, [{ pitch: 60, velocity: 90, startS: 0.25, durS: 0.5, program: 4 }]]) // on the tick grid: exact
    const wav = CODECS.audio.decode('f.wav', files.audio)
    expect(wav.ok && [wav.sampleRate, wav.samples.length]).toEqual([8000, 3])
    await expect(CODECS.image.encode({ width: 1, height: 1, rgba: new Uint8Array(4) }, r, { scale: 9, deflate })).rejects.toThrow(/scale must be 1..8/)
  })

  it('give item i the job’s recipe with seed + i (wrapping at 2^32) and a count of one', () => {
    expect(CODECS.image.itemRecipe(recipe({ count: 16, truncation: 1 }), { index: 2 })).toEqual({ ...recipe({ count: 1, truncation: 1 }, 0), index: undefined })
    // A chain frame at step 20 is the last frame of the same chain run for 20 steps.
    expect(CODECS.image.itemRecipe(recipe({ count: 4, steps: 300 }, 5), { index: 1, step: 20 }).params).toEqual({ count: 1, steps: 20 })
    expect(CODECS.audio.itemRecipe(recipe({ voices: 4, pitch: 60 }, 10), { index: 3 })).toMatchObject({ seed: 13, params: { voices: 1, pitch: 60 } })
    expect('index' in CODECS.audio.itemRecipe(recipe({ voices: 2 }), { index: 0 })).toBe(false)
    // A keyboard note fed to a running job: voice 5 is seed + 5 alone at its own pitch.
    expect(CODECS.audio.itemRecipe(recipe({ voices: 1, pitch: 60 }, 10), { index: 5, params: { pitch: 67 } })).toMatchObject({ seed: 15, params: { voices: 1, pitch: 67 } })
  })

  it('trim a draft that did not end by itself to the length it reached, and only such a draft', () => {
    const job = recipe({ prime: 'It', length: 300, drafts: 3 }, 7)
    expect(CODECS.text.itemRecipe(job, { index: 1, text: ' was', end: null })).toMatchObject({ seed: 8, params: { length: 4, drafts: 1 } })
    expect(CODECS.text.itemRecipe(job, { index: 2, text: ' was.', end: 'stop' })).toMatchObject({ seed: 9, params: { length: 300, drafts: 1 } })
    expect(CODECS.text.itemRecipe(job, { index: 0, text: '', end: undefined }).params.length).toBe(1)
  })

  it('refuse files without a recipe, damaged ones and foreign ones, naming the file', async () => {
    const png = await CODECS.image.encode({ width: 1, height: 1, rgba: new Uint8Array(4) }, recipe({}), { scale: 1, deflate })
    expect(CODECS.image.decode('a.txt', new TextEncoder().encode('hello'))).toEqual({ ok: false, error: 'a.txt is not a readable PNG (not a PNG file)' })
    expect(CODECS.text.decode('n.txt', new TextEncoder().encode('just notes'))).toEqual({ ok: false, error: 'n.txt has no Latent Studio recipe' })
    expect(CODECS.text.decode('d.md', new TextEncoder().encode('---\nlatent-studio-recipe: {"app":1}\n---\n\nx'))).toMatchObject({ ok: false, error: expect.stringMatching(/^d\.md has a damaged recipe: app/) })
    expect(CODECS.audio.decode('p.png', png)).toMatchObject({ ok: false, error: expect.stringMatching(/^p\.png is not a usable WAV: /) })
    expect(sniffModality('notes.txt', new TextEncoder().encode('plain'))).toBe('text')
    expect(sniffModality('mystery', new Uint8Array(3))).toBe('image')
  })

  it('tell a file’s modality from its first bytes or its name, and no modality for a file the studio does not read', async () => {
    const png = await CODECS.image.encode({ width: 1, height: 1, rgba: new Uint8Array(4) }, recipe({}), { scale: 1, deflate })
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0)
    expect(fileModality('shot.png', png.subarray(0, 64))).toBe('image')
    expect(fileModality('renamed.wav', png.subarray(0, 64))).toBe('image') // the bytes win over the name
    expect(fileModality('take.wav', new Uint8Array(12))).toBe('audio') // by name
    expect(fileModality('photo.jpg', jpeg)).toBeNull()
    expect(fileModality('photo', jpeg)).toBeNull()
  })

  it('refuse oversized files before reading them', () => {
    expect(sizeError('audio', 'big.wav', 65 * 1048576)).toBe('big.wav is 65 MB; only WAVs up to 64 MB are opened')
    expect(sizeError('text', 'long.md', 4.5 * 1048576)).toBe('long.md is 4.5 MB; only texts up to 4 MB are opened')
    expect(sizeError('image', 'small.png', 1000)).toBeNull()
  })
})
