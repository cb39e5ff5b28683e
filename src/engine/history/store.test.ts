/**
 * The history store on a real folder: entries are the files an export writes (each opens through the
 * codecs with its recipe), a write that fails midway (a disk filling up, for real: /dev/full) leaves
 * what was there and no trace, a damaged entry is skipped with a note while the rest list, the size cap
 * drops the oldest, delete removes the files, and search finds a job by model and by any item's seed.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CODECS } from '../../common/codecs'
import type { HistoryPut } from '../../common/history'
import { audioItemRecipe, imageItemRecipe } from '../../common/items'
import type { Recipe } from '../../common/recipe'
import { fullDiskAfter } from '../testing-disk'
import { HistoryStore } from './store'

let dir: string
let clock: number
const now = () => (clock += 1000)
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'history-'))
  clock = Date.UTC(2026, 11, 6)
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const recipe = (modelId: string, seed: number, params: Recipe['params']): Recipe => ({ app: 'latent-studio', appVersion: '0.1.0', modelId, modelHash: 'abc', seed, params, ep: 'cpu' })

/** An image job of `n` 8×8 tiles, as the studio puts it: one PNG per tile with its own recipe. */
async function imageJob(seed: number, n = 2, modelId = 'dcgan-emoji'): Promise<HistoryPut> {
  const job = recipe(modelId, seed, { count: n, truncation: 1 })
  const files = []
  for (let i = 0; i < n; i++) {
    const r = imageItemRecipe(job, { index: i })
    const rgba = new Uint8Array(8 * 8 * 4).fill(10 * i + 1)
    files.push({ name: `${modelId}-${r.seed}.png`, bytes: await CODECS.image.encode({ width: 8, height: 8, rgba }, r, { scale: 1, deflate: (d) => deflateSync(d) }) })
  }
  return { modelId, modelTitle: 'DCGAN emoji', modality: 'image', recipe: job, ms: 12, summary: '', files }
}

/** A one-voice audio job whose WAV is about `bytes` long (16-bit samples). */
async function audioJob(seed: number, bytes: number): Promise<HistoryPut> {
  const job = recipe('wavenet-notes', seed, { voices: 1, pitch: 60 })
  const r = audioItemRecipe(job, { index: 0 })
  const samples = new Float32Array(bytes / 2).map((_, i) => Math.sin(i / 9) * 0.5)
  const wav = await CODECS.audio.encode({ samples, sampleRate: 16000 }, r, {})
  return { modelId: 'wavenet-notes', modelTitle: 'WaveNet notes', modality: 'audio', recipe: job, ms: 900, summary: 'piano C4', files: [{ name: `wavenet-notes-${seed}.wav`, bytes: wav }] }
}

describe('HistoryStore', () => {
  it('keeps a job as files that open with their recipes, lists it after a restart, and gives the bytes back', async () => {
    const put = await imageJob(7, 3)
    const entry = await new HistoryStore(dir, { now }).put(put)
    expect(entry).toMatchObject({ modelId: 'dcgan-emoji', seed: 7, modality: 'image', files: [{ name: 'dcgan-emoji-7.png', seed: 7 }, { seed: 8 }, { seed: 9 }] })

    const folder = join(dir, entry.id)
    expect((await readdir(folder)).sort()).toEqual(['dcgan-emoji-7.png', 'dcgan-emoji-8.png', 'dcgan-emoji-9.png', 'entry.json'])
    const png = new Uint8Array(await readFile(join(folder, 'dcgan-emoji-8.png')))
    const d = CODECS.image.decode('dcgan-emoji-8.png', png)
    expect(d.ok && d.recipe).toMatchObject({ modelId: 'dcgan-emoji', seed: 8, params: { count: 1 } })

    const again = new HistoryStore(dir) // a restart: nothing in memory
    const listing = await again.list({})
    expect(listing.entries.map((e) => e.id)).toEqual([entry.id])
    expect(listing.notes).toEqual([])
    expect(listing.usedBytes).toBe(entry.bytes)
    const got = await again.get(entry.id)
    expect(got.files.map((f) => f.name)).toEqual(put.files.map((f) => f.name))
    expect(got.files[1].bytes).toEqual(put.files[1].bytes)
  })

  it('a disk that fills midway leaves the kept entries as they were and no half entry or temp file', async () => {
    const first = await new HistoryStore(dir, { now }).put(await imageJob(1))
    const before = await readFile(join(dir, first.id, 'dcgan-emoji-1.png'))
    const big = await audioJob(5, 200_000)
    const store = new HistoryStore(dir, { now, io: fullDiskAfter(64 * 1024) })
    await expect(store.put(big)).rejects.toThrow(/could not keep the job in .*ENOSPC/)
    expect(await readdir(dir)).toEqual([first.id]) // no .tmp folder, no second entry
    const listing = await new HistoryStore(dir).list({})
    expect(listing.entries.map((e) => e.id)).toEqual([first.id])
    expect(await readFile(join(dir, first.id, 'dcgan-emoji-1.png'))).toEqual(before)
  })

  it('skips a damaged entry with a note and lists the rest', async () => {
    const store = new HistoryStore(dir, { now })
    const good = await store.put(await imageJob(1))
    const torn = await store.put(await imageJob(2))
    const gutted = await store.put(await imageJob(3))
    const text = await readFile(join(dir, torn.id, 'entry.json'), 'utf8')
    await writeFile(join(dir, torn.id, 'entry.json'), text.slice(0, text.length / 2)) // a torn index
    await rm(join(dir, gutted.id, 'dcgan-emoji-4.png')) // a file removed by hand
    await mkdir(join(dir, 'holiday-photos')) // something else in the folder

    const listing = await store.list({})
    expect(listing.entries.map((e) => e.id)).toEqual([good.id])
    expect(listing.notes).toHaveLength(3)
    expect(listing.notes.find((n) => n.startsWith(torn.id))).toMatch(/entry\.json is not JSON — skipped/)
    expect(listing.notes.find((n) => n.startsWith(gutted.id))).toMatch(/dcgan-emoji-4\.png is missing — skipped/)
    expect(listing.notes.find((n) => n.startsWith('holiday-photos'))).toMatch(/no entry\.json/)
    await expect(store.get(torn.id)).rejects.toThrow(`history entry ${torn.id} cannot be read: entry.json is not JSON`)
    expect((await store.get(good.id)).files).toHaveLength(2)
  })

  it('drops the oldest entries past the size cap the user sets, and remembers the cap', async () => {
    const MiB = 1024 * 1024
    const store = new HistoryStore(dir, { now })
    expect((await store.settings()).capBytes).toBe(1024 * MiB)
    await store.settings(MiB)
    const a = await store.put(await audioJob(1, 400_000))
    const b = await store.put(await audioJob(2, 400_000))
    expect((await store.list({})).entries.map((e) => e.id)).toEqual([b.id, a.id])
    const c = await store.put(await audioJob(3, 400_000)) // 1.2 MB > 1 MiB: the oldest goes
    expect((await store.list({})).entries.map((e) => e.id)).toEqual([c.id, b.id])
    expect(existsSync(join(dir, a.id))).toBe(false)

    const reopened = new HistoryStore(dir)
    const s = await reopened.settings()
    expect(s).toMatchObject({ capBytes: MiB, dir })
    expect(s.usedBytes).toBe(b.bytes + c.bytes)
    await reopened.settings(MiB) // lowering to what one entry takes keeps only the newest
    await reopened.settings(2 * MiB)
    await expect(reopened.settings(1000)).rejects.toThrow(/size cap must be .* from 1048576/)
  })

  it('delete removes the folder and its files; unknown ids are not reported, ids outside the folder refused', async () => {
    const store = new HistoryStore(dir, { now })
    const a = await store.put(await imageJob(1))
    const b = await store.put(await imageJob(5))
    expect(await store.remove([a.id, 'nothing-here'])).toEqual({ deleted: [a.id] })
    expect(await readdir(dir)).toEqual([b.id])
    await expect(store.remove(['../etc'])).rejects.toThrow(/not a history entry id/)
    await expect(store.get('.hidden')).rejects.toThrow(/not a history entry id/)
  })

  it('finds jobs by model (id or title, any case) and by the job seed or any item seed', async () => {
    const store = new HistoryStore(dir, { now })
    const img = await store.put(await imageJob(7, 4)) // seeds 7..10
    const snd = await store.put(await audioJob(9, 2000))
    const ids = async (q: object) => (await store.list(q)).entries.map((e) => e.id)
    expect(await ids({ model: 'DCGAN' })).toEqual([img.id])
    expect(await ids({ model: 'notes' })).toEqual([snd.id])
    expect(await ids({ seed: 9 })).toEqual([snd.id, img.id])
    expect(await ids({ seed: 10, model: 'dcgan' })).toEqual([img.id])
    expect(await ids({ seed: 11 })).toEqual([])
  })

  it('refuses a put that is not what the studio exports, before writing anything', async () => {
    const store = new HistoryStore(dir, { now })
    const ok = await imageJob(1)
    const refused = async (p: unknown, why: RegExp) => expect(store.put(p)).rejects.toThrow(why)
    await refused({ ...ok, files: [{ name: '../x.png', bytes: ok.files[0].bytes }] }, /file name must be plain/)
    await refused({ ...ok, files: [{ name: 'a.wav', bytes: ok.files[0].bytes }] }, /image files end in \.png/)
    await refused({ ...ok, files: [{ name: 'a.png', bytes: new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]) }] }, /a\.png/)
    await refused({ ...ok, modelId: 'vae-emoji' }, /is not the recipe's/)
    await refused({ ...ok, recipe: { ...ok.recipe, modelId: 'vae-emoji' }, modelId: 'vae-emoji' }, /holds a recipe of dcgan-emoji, not vae-emoji/)
    await refused({ ...ok, files: [ok.files[0], ok.files[0]] }, /is there twice/)
    await refused(null, /history\/put: needs/)
    expect(await readdir(dir).catch(() => [])).toEqual([])
  })
})
