/**
 * The pixel arithmetic of a Deep Dream job, checked on small arrays: bilinear resize as PyTorch does it
 * (values printed by F.interpolate(mode='bilinear', align_corners=False, antialias=True)), tiles that cover every pixel
 * once whatever the shift, the layer-mix text, octave sizes and the normalised ascent step.
 */
import { describe, expect, it } from 'vitest'
import { imageToRgba } from '../families/image'
import { addDifference, ascend } from './ascent'
import { octaveShapes, parseLayerMix, previewSize } from './plan'
import { planarToRgba, previewFrame } from './preview'
import { resizeBilinear, type Planar } from './resize'
import { forEachRun, readTile, tilesOf, tileSpans } from './tiles'

const planar = (h: number, w: number, c = 1, f = (i: number) => i): Planar => ({ data: Float32Array.from({ length: c * h * w }, (_, i) => f(i)), channels: c, height: h, width: w })
const close = (got: Float32Array, want: number[]) => want.forEach((v, i) => expect(got[i], `[${i}]`).toBeCloseTo(v, 4))

describe('resizeBilinear', () => {
  it('grows 2×2 → 4×4 and shrinks 4×5 → 3×2 and 7×7 → 3×5 as torch (align_corners=False, antialias=True)', () => {
    close(resizeBilinear(planar(2, 2), 4, 4).data, [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3])
    close(resizeBilinear(planar(4, 5), 3, 2).data, [2.5, 4.5, 8.5, 10.5, 14.5, 16.5])
    const z = resizeBilinear(planar(7, 7, 1, (i) => i ** 1.5), 3, 5).data
    const want = [20.276, 24.6104, 30.4822, 36.9452, 42.8539, 102.3689, 110.8453, 121.1861, 131.8396, 141.1106, 220.7142, 231.8304, 245.2101, 258.8282, 270.5493]
    want.forEach((v, i) => expect(z[i], `[${i}]`).toBeCloseTo(v, 3))
  })

  it('keeps channels apart and returns a copy at the same size', () => {
    const src = planar(3, 3, 3, (i) => Math.floor(i / 9) * 10) // channel k is the constant 10 k
    const up = resizeBilinear(src, 7, 5)
    expect([up.channels, up.height, up.width, up.data.length]).toEqual([3, 7, 5, 105])
    for (let k = 0; k < 3; k++) expect(up.data.subarray(k * 35, (k + 1) * 35).every((v) => Math.abs(v - 10 * k) < 1e-5)).toBe(true)
    const same = resizeBilinear(src, 3, 3)
    expect(same.data).toEqual(src.data)
    expect(same.data).not.toBe(src.data)
  })
})

describe('tiles', () => {
  it('cuts an axis into near-equal spans no longer than the tile and never thinner than half of it', () => {
    expect(tileSpans(300, 512)).toEqual([[0, 300]])
    expect(tileSpans(1024, 512)).toEqual([[0, 512], [512, 1024]])
    const s = tileSpans(1100, 512)
    expect(s).toEqual([[0, 367], [367, 733], [733, 1100]])
    expect(tileSpans(513, 512).every(([a, b]) => b - a >= 256 && b - a <= 512)).toBe(true)
  })

  it('reads tiles through a wrapped shift, and their runs lead back to where they came from: every pixel exactly once', () => {
    const img = planar(37, 53, 3, (i) => i + 1)
    for (const [dy, dx] of [[0, 0], [5, -9], [-40, 70], [36, 52]]) {
      const back: Planar = { ...img, data: new Float32Array(img.data.length) }
      for (const t of tilesOf(37, 53, 16)) {
        const tile = readTile(img, t, dy, dx)
        forEachRun(back, t, dy, dx, (at, to, n) => {
          for (let i = 0; i < n; i++) back.data[at + i] += tile[to + i]
        })
      }
      expect(back.data).toEqual(img.data)
    }
  })

  it('rolls as np.roll does: tile (0, 0) of a shift (1, 2) starts at pixel (−1, −2), wrapped', () => {
    const img = planar(4, 5)
    const t = readTile(img, { y0: 0, y1: 2, x0: 0, x1: 3 }, 1, 2)
    expect(Array.from(t)).toEqual([18, 19, 15, 3, 4, 0]) // rows 3 then 0, columns 3, 4, 0
  })
})

describe('plan', () => {
  const layers = ['mixed0', 'mixed1', 'mixed2', 'mixed3', 'mixed4', 'mixed5']

  it('reads a layer mix into the graph weights, a bare name weighing 1', () => {
    expect(Array.from(parseLayerMix('mixed3:1,mixed4:0.5', layers))).toEqual([0, 0, 0, 1, 0.5, 0])
    expect(Array.from(parseLayerMix(' mixed5 , mixed0 : -0.25 ', layers))).toEqual([-0.25, 0, 0, 0, 0, 1])
  })

  it('refuses a mix it cannot use, saying what would work', () => {
    expect(() => parseLayerMix('mixed7:1', layers)).toThrow(/"mixed7" is not a layer of this model \(it has: mixed0, mixed1, .*mixed5\)/)
    expect(() => parseLayerMix('', layers)).toThrow(/layers is empty: name one or more of mixed0/)
    expect(() => parseLayerMix('mixed3:lots', layers)).toThrow(/weight of mixed3 must be a number from -10 to 10, got "lots"/)
    expect(() => parseLayerMix('mixed3:1,mixed3:2', layers)).toThrow(/named twice/)
    expect(() => parseLayerMix('mixed3:0', layers)).toThrow(/every weight is 0/)
    expect(() => parseLayerMix('mixed3=1', layers)).toThrow(/not "name" or "name:weight"/)
  })

  it('lists octaves smallest first, ending at the photo size, dropping those under the minimum but never the photo itself', () => {
    expect(octaveShapes(512, 512, 4, 1.4, 43)).toEqual({ shapes: [[187, 187], [261, 261], [366, 366], [512, 512]], dropped: 0 })
    expect(octaveShapes(300, 100, 4, 1.5, 43)).toEqual({ shapes: [[133, 44], [200, 67], [300, 100]], dropped: 1 })
    expect(octaveShapes(60, 70, 3, 1.4, 75)).toEqual({ shapes: [[60, 70]], dropped: 2 })
    expect(previewSize(1024, 768, 512)).toEqual([512, 384])
    expect(previewSize(300, 200, 512)).toEqual([300, 200])
  })
})

describe('ascend', () => {
  it('steps by stepSize in units of mean |g|, clips to the input range, and re-injects detail', () => {
    const img = { ...planar(1, 4), data: Float32Array.of(0, 0.5, -0.99, 0.2) }
    const whole = tilesOf(1, 4, 64)
    expect(ascend(img, whole, 0, 0, [Float32Array.of(2, -2, -4, 0)], 0.1, [-1, 1])).toBe(2) // mean |g| = 2
    close(img.data, [0.1, 0.4, -1, 0.2])
    const tiny = planar(1, 1, 1, () => 0)
    ascend(tiny, tilesOf(1, 1, 64), 0, 0, [Float32Array.of(0)], 0.1, [-1, 1]) // a zero gradient leaves the image as it is (no NaN)
    expect(tiny.data[0]).toBe(0)
    close(addDifference(Float32Array.of(1, 2), Float32Array.of(0.5, 0.5), Float32Array.of(0.25, 1)), [1.25, 1.5])
  })

  it('takes the gradient tile by tile through the shift: the same step as one whole-image gradient', () => {
    const [h, w] = [9, 14]
    const grad = planar(h, w, 3, (i) => Math.sin(i * 1.7)) // d loss / d image, in image coordinates
    const whole = planar(h, w, 3, (i) => Math.cos(i) * 0.5)
    const tiled = { ...whole, data: whole.data.slice() }
    ascend(whole, tilesOf(h, w, 64), 0, 0, [grad.data], 0.05, [-1, 1])
    const tiles = tilesOf(h, w, 5) // 2 × 3 tiles of the image rolled by (4, −6)
    expect(tiles).toHaveLength(6)
    ascend(tiled, tiles, 4, -6, tiles.map((t) => readTile(grad, t, 4, -6)), 0.05, [-1, 1])
    close(tiled.data, Array.from(whole.data))
  })
})

describe('preview frames', () => {
  it('writes the bytes imageToRgba writes, one channel plane at a time', () => {
    const img = planar(5, 7, 3, (i) => Math.sin(i * 0.9) * 1.2) // some values outside [-1, 1]: clamped
    expect(planarToRgba(img, [-1, 1])).toEqual(imageToRgba(img.data, 0, { channels: 3, height: 5, width: 7, range: [-1, 1] }))
  })

  it('shows an octave that fits at its own size and shrinks a larger one to fit', () => {
    const small = previewFrame(planar(100, 60, 3, () => 0), 512, [-1, 1])
    expect([small.width, small.height, small.rgba.length]).toEqual([60, 100, 60 * 100 * 4])
    const big = previewFrame(planar(600, 900, 3, () => 0), 512, [-1, 1])
    expect([big.width, big.height]).toEqual([512, 341])
    expect(big.rgba.every((v, i) => v === (i % 4 === 3 ? 255 : 128))).toBe(true) // 0 in [-1, 1] → 127.5 → 128
  })
})
