/**
 * The inpainting canvas's state (RBM): a size×size drawing (ink) and mask (1 = repaint) the user paints,
 * kept in the panel's job inputs `image` and `mask` (JobInputs) as small PNGs, so Generate sends them,
 * the recipe carries them inline and a restored recipe brings them back. Each finished stroke sends the
 * bits; a picture that arrives in a slot another way (dropped, chosen, restored, a generated tile) is read
 * as the model reads it (lib/inpaint.ts) and, when that changed it, sent again as the size×size PNG the
 * canvas shows: what is drawn is what the job clamps.
 *
 * Without a mask the strokes are kept and the rest completes; with one, all but the masked area is kept.
 */
import type { ModelSummary } from '../../common/contract'
import { bitsToPng, count, readPicture, sameBytes, stroke, type Bits } from '../lib/inpaint'
import type { TileImage } from '../lib/tiles'
import type { InputSlot, JobInputs } from './JobInputs.svelte'
import type { Studio } from './Studio.svelte'

export type Tool = 'ink' | 'erase' | 'mask' | 'unmask'
type Name = 'image' | 'mask'

/** Whether `model` takes a digit to inpaint (the RBM's `image` and `mask` inputs). */
export const inpaints = (m: ModelSummary | null | undefined): boolean => m?.inputs?.image?.kind === 'image' && m?.inputs?.mask?.kind === 'image'

/** Side of the model's square picture (28 for MNIST). */
export const sideOf = (m: ModelSummary): number => m.manifest?.image?.width ?? 28

const drafts = new WeakMap<JobInputs, InpaintDraft>()
/** One draft per panel: it outlives the canvas component (switching models and back keeps the drawing). */
export function inpaintDraft(inputs: JobInputs): InpaintDraft {
  let d = drafts.get(inputs)
  if (!d) drafts.set(inputs, (d = new InpaintDraft(inputs)))
  return d
}

export class InpaintDraft {
  readonly #inputs: JobInputs
  #size = 28
  #ink = $state.raw<Bits>(new Uint8Array(28 * 28))
  #mask = $state.raw<Bits>(new Uint8Array(28 * 28))
  #tool = $state<Tool>('ink')
  #radius = $state(1)
  #notice = $state<string | null>(null)
  #imageName = 'drawing.png'
  /** The PNG bytes last put into each slot by this draft (a slot holding other bytes is read in). */
  #sent: Record<Name, Uint8Array | null> = { image: null, mask: null }
  #last: [number, number] | null = null

  constructor(inputs: JobInputs) {
    this.#inputs = inputs
  }

  get size() { return this.#size }
  get ink() { return this.#ink }
  get mask() { return this.#mask }
  get tool() { return this.#tool }
  set tool(t: Tool) { this.#tool = t }
  get radius() { return this.#radius }
  set radius(r: number) { this.#radius = r }
  /** What was done to a picture to read it ("photo.jpg: inverted…"), until the next one. */
  get notice() { return this.#notice }

  /** A stroke starts or moves on cell (x, y); `end` sends the result. */
  paint(x: number, y: number): void {
    const from = this.#last ?? [x, y]
    this.#last = [x, y]
    const value = this.#tool === 'ink' || this.#tool === 'mask' ? 1 : 0
    if (this.#tool === 'ink' || this.#tool === 'erase') this.#ink = stroke(this.#ink, this.#size, from, [x, y], this.#radius, value)
    else this.#mask = stroke(this.#mask, this.#size, from, [x, y], this.#radius, value)
  }

  end(model: ModelSummary): Promise<void> {
    if (!this.#last) return Promise.resolve()
    this.#last = null
    return this.#tool === 'ink' || this.#tool === 'erase' ? this.#send(model, 'image') : this.#send(model, 'mask')
  }

  /** Clear the drawing and the mask (a blank canvas: free chains). */
  async clear(model: ModelSummary): Promise<void> {
    this.#reset(model)
    this.#imageName = 'drawing.png'
    await Promise.all([this.#send(model, 'image'), this.#send(model, 'mask')])
  }

  async clearMask(model: ModelSummary): Promise<void> {
    this.#mask = new Uint8Array(this.#size * this.#size)
    await this.#send(model, 'mask')
  }

  /** A picture to start from (a generated tile): read as the model reads it; the mask starts empty. */
  async usePicture(model: ModelSummary, rgba: Uint8Array, width: number, height: number, fileName: string): Promise<void> {
    this.#reset(model)
    this.#ink = this.#read(rgba, width, height, fileName, undefined)
    this.#imageName = fileName
    await Promise.all([this.#send(model, 'image'), this.#send(model, 'mask')])
  }

  /**
   * The slots changed (a drop, a restored recipe, our own send coming back): read in what this draft did
   * not send, and send it back as the canvas shows it when reading changed it.
   */
  async sync(model: ModelSummary, slots: Record<Name, InputSlot | undefined>): Promise<void> {
    if (this.#size !== sideOf(model)) this.#reset(model)
    for (const name of ['image', 'mask'] as const) {
      const s = slots[name]
      if (!s) {
        if (this.#sent[name]) this.#set(name, new Uint8Array(this.#size * this.#size)) // removed elsewhere
        this.#sent[name] = null
        continue
      }
      if (s.state !== 'ready' || sameBytes(s.input.bytes, this.#sent[name]) || !s.input.check.thumb) continue
      const t = s.input.check.thumb
      this.#sent[name] = s.input.bytes
      this.#set(name, this.#read(t.rgba, t.width, t.height, s.input.fileName, name === 'mask' ? false : undefined))
      if (name === 'image') this.#imageName = s.input.fileName
      const { deflateStream } = await import('../lib/png-export')
      const png = await bitsToPng(name === 'image' ? this.#ink : this.#mask, this.#size, deflateStream)
      if (!sameBytes(png, s.input.bytes)) await this.#send(model, name, png, `${s.input.fileName.replace(/\.[^.]*$/, '')}-${this.#size}x${this.#size}.png`)
    }
  }

  #reset(model: ModelSummary): void {
    this.#size = sideOf(model)
    this.#ink = new Uint8Array(this.#size * this.#size)
    this.#mask = new Uint8Array(this.#size * this.#size)
    this.#notice = null
  }

  #set(name: Name, bits: Bits): void {
    if (name === 'image') this.#ink = bits
    else this.#mask = bits
  }

  #read(rgba: Uint8Array, w: number, h: number, fileName: string, invert: boolean | undefined): Bits {
    const r = readPicture(rgba, w, h, this.#size, invert)
    const done = [w !== this.#size || h !== this.#size ? `read at ${this.#size}×${this.#size}` : '', r.inverted ? 'inverted to light strokes on dark' : '']
    this.#notice = done.some(Boolean) ? `${fileName}: ${done.filter(Boolean).join(', ')}` : this.#notice
    return r.bits
  }

  /** Put the bits into slot `name` (empty bits: no input), as `png` when already encoded. */
  async #send(model: ModelSummary, name: Name, png?: Uint8Array, fileName?: string): Promise<void> {
    const bits = name === 'image' ? this.#ink : this.#mask
    if (!count(bits)) {
      this.#sent[name] = null
      return this.#inputs.clear(name)
    }
    const { deflateStream } = await import('../lib/png-export')
    const bytes = png ?? (await bitsToPng(bits, this.#size, deflateStream))
    this.#sent[name] = bytes
    if (name === 'image' && fileName) this.#imageName = fileName
    const file = new File([bytes as Uint8Array<ArrayBuffer>], name === 'image' ? this.#imageName : 'mask.png', { type: 'image/png' })
    await this.#inputs.pick(model, name, file)
  }
}

/** "Inpaint" on a generated tile (the viewer): its model in the panel, the tile as the drawing, no mask yet. */
export async function inpaintTile(studio: Studio, model: ModelSummary, image: TileImage, seed: number): Promise<void> {
  studio.images.closeViewer()
  studio.selectModel(model.id)
  await inpaintDraft(studio.inputs).usePicture(model, image.rgba, image.width, image.height, `${model.id}-seed-${seed}.png`)
  studio.toasts.info('The digit is on the canvas: paint a mask over what to redraw, then Generate')
}
