import { describe, expect, it } from 'vitest'
import { gridFit, MIN_TILE, snapToNative } from './grid-fit'

/** Rows of `n` tiles with this fit, and the height they take (gap 10). */
const rows = (n: number, cols: number) => Math.ceil(n / cols)
const heightOf = (n: number, f: { tile: number; cols: number }) => rows(n, f.cols) * (f.tile + 10) - 10

describe('image grid fit', () => {
  it('snaps upscaled tiles to whole multiples of the image, never below one pixel per pixel', () => {
    expect(snapToNative(142, 64)).toBe(128)
    expect(snapToNative(255, 64)).toBe(192)
    expect(snapToNative(50.7, 64)).toBe(50)
    expect(snapToNative(90, 28)).toBe(84)
  })

  it('fits 16 emoji in a 1440x900 stage without cutting a row, at a whole multiple', () => {
    const f = gridFit(16, 872, 600, 64, 'fit', 10)
    expect(f).toEqual({ tile: 128, cols: 4 })
    expect(heightOf(16, f)).toBeLessThanOrEqual(600)
  })

  it('fits 64 when it can, and scrolls rather than showing specks when it cannot', () => {
    const f = gridFit(64, 872, 600, 64, 'fit', 10)
    expect(f.tile).toBe(64)
    expect(heightOf(64, f)).toBeLessThanOrEqual(600)
    expect(f.cols * (f.tile + 10) - 10).toBeLessThanOrEqual(872)
    const tiny = gridFit(64, 400, 200, 64, 'fit', 10)
    expect(tiny.tile).toBe(MIN_TILE)
    expect(tiny.cols).toBe(7)
  })

  it('does not blow a few images up past 4x (the 262-px tiles of a 64-px emoji at 1920x1080)', () => {
    expect(gridFit(4, 1352, 800, 64, 'fit', 10).tile).toBe(256)
    expect(gridFit(1, 1352, 800, 28, 'fit', 10).tile).toBe(112)
  })

  it('gives fixed sizes as whole multiples, as many columns as the width holds', () => {
    expect(gridFit(16, 872, 600, 64, 'small', 10)).toEqual({ tile: 64, cols: 11 })
    expect(gridFit(16, 872, 600, 64, 'medium', 10)).toEqual({ tile: 128, cols: 6 })
    expect(gridFit(16, 872, 600, 64, 'large', 10)).toEqual({ tile: 256, cols: 3 })
    expect(gridFit(16, 200, 600, 64, 'large', 10)).toEqual({ tile: 200, cols: 1 })
  })
})
