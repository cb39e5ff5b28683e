/**
 * The RBM's inpainting inputs → the Gibbs graph's `mask` and `clamp` rows. Two optional image inputs:
 *
 * - `image`: the digit to start from (a drawing, a generated digit, a scan). Read as the model sees it
 *   (common/inpaint-digit.ts): downscaled to fit size×size (sharp, Lanczos), grey, centred, inverted when
 *   mostly light (MNIST is white on black), binary at INK (≈ 0.5).
 * - `mask`: white (grey ≥ INK) = repaint, black = keep. Its size is the image's (it was drawn over it) or
 *   the model's (size×size, over the centred digit). Padding around a non-square image is kept as ground.
 *
 * Without a mask the image's ink is kept and everything else completes (draw part of a digit, the chains
 * finish it); with one, every kept pixel (ink and ground) holds and the masked area is drawn anew.
 */
import { binarize, centreDigit, luma } from '../../common/inpaint-digit'
import type { JobInput } from '../../common/contract'
import { cancellable } from '../dream/grad-source'
import { decodePhoto, type PhotoTensor } from '../image-input'

/** Graph rows for one chain: mask (V,) 1 = clamped pixel, clamp (V,) its value (0 or 1). */
export interface Clamp {
  mask: Float32Array
  clamp: Float32Array
  /** Pixels held (for the warnings and tests). */
  kept: number
}

export interface InpaintModel {
  channels: number
  width: number
  height: number
}

/** (h, w) grey of a decoded picture: planar RGB (3, h, w) in [0, 1] → luma. */
function greyOf(p: PhotoTensor): Float32Array {
  const n = p.width * p.height
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) out[i] = luma(p.data[i], p.data[n + i], p.data[2 * n + i])
  return out
}

/**
 * The job's clamp rows, or null when it has neither input (free chains, as before inpainting). Throws
 * with a message for the user (ImageInputError from the decoder, or a size/model mismatch); `warn`
 * gets what was done to the pictures and a mask that leaves nothing to draw.
 */
export async function readClamp(
  inputs: Readonly<Record<string, JobInput>>,
  model: InpaintModel,
  checkpoint: () => Promise<void>,
  warn: (message: string) => void,
): Promise<Clamp | null> {
  const { image, mask } = inputs
  if (!image && !mask) return null
  const size = model.width
  if (model.channels !== 1 || model.height !== size) {
    throw new Error(`inpainting needs a square one-channel model; this one makes ${model.width}×${model.height}×${model.channels}`)
  }
  const V = size * size
  const decode = (i: JobInput) => cancellable(decodePhoto(i.bytes, { maxSide: size, name: i.fileName }), checkpoint)

  let ink: Float32Array = new Float32Array(V) // (V,) 0/1: the image's strokes, or none
  let imageSize: string | null = null
  if (image) {
    const p = await decode(image)
    const d = centreDigit(greyOf(p), p.width, p.height, size)
    ink = binarize(d.grey)
    imageSize = `${p.original.width}×${p.original.height}`
    // Transparency needs no note here: the flattened grey is below INK, so a transparent sheet is ground.
    for (const n of p.notes) if (!n.includes('transparency')) warn(n)
    if (d.inverted) warn(`${name(image, 'the image')} is dark on light: inverted to light strokes on dark, as the model draws`)
  }

  const out: Clamp = { mask: new Float32Array(V), clamp: ink, kept: 0 }
  if (mask) {
    const p = await decode(mask)
    const got = `${p.original.width}×${p.original.height}`
    const square = `${size}×${size}`
    if (got !== square && got !== (imageSize ?? square)) {
      throw new Error(`${name(mask, 'the mask')} is ${got}; a mask must be the size of ${imageSize ? `the image (${imageSize}) or ` : ''}the model (${square})`)
    }
    const repaint = binarize(centreDigit(greyOf(p), p.width, p.height, size, false).grey)
    for (let j = 0; j < V; j++) out.mask[j] = 1 - repaint[j]
  } else {
    out.mask.set(ink) // no mask: the strokes are kept, the rest completes
  }
  out.kept = out.mask.reduce((s, v) => s + v, 0)
  if (out.kept === V) warn(`the mask keeps every pixel, so nothing is redrawn: paint white where the model should draw`)
  if (out.kept === 0) warn(mask ? 'the mask repaints every pixel: the chains run free' : 'the image has no strokes to keep: the chains run free')
  return out
}

const name = (i: JobInput, what: string) => (i.fileName ? `"${i.fileName}"` : what)
