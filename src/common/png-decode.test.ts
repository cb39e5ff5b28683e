/**
 * PNG pixels come back exactly: our own RGBA PNGs (filter 0, through the platform's DecompressionStream),
 * PNGs another encoder wrote with every filter type (sharp/libpng, adaptive filtering) in RGB and RGBA,
 * and a damaged or unsupported file is an error in words.
 */
import sharp from 'sharp'
import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { encodePng } from './png'
import { decodePng } from './png-decode'

/** A noisy gradient: neighbouring pixels differ, so libpng's adaptive filtering uses every filter type. */
function pixels(w: number, h: number, channels: number): Uint8Array {
  const out = new Uint8Array(w * h * channels)
  for (let i = 0; i < out.length; i++) out[i] = (i * 7 + ((i * 2654435761) >>> 27) + (i % channels) * 40) & 0xff
  return out
}

/** A PNG whose row y uses filter `filters[y % 5]`: our encoder's IHDR, IDAT filtered here (PNG spec §9), no CRC check needed. */
async function filteredPng(rgba: Uint8Array, w: number, h: number, filters: number[]): Promise<Uint8Array> {
  const head = (await encodePng(rgba, w, h, {}, (d) => deflateSync(d))).subarray(0, 33) // signature + IHDR
  const stride = w * 4
  const raw = new Uint8Array((stride + 1) * h)
  const px = (y: number, x: number) => (y < 0 || x < 0 ? 0 : rgba[y * stride + x])
  for (let y = 0; y < h; y++) {
    const f = filters[y % filters.length]
    raw[y * (stride + 1)] = f
    for (let x = 0; x < stride; x++) {
      const [a, b, c] = [px(y, x - 4), px(y - 1, x), px(y - 1, x - 4)]
      const p = a + b - c
      const pred = [0, a, b, (a + b) >> 1, Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c][f]
      raw[y * (stride + 1) + 1 + x] = (px(y, x) - pred) & 0xff
    }
  }
  const z = deflateSync(raw)
  const chunk = (type: string, body: Uint8Array) => {
    const out = new Uint8Array(12 + body.length)
    new DataView(out.buffer).setUint32(0, body.length)
    out.set(new TextEncoder().encode(type), 4)
    out.set(body, 8)
    return out
  }
  return Uint8Array.from([...head, ...chunk('IDAT', z), ...chunk('IEND', new Uint8Array(0))])
}

describe('decodePng', () => {
  it('reads back our own RGBA PNGs byte for byte, translucent pixels included', async () => {
    const rgba = pixels(13, 7, 4)
    const png = await encodePng(rgba, 13, 7, { k: 'v' }, (d) => deflateSync(d))
    expect(await decodePng(png)).toEqual({ width: 13, height: 7, rgba })
  })

  it('undoes every filter type (None, Sub, Up, Average, Paeth)', async () => {
    const rgba = pixels(11, 10, 4)
    expect((await decodePng(await filteredPng(rgba, 11, 10, [0, 1, 2, 3, 4]))).rgba).toEqual(rgba)
    expect((await decodePng(await filteredPng(rgba, 11, 10, [4, 3, 2, 1, 0]))).rgba).toEqual(rgba)
  })

  it('reads RGBA and RGB PNGs another encoder wrote (libpng, adaptive filters)', async () => {
    for (const channels of [4, 3] as const) {
      const raw = pixels(37, 23, channels)
      const png = new Uint8Array(await sharp(raw, { raw: { width: 37, height: 23, channels } }).png({ adaptiveFiltering: true, compressionLevel: 9 }).toBuffer())
      const got = await decodePng(png)
      const want = channels === 4 ? raw : Uint8Array.from({ length: 37 * 23 * 4 }, (_, i) => (i % 4 === 3 ? 255 : raw[Math.floor(i / 4) * 3 + (i % 4)]))
      expect(got.width).toBe(37)
      expect(got.rgba).toEqual(want)
    }
  })

  it('says what is wrong with a file it cannot read', async () => {
    await expect(decodePng(new Uint8Array([1, 2, 3]))).rejects.toThrow('not a PNG file')
    const palette = new Uint8Array(await sharp(pixels(4, 4, 3), { raw: { width: 4, height: 4, channels: 3 } }).png({ palette: true }).toBuffer())
    await expect(decodePng(palette)).rejects.toThrow(/only 8-bit RGB\/RGBA PNGs/)
    const png = await encodePng(pixels(8, 8, 4), 8, 8, {}, (d) => deflateSync(d))
    await expect(decodePng(png.subarray(0, png.length - 30))).rejects.toThrow(/truncated/)
  })
})
