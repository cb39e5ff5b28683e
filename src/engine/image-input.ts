/**
 * A photo a job takes in (bytes as read from disk) → an RGB float tensor at most `maxSide` a side.
 * Decoding is sharp's (libvips): it runs on libuv's thread pool, so the host's event loop keeps
 * reading messages while a big file decodes, and JPEG/WebP shrink while they decode (a 6000×4000
 * JPEG is read at 1/8 scale when 512 px are wanted).
 *
 * What a user may drop, and what happens:
 * - EXIF orientation is applied (the tensor is the photo as viewers show it).
 * - CMYK (print JPEGs), greyscale, palette, 16-bit and ICC-tagged images are converted to 8-bit sRGB
 *   (16-bit is rounded to 8: the result is written as 8-bit anyway).
 * - Transparent pixels are composited on neutral grey #808080: under the Keras normalisation
 *   x / 127.5 − 1 that is ≈ 0, the value that excites the network least, so Deep Dream leaves empty
 *   areas quiet instead of dreaming into a white or black backdrop.
 * - Animated GIF/WebP and multi-page TIFF: the first frame.
 * - Refused with a message: non-images and formats we do not take (SVG, PDF…), truncated or corrupt
 *   files (failOn 'warning', libvips' strictest: a JPEG cut short is an error, not a grey bottom), more
 *   than MAX_INPUT_PIXELS (checked on the header, before any pixel is decoded), and images too small or
 *   too thin to use.
 */
import sharp, { type Metadata, type OutputInfo } from 'sharp'

// The host lives long and decodes each photo once: libvips' operation cache would only hold memory.
sharp.cache(false)

/** Largest photo accepted, in pixels (before downscaling): a 100-megapixel medium-format frame fits. */
export const MAX_INPUT_PIXELS = 100_000_000
/** Formats we decode; sharp also reads SVG/PDF/raw, which are not photos (and SVG can reference files). */
const FORMATS: Record<string, string> = { jpeg: 'JPEG', png: 'PNG', webp: 'WebP', gif: 'GIF', tiff: 'TIFF', heif: 'AVIF' }
/** Where transparent pixels end up (see the header). */
export const TRANSPARENT_BACKGROUND = { r: 128, g: 128, b: 128 } as const

export interface PhotoOptions {
  /** Longest side of the tensor; larger photos are downscaled (Lanczos), smaller ones kept as they are. */
  maxSide: number
  /** Shortest side the tensor may have after downscaling (the network needs a few pixels). */
  minSide?: number
  /** For messages: the file name the user picked. */
  name?: string
  /**
   * Exactly this size instead: scaled to cover it and centre-cropped (an encoder's 64×64 input), larger
   * or smaller than the photo; `maxSide` is then unused and `minSide` applies to the photo itself.
   */
  cover?: { width: number; height: number }
  /** Where transparent pixels go (default TRANSPARENT_BACKGROUND): a model trained on white wants white. */
  background?: { r: number; g: number; b: number }
}

export interface PhotoTensor {
  /** (1, 3, height, width) float32, sRGB code values / 255 in [0, 1], planar R, G, B. */
  data: Float32Array
  width: number
  height: number
  /** The photo as shown (after EXIF orientation), before downscaling; `format` as a user knows it. */
  original: { width: number; height: number; format: string }
  /** What was done that the user may want to know (downscaled, transparency flattened, CMYK converted). */
  notes: string[]
}

/** A photo we will not use; `message` is written for the user. */
export class ImageInputError extends Error {}

/** Decode `bytes` (see the header for what is accepted). Throws ImageInputError with a readable message. */
export async function decodePhoto(bytes: Uint8Array, opts: PhotoOptions): Promise<PhotoTensor> {
  const what = opts.name ? `"${opts.name}"` : 'the photo'
  const fail = (why: string): never => {
    throw new ImageInputError(`${what} ${why}`)
  }
  // The pixel limit is ours (below, with the size in the message); sharp's stays as a backstop on decode.
  const open = (limit: number | false) => sharp(bytes, { failOn: 'warning', limitInputPixels: limit, sequentialRead: true })

  let meta: Metadata
  try {
    meta = await open(false).metadata() // header only: nothing is decoded yet
  } catch (e) {
    const looks = sniff(bytes)
    if (looks) return fail(`looks like a ${looks} file but its header cannot be read (${reason(e)}); the file may be truncated or damaged`)
    return fail(`is not an image we can read (${reason(e)}); use a JPEG, PNG, WebP, GIF, TIFF or AVIF file`)
  }
  const format = FORMATS[meta.format ?? '']
  if (!format) return fail(`is ${meta.format?.toUpperCase() ?? 'an unknown format'}, not a photo we take; use a JPEG, PNG, WebP, GIF, TIFF or AVIF file`)
  const { width = 0, height = 0 } = meta.autoOrient ?? meta
  if (!(width > 0 && height > 0)) return fail(`(${format}) has no size in its header`)
  if (width * height > MAX_INPUT_PIXELS) {
    return fail(`is ${width}×${height} (${mp(width * height)}); at most ${mp(MAX_INPUT_PIXELS)} are accepted: make it smaller first`)
  }

  const cover = opts.cover
  const scale = cover ? Math.max(cover.width / width, cover.height / height) : Math.min(1, opts.maxSide / Math.max(width, height))
  const w = cover ? cover.width : Math.max(1, Math.round(width * scale))
  const h = cover ? cover.height : Math.max(1, Math.round(height * scale))
  const minSide = opts.minSide ?? 1
  if (cover && Math.min(width, height) < minSide) return fail(`is ${width}×${height}: each side needs at least ${minSide} px`)
  if (!cover && Math.min(w, h) < minSide) {
    return fail(`is ${width}×${height}: at ${w}×${h} (longest side ${opts.maxSide}) it is too ${scale < 1 ? 'thin' : 'small'}; each side needs at least ${minSide} px`)
  }

  let raw: { data: Buffer; info: OutputInfo }
  try {
    let p = open(MAX_INPUT_PIXELS).autoOrient()
    if (w !== width || h !== height) p = p.resize({ width: w, height: h, fit: cover ? 'cover' : 'fill', position: 'centre', kernel: 'lanczos3' })
    raw = await p
      .flatten({ background: opts.background ?? TRANSPARENT_BACKGROUND }) // no-op without alpha
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
  } catch (e) {
    return fail(`(${format}, ${width}×${height}) could not be decoded: ${reason(e)}; the file may be truncated or damaged`)
  }
  const { info, data } = raw
  if (info.width !== w || info.height !== h || info.channels !== 3) {
    return fail(`decoded to ${info.width}×${info.height}×${info.channels}, expected ${w}×${h}×3`)
  }

  const plane = w * h
  const out = new Float32Array(3 * plane) // (1, 3, h, w): interleaved RGB bytes → planar floats
  for (let p = 0; p < plane; p++) {
    out[p] = data[3 * p] / 255
    out[plane + p] = data[3 * p + 1] / 255
    out[2 * plane + p] = data[3 * p + 2] / 255
  }
  const notes: string[] = []
  if (cover && (w !== width || h !== height)) notes.push(`${what} was ${width / height === w / h ? '' : 'centre-cropped and '}resized from ${width}×${height} to ${w}×${h}`)
  else if (scale < 1) notes.push(`${what} was downscaled from ${width}×${height} to ${w}×${h}`)
  const bg = opts.background ?? TRANSPARENT_BACKGROUND
  const hex = `#${[bg.r, bg.g, bg.b].map((c) => c.toString(16).padStart(2, '0')).join('')}`
  if (meta.hasAlpha) notes.push(`${what} has transparency: transparent parts were filled with ${hex === '#ffffff' ? 'white' : hex === '#808080' ? 'grey' : ''} ${hex}`.replace('  ', ' '))
  if (meta.space === 'cmyk') notes.push(`${what} is CMYK: converted to RGB`)
  return { data: out, width: w, height: h, original: { width, height, format }, notes }
}

const mp = (px: number) => `${(px / 1e6).toFixed(px < 1e7 ? 1 : 0)} megapixels`

/** The format a file's first bytes claim, for a better message when its header is cut short. */
function sniff(b: Uint8Array): string | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to))
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'JPEG'
  if (b[0] === 0x89 && ascii(1, 4) === 'PNG') return 'PNG'
  if (ascii(0, 4) === 'GIF8') return 'GIF'
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'WebP'
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'TIFF'
  return null
}

/** sharp's message, first line, without libvips' internal prefixes ("VipsJpeg: "). */
function reason(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0].replace(/\b(Vips|vips)\w*:\s*/g, '').trim()
}
