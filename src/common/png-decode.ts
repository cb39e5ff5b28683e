/**
 * PNG pixels back to RGBA, for the PNGs the studio keeps (history entries: 8-bit RGBA written by png.ts)
 * and any 8-bit RGB/RGBA PNG without interlacing. Exact bytes, unlike drawing to a canvas and reading it
 * back (premultiplied alpha rounds the colour of translucent pixels). Inflate is injected as in png.ts:
 * DecompressionStream('deflate') in the browser and in Node ≥ 18, node:zlib in tests.
 */
import { isPng } from './png'

export type Inflate = (data: Uint8Array) => Promise<Uint8Array> | Uint8Array

export interface DecodedPng {
  width: number
  height: number
  /** (height, width, 4) RGBA row-major, 0..255. */
  rgba: Uint8Array
}

/** zlib inflate through the platform's DecompressionStream (off the JS thread in browsers). */
export async function inflateStream(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** The pixels of a PNG; throws an Error naming what is unsupported or damaged. */
export async function decodePng(bytes: Uint8Array, inflate: Inflate = inflateStream): Promise<DecodedPng> {
  if (!isPng(bytes)) throw new Error('not a PNG file')
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let width = 0
  let height = 0
  let channels = 0
  const idat: Uint8Array[] = []
  for (let o = 8; o + 12 <= bytes.length; ) {
    const len = dv.getUint32(o)
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8))
    if (o + 12 + len > bytes.length) throw new Error('truncated PNG chunk')
    const body = bytes.subarray(o + 8, o + 8 + len)
    if (type === 'IHDR') {
      width = dv.getUint32(o + 8)
      height = dv.getUint32(o + 12)
      const [depth, colour, , , interlace] = body.subarray(8, 13)
      channels = colour === 6 ? 4 : colour === 2 ? 3 : 0
      if (depth !== 8 || !channels || interlace !== 0) throw new Error(`only 8-bit RGB/RGBA PNGs without interlacing are read (depth ${depth}, colour type ${colour}, interlace ${interlace})`)
      if (width * height > 64 * 1024 * 1024) throw new Error(`a ${width}×${height} PNG is too big to show`)
    } else if (type === 'IDAT') idat.push(body)
    else if (type === 'IEND') break
    o += 12 + len
  }
  if (!channels) throw new Error('the PNG has no IHDR chunk')
  const raw = await inflate(concat(idat))
  const stride = width * channels
  if (raw.length < (stride + 1) * height) throw new Error('the PNG image data is truncated')
  const rows = unfilter(raw, stride, height, channels)
  if (channels === 4) return { width, height, rgba: rows }
  const rgba = new Uint8Array(width * height * 4)
  for (let p = 0, q = 0; p < rows.length; p += 3, q += 4) {
    rgba[q] = rows[p]
    rgba[q + 1] = rows[p + 1]
    rgba[q + 2] = rows[p + 2]
    rgba[q + 3] = 255
  }
  return { width, height, rgba }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

/** Undo the per-scanline filters (PNG spec §9: None, Sub, Up, Average, Paeth); `bpp` bytes per pixel. */
function unfilter(raw: Uint8Array, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    const row = y * stride
    const up = (x: number) => (y > 0 ? out[row - stride + x] : 0)
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[row + x - bpp] : 0
      const b = up(x)
      let v: number
      if (filter === 0) v = 0
      else if (filter === 1) v = a
      else if (filter === 2) v = b
      else if (filter === 3) v = (a + b) >> 1
      else if (filter === 4) v = paeth(a, b, x >= bpp ? up(x - bpp) : 0)
      else throw new Error(`unknown PNG filter ${filter} on row ${y}`)
      out[row + x] = (src[x] + v) & 0xff
    }
  }
  return out
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}
