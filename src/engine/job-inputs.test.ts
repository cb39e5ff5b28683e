/**
 * What the panel learns about job inputs before a job runs, from the engine as every host serves it:
 * which models take which inputs (ModelSummary.inputs), the photos a model ships (`models/photo`, and no
 * other file), and `inputs/check`: a photo as the job will see it, or the decoder's reason for refusing
 * a non-image, a truncated JPEG, a 20000×20000 image or a file over the size limit.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { JobInput } from '../common/contract'
import { INPUT_LIMITS } from '../common/inputs'
import { Engine } from './engine'
import { GAN_ID, SHIPPED_DIR } from './testing'
import { claiming } from './testing-images'

const DREAM = 'deepdream-inception'
const chelsea = new Uint8Array(readFileSync(join(SHIPPED_DIR, DREAM, 'photos', 'chelsea.jpg')))
const engine = new Engine({ modelDirs: [{ dir: SHIPPED_DIR, source: 'shipped' }], appVersion: '0.0.0-test', threads: 1 }, () => {})
const h = engine.handlers
const photo = (bytes: Uint8Array, fileName = 'x.jpg'): JobInput => ({ kind: 'image', bytes, fileName })
const refusal = (req: Parameters<typeof h['inputs/check']>[0]) => h['inputs/check'](req).then(() => 'accepted', (e: Error) => e.message)

describe('job inputs as the panel sees them', () => {
  it('lists the inputs each model takes: Deep Dream a photo, the GAN none', async () => {
    const list = await h['models/list']()
    expect(list.find((m) => m.id === DREAM)?.inputs).toEqual({ photo: { kind: 'image' } })
    expect(list.find((m) => m.id === GAN_ID)?.inputs).toBeUndefined()
  })

  it('serves the photos a model ships, and only those', async () => {
    const p = await h['models/photo']({ modelId: DREAM, file: 'photos/chelsea.jpg' })
    expect(p).toMatchObject({ fileName: 'chelsea.jpg', title: 'Chelsea the cat', license: expect.stringMatching(/CC0/) })
    expect(Buffer.from(p.bytes).equals(Buffer.from(chelsea))).toBe(true)
    for (const file of ['photos/../model.json', 'model.json', 'photos/nope.jpg', '/etc/passwd', 42]) {
      await expect(h['models/photo']({ modelId: DREAM, file: file as string })).rejects.toThrow(/ships no photo/)
    }
    await expect(h['models/photo']({ modelId: GAN_ID, file: 'photos/chelsea.jpg' })).rejects.toThrow(/ships no photo/)
    await expect(h['models/photo']({ modelId: 'nope', file: 'photos/chelsea.jpg' })).rejects.toThrow(/no usable model/)
  })

  it('reads a photo as the job will: format, size and an upright thumbnail', async () => {
    const c = await h['inputs/check']({ modelId: DREAM, name: 'photo', input: photo(chelsea, 'chelsea.jpg') })
    expect(c.summary).toBe('JPEG 451×300')
    expect(c.notes).toEqual([])
    expect([c.thumb?.width, c.thumb?.height, c.thumb?.rgba.length]).toEqual([192, 128, 192 * 128 * 4])
    // EXIF orientation 6 (rotate 90° clockwise): the thumbnail is the photo as viewers show it, tall.
    const turned = await sharp({ create: { width: 60, height: 20, channels: 3, background: '#c04020' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer()
    const t = await h['inputs/check']({ modelId: DREAM, name: 'photo', input: photo(new Uint8Array(turned)) })
    expect([t.summary, t.thumb?.width, t.thumb?.height]).toEqual(['JPEG 20×60', 20, 60])
  })

  it('refuses what a job would refuse, with the decoder’s words', async () => {
    const at = (bytes: Uint8Array, fileName: string) => refusal({ modelId: DREAM, name: 'photo', input: photo(bytes, fileName) })
    expect(await at(new TextEncoder().encode('hello, not a photo'), 'notes.txt')).toMatch(/^"notes.txt" is not an image we can read .*use a JPEG, PNG/)
    expect(await at(chelsea.subarray(0, chelsea.length >> 1), 'cut.jpg')).toMatch(/^"cut.jpg" \(JPEG, 451×300\) could not be decoded: .*truncated or damaged/)
    expect(await at(claiming(chelsea, 20000, 20000), 'huge.jpg')).toMatch(/^"huge.jpg" is 20000×20000 \(400 megapixels\); at most 100 megapixels/)
    expect(await at(new Uint8Array(INPUT_LIMITS.image + 1), 'fat.jpg')).toMatch(/over the 32 MiB limit for an image/)
    expect(await refusal({ modelId: DREAM, name: 'prime', input: photo(chelsea) })).toMatch(/input "prime" is not taken by this model \(it takes: photo\)/)
    expect(await refusal({ modelId: GAN_ID, name: 'photo', input: photo(chelsea) })).toMatch(/it takes: nothing/)
    expect(await refusal({ modelId: DREAM, name: 'photo', input: { kind: 'midi', bytes: chelsea } })).toMatch(/must be of kind "image"/)
  }, 60_000)
})
