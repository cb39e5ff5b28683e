/**
 * The strip's animation as a user meets it: a GIF any reader (libvips here) opens with every frame of
 * the loop, the recipe read back from it by the studio's one image codec (drop or `info`), the same
 * bytes for the same strip, and a damaged file refused by name.
 */
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { CODECS, fileModality } from './codecs'
import { readGifComments } from './gif'
import type { Recipe } from './recipe'
import { encodeStripGif, stripFileName } from './strip-gif'

const recipe: Recipe = {
  app: 'latent-studio', appVersion: '1', modelId: 'dcgan-emoji', modelHash: 'abc', seed: 0, ep: 'cpu',
  params: { count: 4, truncation: 1 }, explore: { op: 'interpolate', from: { seed: 7 }, to: { seed: 12 }, frames: 4 },
}
// Four 8×8 frames fading red → blue.
const frames = [0, 1, 2, 3].map((k) => {
  const f = new Uint8Array(8 * 8 * 4)
  for (let p = 0; p < 64; p++) f.set([255 - 85 * k, 0, 85 * k, 255], p * 4)
  return f
})

describe('strip GIF', () => {
  it('opens in another reader as the ping-pong loop, scaled, first frame as drawn', async () => {
    const gif = encodeStripGif(frames, 8, 8, recipe, { scale: 2 })
    const meta = await sharp(gif, { animated: true }).metadata()
    expect([meta.format, meta.width, meta.pageHeight, meta.pages]).toEqual(['gif', 16, 16, 6])
    expect(meta.delay).toEqual([120, 120, 120, 120, 120, 120])
    expect(meta.loop).toBe(0)
    const first = await sharp(gif, { page: 0 }).removeAlpha().raw().toBuffer()
    expect([...first.subarray(0, 3)]).toEqual([255, 0, 0])
    const last = await sharp(gif, { page: 5 }).removeAlpha().raw().toBuffer() // 0 1 2 3 2 1: frame 1 again
    expect(Math.abs(last[0] - 170)).toBeLessThanOrEqual(8)
    expect(encodeStripGif(frames, 8, 8, recipe, { scale: 2, pingPong: false }).length).toBeLessThan(gif.length)
  })

  it('carries its recipe: dropped or `info`-ed, the image codec reads it back', () => {
    const gif = encodeStripGif(frames, 8, 8, recipe, { scale: 1 })
    expect(fileModality('strip.gif', gif)).toBe('image')
    const d = CODECS.image.decode('strip.gif', gif)
    expect(d.ok && d.recipe).toEqual(recipe)
    expect(Buffer.from(encodeStripGif(frames, 8, 8, recipe, { scale: 1 })).equals(Buffer.from(gif))).toBe(true)
    expect(stripFileName('dcgan-emoji', recipe, 3)).toBe('dcgan-emoji-strip-7-12@3x.gif')
  })

  it('a long recipe spans comment sub-blocks; a cut or foreign GIF is refused by name', async () => {
    const long = { ...recipe, params: { ...recipe.params, note: 'x'.repeat(900) } }
    const gif = encodeStripGif(frames, 8, 8, long, { scale: 1 })
    expect(readGifComments(gif)[0].length).toBeGreaterThan(900)
    const cut = CODECS.image.decode('cut.gif', gif.subarray(0, gif.length - 40))
    expect(cut.ok ? '' : cut.error).toMatch(/^cut.gif is not a readable GIF \(the GIF is cut short\)/)
    const plain = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } }).gif().toBuffer()
    const bare = CODECS.image.decode('other.gif', new Uint8Array(plain))
    expect(bare.ok ? '' : bare.error).toBe('other.gif has no Latent Studio recipe')
  })
})
