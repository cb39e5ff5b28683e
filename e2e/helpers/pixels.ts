/**
 * Pixel checks that run inside the page: what the user sees on a tile's canvas, and a PNG decoded by the
 * browser itself. Everything heavy stays in the page; only small summaries come back.
 */
import type { Locator, Page } from '@playwright/test'

/** Summary of one image: distinct colours, the spread of its values, whether it is opaque. */
export interface PixelStats {
  width: number
  height: number
  distinct: number
  /** Standard deviation over all RGB values, 0..255: 0 means a flat colour. */
  std: number
  opaque: boolean
}

/** Stats of what a grid tile shows (its canvas, or its img if it draws with one). */
export async function tileStats(tile: Locator): Promise<PixelStats> {
  return tile.evaluate((el) => {
    const src = (el.matches('canvas, img') ? el : el.querySelector('canvas, img')) as HTMLCanvasElement | HTMLImageElement | null
    if (!src) throw new Error('tile has no canvas or img')
    const w = src instanceof HTMLImageElement ? src.naturalWidth : src.width
    const h = src instanceof HTMLImageElement ? src.naturalHeight : src.height
    // Copy through a scratch 2D canvas: works whatever context the tile drew with.
    const c = document.createElement('canvas')
    c.width = w
    c.height = h
    const g = c.getContext('2d')!
    g.drawImage(src, 0, 0)
    const d = g.getImageData(0, 0, w, h).data
    const colours = new Set<number>()
    let sum = 0
    let sq = 0
    let opaque = true
    for (let i = 0; i < d.length; i += 4) {
      colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2])
      for (let k = 0; k < 3; k++) {
        sum += d[i + k]
        sq += d[i + k] * d[i + k]
      }
      if (d[i + 3] !== 255) opaque = false
    }
    const n = (d.length / 4) * 3
    return { width: w, height: h, distinct: colours.size, std: Math.sqrt(Math.max(0, sq / n - (sum / n) ** 2)), opaque }
  })
}

/**
 * Decode `png` in the page and compare it with what `tile` shows: the PNG must be the tile upscaled by
 * `scale` with nearest neighbour (every scale×scale block one colour, equal to the tile's pixel).
 * Returns the largest channel difference seen and how many blocks were not flat.
 */
export async function comparePngWithTile(page: Page, png: Uint8Array, tile: Locator, scale: number) {
  const b64 = Buffer.from(png).toString('base64')
  const handle = await tile.elementHandle()
  return page.evaluate(
    async ({ b64, el, scale }) => {
      const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))
      const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }), {
        colorSpaceConversion: 'none',
        premultiplyAlpha: 'none',
      })
      const read = (src: CanvasImageSource, w: number, h: number) => {
        const c = document.createElement('canvas')
        c.width = w
        c.height = h
        const g = c.getContext('2d')!
        g.drawImage(src, 0, 0)
        return g.getImageData(0, 0, w, h).data
      }
      const big = read(bmp, bmp.width, bmp.height)
      const srcEl = (el!.matches('canvas, img') ? el : el!.querySelector('canvas, img')) as HTMLCanvasElement | HTMLImageElement
      const w = srcEl instanceof HTMLImageElement ? srcEl.naturalWidth : srcEl.width
      const h = srcEl instanceof HTMLImageElement ? srcEl.naturalHeight : srcEl.height
      const small = read(srcEl, w, h)
      let maxDiff = 0
      let unevenBlocks = 0
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let flat = true
          for (let dy = 0; dy < scale; dy++) {
            for (let dx = 0; dx < scale; dx++) {
              const i = ((y * scale + dy) * bmp.width + x * scale + dx) * 4
              const j = (y * w + x) * 4
              for (let k = 0; k < 4; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(big[i + k] - small[j + k]))
                if (big[i + k] !== big[((y * scale) * bmp.width + x * scale) * 4 + k]) flat = false
              }
            }
          }
          if (!flat) unevenBlocks++
        }
      }
      return { pngWidth: bmp.width, pngHeight: bmp.height, tileWidth: w, tileHeight: h, maxDiff, unevenBlocks }
    },
    { b64, el: handle, scale },
  )
}
