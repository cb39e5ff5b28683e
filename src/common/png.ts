// Our own codec, not a library: RGBA8 + tEXt in ~130 lines with deflate injected (node:zlib, the browser's CompressionStream), so the page bundles no zlib; fast-png 8 would bring fflate + iobuffer for the same job.
/**
 * Minimal PNG writer/reader for RGBA8 images with tEXt chunks (the recipe rides in one).
 * Pure TS: the zlib step is injected (node:zlib in Node, CompressionStream('deflate') in the browser),
 * so the same bytes come out of the CLI and the studio for the same pixels and deflate level.
 */
export type Deflate = (data: Uint8Array) => Promise<Uint8Array> | Uint8Array

const SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10)

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

function crc32(bytes: Uint8Array, crc = 0xffffffff): number {
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8)
  return crc
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const dv = new DataView(out.buffer)
  dv.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  dv.setUint32(8 + data.length, (crc32(out.subarray(4, 8 + data.length)) ^ 0xffffffff) >>> 0)
  return out
}

/** tEXt is Latin-1; we store JSON with non-Latin-1 characters escaped as \uXXXX so it round-trips. */
function latin1(s: string): Uint8Array {
  const safe = s.replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
  return Uint8Array.from(safe, (c) => c.charCodeAt(0))
}

/** rgba: (height, width, 4) row-major. Returns the PNG file bytes. */
export async function encodePng(
  rgba: Uint8Array,
  width: number,
  height: number,
  text: Record<string, string>,
  deflate: Deflate,
): Promise<Uint8Array> {
  if (rgba.length !== width * height * 4) throw new Error(`encodePng: ${rgba.length} bytes for ${width}×${height} RGBA`)
  const ihdr = new Uint8Array(13)
  const dv = new DataView(ihdr.buffer)
  dv.setUint32(0, width)
  dv.setUint32(4, height)
  ihdr.set([8, 6, 0, 0, 0], 8) // 8-bit, colour type 6 (RGBA), deflate, filter 0, no interlace
  const stride = width * 4
  const raw = new Uint8Array((stride + 1) * height) // each scanline: filter byte 0 + pixels
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1)
  const parts = [SIGNATURE, chunk('IHDR', ihdr)]
  for (const [k, v] of Object.entries(text)) {
    const kb = latin1(k)
    const vb = latin1(v)
    const body = new Uint8Array(kb.length + 1 + vb.length)
    body.set(kb, 0)
    body.set(vb, kb.length + 1)
    parts.push(chunk('tEXt', body))
  }
  parts.push(chunk('IDAT', await deflate(raw)), chunk('IEND', new Uint8Array(0)))
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

/** Whether the bytes start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b)
}

/** tEXt is Latin-1: one char per byte. In chunks: spreading a whole 200 KB chunk overflows the call stack. */
function fromLatin1(b: Uint8Array): string {
  let s = ''
  for (let i = 0; i < b.length; i += 0x2000) s += String.fromCharCode(...b.subarray(i, i + 0x2000))
  return s
}

/** Read the tEXt entries of a PNG. Throws a readable error for a file that is not a PNG. */
export function readPngText(bytes: Uint8Array): Record<string, string> {
  if (!isPng(bytes)) throw new Error('not a PNG file')
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out: Record<string, string> = {}
  let o = 8
  while (o + 12 <= bytes.length) {
    const len = dv.getUint32(o)
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8))
    if (o + 12 + len > bytes.length) throw new Error('truncated PNG chunk')
    if (type === 'tEXt') {
      const body = bytes.subarray(o + 8, o + 8 + len)
      const nul = body.indexOf(0)
      if (nul > 0) {
        const dec = fromLatin1
        out[dec(body.subarray(0, nul))] = dec(body.subarray(nul + 1)).replace(/\\u([0-9a-f]{4})/g, (_, h) =>
          String.fromCharCode(parseInt(h, 16)),
        )
      }
    }
    if (type === 'IEND') break
    o += 12 + len
  }
  return out
}

/** Nearest-neighbour upscale by an integer factor k (1..8): crisp pixels for small generated images. */
export function upscaleNearest(rgba: Uint8Array, width: number, height: number, k: number): Uint8Array {
  if (k === 1) return rgba
  // Uint32 views need 4-byte alignment; pixels from Node IPC can sit at any offset in a Buffer
  if (rgba.byteOffset % 4 !== 0) rgba = rgba.slice()
  const W = width * k
  const out = new Uint8Array(W * height * k * 4)
  const src = new Uint32Array(rgba.buffer, rgba.byteOffset, width * height)
  const dst = new Uint32Array(out.buffer)
  for (let y = 0; y < height * k; y++) {
    const sy = Math.floor(y / k) * width
    for (let x = 0; x < W; x++) dst[y * W + x] = src[sy + Math.floor(x / k)]
  }
  return out
}
