/**
 * Photos a user may drop, generated here: PNGs written byte by byte (colour type and bit depth chosen,
 * so the decoder is not tested against itself), JPEGs from sharp's encoder (EXIF orientation, CMYK).
 * Each either decodes to the right pixels or is refused with a message that says why.
 */
import { deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { decodePhoto, ImageInputError, MAX_INPUT_PIXELS, type PhotoOptions } from './image-input'

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  let c = 0xffffffff
  for (const b of body) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8)
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  body.copy(out, 4)
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0, 8 + data.length)
  return out
}
const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])
const CHANNELS = { 0: 1, 2: 3, 4: 2, 6: 4 } as const
/** A PNG of colour type 0 (grey), 2 (RGB), 4 (grey+alpha) or 6 (RGBA), 8 or 16 bits, filter 0. */
function png(w: number, h: number, colorType: 0 | 2 | 4 | 6, depth: 8 | 16, px: (x: number, y: number) => number[]): Buffer {
  const n = CHANNELS[colorType] * (depth / 8)
  const rows = Buffer.alloc(h * (1 + w * n))
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      px(x, y).forEach((v, c) => {
        const at = y * (1 + w * n) + 1 + x * n + c * (depth / 8)
        if (depth === 16) rows.writeUInt16BE(v, at)
        else rows[at] = v
      })
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr.set([depth, colorType, 0, 0, 0], 8)
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', new Uint8Array(0))])
}
/** Value of channel c at (x, y) of a decoded tensor, back in 0..255. */
const at = (t: { data: Float32Array; width: number; height: number }, c: number, x: number, y: number) =>
  Math.round(t.data[c * t.width * t.height + y * t.width + x] * 255)
const rgbAt = (t: Parameters<typeof at>[0], x: number, y: number) => [0, 1, 2].map((c) => at(t, c, x, y))

async function refusal(bytes: Uint8Array, opts: PhotoOptions = { maxSide: 512 }): Promise<string> {
  const e = await decodePhoto(bytes, { ...opts, name: 'x.img' }).then(() => null, (e: unknown) => e)
  expect(e).toBeInstanceOf(ImageInputError)
  return (e as Error).message
}

describe('decodePhoto: photos it takes', () => {
  it('reads an 8-bit RGB PNG as planar floats in [0, 1], (1, 3, H, W)', async () => {
    const t = await decodePhoto(png(4, 3, 2, 8, (x, y) => [x * 60, y * 100, 7]), { maxSide: 512 })
    expect([t.width, t.height, t.data.length]).toEqual([4, 3, 36])
    expect(rgbAt(t, 3, 2)).toEqual([180, 200, 7])
    expect(t.notes).toEqual([])
    expect(t.original).toEqual({ width: 4, height: 3, format: 'PNG' })
  })

  it('rounds a 16-bit PNG to 8 bits instead of clipping or wrapping it', async () => {
    const v = (x: number) => x * 4369 // 0 … 65535 over 16 columns
    const t = await decodePhoto(png(16, 2, 2, 16, (x) => [v(x), 65535 - v(x), 32896]), { maxSide: 512 })
    for (let x = 0; x < 16; x++) {
      const want = [v(x), 65535 - v(x), 32896].map((u) => u / 257)
      rgbAt(t, x, 1).forEach((got, c) => expect(Math.abs(got - want[c]), `x=${x} c=${c}`).toBeLessThanOrEqual(1))
    }
  })

  it('composites transparency on grey #808080 (RGBA and grey+alpha) and says so', async () => {
    // Left half fully transparent red, right half opaque blue; a half-transparent white column between.
    const rgba = png(8, 2, 6, 8, (x) => (x < 4 ? [255, 0, 0, 0] : x === 4 ? [255, 255, 255, 128] : [0, 0, 255, 255]))
    const t = await decodePhoto(rgba, { maxSide: 512, name: 'logo.png' })
    expect(rgbAt(t, 0, 0)).toEqual([128, 128, 128])
    expect(rgbAt(t, 7, 1)).toEqual([0, 0, 255])
    rgbAt(t, 4, 0).forEach((v) => expect(Math.abs(v - 192)).toBeLessThanOrEqual(1)) // white over grey at 50 %
    expect(t.notes.join()).toMatch(/"logo.png" has transparency: transparent parts were filled with grey #808080/)
    const ga = await decodePhoto(png(2, 1, 4, 8, (x) => [x ? 255 : 0, x ? 255 : 0]), { maxSide: 512 })
    expect([rgbAt(ga, 0, 0), rgbAt(ga, 1, 0)]).toEqual([[128, 128, 128], [255, 255, 255]])
  })

  it('turns the photo as EXIF orientation says (6: rotate 90° clockwise)', async () => {
    // 30×20 stored, red top-left 15×10 quadrant, the rest blue; shown it is 20×30 with red top-right.
    const raw = Buffer.alloc(30 * 20 * 3)
    for (let y = 0; y < 20; y++) for (let x = 0; x < 30; x++) raw.set(x < 15 && y < 10 ? [255, 0, 0] : [0, 0, 255], (y * 30 + x) * 3)
    const jpeg = await sharp(raw, { raw: { width: 30, height: 20, channels: 3 } }).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer()
    const t = await decodePhoto(jpeg, { maxSide: 512 })
    expect([t.width, t.height]).toEqual([20, 30])
    expect(at(t, 0, 17, 3)).toBeGreaterThan(200) // red near the top-right corner
    expect(at(t, 2, 2, 3)).toBeGreaterThan(200) // blue near the top-left
    expect(at(t, 2, 17, 26)).toBeGreaterThan(200) // blue near the bottom-right
  })

  it('converts a CMYK JPEG to RGB and says so', async () => {
    const rgb = [200, 60, 20]
    const cmyk = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
      .toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer()
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk')
    const t = await decodePhoto(cmyk, { maxSide: 512 })
    rgbAt(t, 8, 8).forEach((v, c) => expect(Math.abs(v - rgb[c]), `channel ${c}`).toBeLessThan(30))
    expect(t.notes.join()).toMatch(/CMYK: converted to RGB/)
  })

  it('downscales to maxSide keeping the aspect, and the event loop keeps running while a big PNG decodes', async () => {
    const big = png(4000, 3000, 0, 8, () => [90]) // 12 megapixels of grey: ~36 MB to inflate and resample
    let last = performance.now()
    let gap = 0
    const timer = setInterval(() => {
      const now = performance.now()
      gap = Math.max(gap, now - last)
      last = now
    }, 5)
    const t0 = performance.now()
    const t = await decodePhoto(big, { maxSide: 512, name: 'big.png' }).finally(() => clearInterval(timer))
    console.log(`12 MP PNG → ${t.width}×${t.height} in ${(performance.now() - t0).toFixed(0)} ms, longest event-loop gap ${gap.toFixed(0)} ms`)
    expect([t.width, t.height]).toEqual([512, 384])
    expect(rgbAt(t, 100, 100)).toEqual([90, 90, 90])
    expect(t.notes.join()).toMatch(/"big.png" was downscaled from 4000×3000 to 512×384/)
    expect(gap).toBeLessThan(200) // decoding runs off the JS thread: a cancel can still be read
  })
})

describe('decodePhoto: what it refuses, and why', () => {
  it('refuses files that are not images, naming the formats it takes', async () => {
    expect(await refusal(new TextEncoder().encode('hello, this is a text file\n'))).toMatch(/"x.img" is not an image we can read .*use a JPEG, PNG, WebP, GIF, TIFF or AVIF file/)
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')
    expect(await refusal(svg)).toMatch(/is SVG, not a photo we take/)
    expect(await refusal(new Uint8Array(1000))).toMatch(/not an image we can read/)
  })

  it('refuses truncated JPEG and PNG files instead of returning a partly grey photo', async () => {
    const noise = Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 251))
    const jpeg = await sharp(noise, { raw: { width: 64, height: 64, channels: 3 } }).jpeg().toBuffer()
    expect(await refusal(jpeg.subarray(0, jpeg.length >> 1))).toMatch(/\(JPEG, 64×64\) could not be decoded: premature end of JPEG image; the file may be truncated or damaged/)
    expect(await refusal(jpeg.subarray(0, 100))).toMatch(/looks like a JPEG file but its header cannot be read .*truncated or damaged/)
    const p = png(64, 64, 2, 8, (x, y) => [x * 4, y * 4, (x * y) & 255])
    expect(await refusal(p.subarray(0, p.length - 40))).toMatch(/\(PNG, 64×64\) could not be decoded/)
    expect(await refusal(p.subarray(0, 20))).toMatch(/looks like a PNG file but its header cannot be read/)
  })

  it('refuses a 20000×20000 image from its header, at once, before decoding a pixel', async () => {
    // A real header with a tiny body: if the decoder went past the header this would fail differently.
    const huge = Buffer.concat([SIGNATURE, chunkWithSize(20000, 20000), chunk('IDAT', deflateSync(Buffer.alloc(16))), chunk('IEND', new Uint8Array(0))])
    const t0 = performance.now()
    const msg = await refusal(huge)
    expect(performance.now() - t0).toBeLessThan(1000)
    expect(msg).toMatch(/"x.img" is 20000×20000 \(400 megapixels\); at most 100 megapixels are accepted/)
    expect(MAX_INPUT_PIXELS).toBe(100_000_000)
  })

  it('cover: any photo to exactly the size an encoder takes, centre-cropped, grey 16-bit to RGB, transparency on the given background', async () => {
    // 40×20 grey ramp, 16-bit: the centre 20×20 (x 10..29) is what an 8×8 encoder input keeps.
    const t = await decodePhoto(png(40, 20, 0, 16, (x) => [x < 10 || x >= 30 ? 0 : 65535]), { maxSide: 8, cover: { width: 8, height: 8 }, minSide: 8, name: 'wide.png' })
    expect([t.width, t.height, t.data.length]).toEqual([8, 8, 3 * 64])
    expect(rgbAt(t, 4, 4)).toEqual([255, 255, 255])
    rgbAt(t, 0, 4).forEach((v) => expect(v).toBeGreaterThan(200)) // the dark sides were cropped away (Lanczos rings a little)
    expect(t.notes).toEqual(['"wide.png" was centre-cropped and resized from 40×20 to 8×8'])
    const clear = await decodePhoto(png(16, 16, 6, 8, () => [0, 0, 0, 0]), { maxSide: 8, cover: { width: 8, height: 8 }, background: { r: 255, g: 255, b: 255 }, name: 'a.png' })
    expect(rgbAt(clear, 3, 3)).toEqual([255, 255, 255])
    expect(clear.notes.join()).toMatch(/transparent parts were filled with white #ffffff/)
    expect(await refusal(png(6, 40, 0, 8, () => [1]), { maxSide: 8, cover: { width: 8, height: 8 }, minSide: 8 })).toMatch(/is 6×40: each side needs at least 8 px/)
  })

  it('refuses photos too small, or too thin once downscaled, for the network', async () => {
    expect(await refusal(png(20, 20, 0, 8, () => [1]), { maxSide: 512, minSide: 32 })).toMatch(/is 20×20: .*too small; each side needs at least 32 px/)
    expect(await refusal(png(4000, 40, 0, 8, () => [1]), { maxSide: 512, minSide: 32 })).toMatch(/is 4000×40: at 512×5 .*too thin/)
  })
})

/** IHDR chunk of an 8-bit RGB PNG of the given size, with a correct CRC. */
function chunkWithSize(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  return chunk('IHDR', ihdr)
}
