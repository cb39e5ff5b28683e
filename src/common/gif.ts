/**
 * Animated GIF for an interpolation strip: gifenc quantises every frame against one shared palette
 * (so a colour does not flicker between frames) and LZW-codes them; we add the recipe as a GIF89a
 * comment extension (0x21 0xFE, data sub-blocks of ≤ 255 bytes), which every GIF reader skips and
 * `readGifComments` finds again. Same frames and recipe, same bytes. Pure TS: Node and browsers.
 */
import * as gifenc from 'gifenc'

// Node's ESM sees the CommonJS build (everything on `default`), bundlers the ESM one (named exports).
type GifLib = typeof gifenc.default
const ns = gifenc as unknown as GifLib & { default: GifLib }
const lib: GifLib = typeof ns.quantize === 'function' ? ns : ns.default

export interface GifFrames {
  width: number
  height: number
  /** Each (height, width, 4) RGBA, 0..255; alpha is ignored (our images are opaque). */
  frames: readonly Uint8Array[]
  /** Per frame. */
  delayMs: number
  /** Text kept in a comment extension (the recipe). */
  comment?: string
}

export function isGif(b: Uint8Array): boolean {
  return b.length >= 6 && String.fromCharCode(...b.subarray(0, 6)).match(/^GIF8[79]a$/) !== null
}

export function encodeGif({ width, height, frames, delayMs, comment }: GifFrames): Uint8Array {
  if (!frames.length) throw new Error('a GIF needs at least one frame')
  const plane = width * height * 4
  const all = new Uint8Array(plane * frames.length) // every frame side by side: one palette for the strip
  frames.forEach((f, i) => {
    if (f.length !== plane) throw new Error(`frame ${i} has ${f.length} bytes, expected ${plane} for ${width}×${height} RGBA`)
    all.set(f, i * plane)
  })
  const palette = lib.quantize(all, 256) // `all` owns its whole buffer (see below)
  const gif = lib.GIFEncoder()
  // Fresh copies, not views: gifenc views a frame as `new Uint32Array(rgba.buffer)` (the whole buffer,
  // offset ignored), so a part off the wire, or a view into `all`, would be read from the wrong place.
  frames.forEach((_f, i) => {
    const f = all.slice(i * plane, (i + 1) * plane)
    gif.writeFrame(lib.applyPalette(f, palette), width, height, { palette, delay: delayMs, repeat: 0, first: i === 0 })
  })
  gif.finish()
  const body = gif.bytes() // ends with the trailer 0x3B
  if (comment === undefined) return body
  const ext = commentBlock(new TextEncoder().encode(comment))
  const out = new Uint8Array(body.length + ext.length)
  out.set(body.subarray(0, body.length - 1))
  out.set(ext, body.length - 1)
  out[out.length - 1] = 0x3b
  return out
}

function commentBlock(text: Uint8Array): Uint8Array {
  const parts = [0x21, 0xfe]
  for (let i = 0; i < text.length; i += 255) {
    const chunk = text.subarray(i, i + 255)
    parts.push(chunk.length, ...chunk)
  }
  parts.push(0)
  return new Uint8Array(parts)
}

/**
 * Every comment extension's text, in order, by walking the GIF's blocks (header, screen descriptor,
 * colour tables, extensions, images). Throws on a file that is not a whole GIF.
 */
export function readGifComments(b: Uint8Array): string[] {
  if (!isGif(b)) throw new Error('not a GIF (no GIF87a/GIF89a header)')
  const need = (n: number) => {
    if (p + n > b.length) throw new Error('the GIF is cut short')
  }
  const table = (flags: number) => ((flags & 0x80) !== 0 ? 3 << ((flags & 7) + 1) : 0)
  const subBlocks = (): Uint8Array[] => {
    const out: Uint8Array[] = []
    for (;;) {
      need(1)
      const n = b[p++]
      if (n === 0) return out
      need(n)
      out.push(b.subarray(p, p + n))
      p += n
    }
  }
  let p = 13
  need(0)
  p += table(b[10])
  const comments: string[] = []
  for (;;) {
    need(1)
    const kind = b[p++]
    if (kind === 0x3b) return comments
    if (kind === 0x21) {
      need(1)
      const label = b[p++]
      const data = subBlocks()
      if (label === 0xfe) {
        const all = new Uint8Array(data.reduce((s, d) => s + d.length, 0))
        data.reduce((at, d) => (all.set(d, at), at + d.length), 0)
        comments.push(new TextDecoder().decode(all))
      }
    } else if (kind === 0x2c) {
      need(9)
      const flags = b[p + 8]
      p += 9 + table(flags)
      need(1)
      p++ // LZW minimum code size
      subBlocks()
    } else {
      throw new Error(`unexpected GIF block 0x${kind.toString(16)} at byte ${p - 1}`)
    }
  }
}
