/**
 * The canvas's pixel work as a user sees it: a drag leaves an unbroken line of the brush's width, a
 * dropped picture of any size is read as the 28×28 digit the model will clamp (inverted when it is a
 * dark-on-light scan, never for a mask), and the PNG it sends reads back to the same bits.
 */
import { deflateSync, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decodePng } from '../../common/png-decode'
import { bitsToPng, bitsToRgba, count, dab, readPicture, sameBytes, stroke } from './inpaint'

const S = 28
const grid = () => new Uint8Array(S * S)

describe('brush', () => {
  it('drags an unbroken line: every column between the ends is set, one cell thick at radius 0', () => {
    const b = stroke(grid(), S, [2, 5], [20, 9], 0, 1)
    for (let x = 2; x <= 20; x++) expect([...Array(S).keys()].filter((y) => b[y * S + x]).length, `column ${x}`).toBe(1)
    expect(count(b)).toBe(19)
    expect(count(stroke(b, S, [2, 5], [20, 9], 0, 0))).toBe(0) // erasing the same drag takes it all off
  })

  it('covers a round dab clipped at the edges', () => {
    expect(dab(10, 10, 0, S)).toEqual([10 * S + 10])
    expect(dab(10, 10, 1, S)).toHaveLength(9)
    expect(dab(10, 10, 2, S)).toHaveLength(21)
    expect(dab(0, 0, 1, S).sort((a, b) => a - b)).toEqual([0, 1, S, S + 1])
  })
})

describe('reading a picture as the model does', () => {
  /** A w×h RGBA picture, `ink` on `ground`, ink where `at(x, y)`. */
  const picture = (w: number, h: number, at: (x: number, y: number) => boolean, ink = 0, ground = 255) =>
    Uint8Array.from({ length: w * h * 4 }, (_, i) => (i % 4 === 3 ? 255 : at((i >> 2) % w, Math.floor((i >> 2) / w)) ? ink : ground))

  it('a 280×280 black-on-white scan of a bar becomes the white 28×28 bar', () => {
    const r = readPicture(picture(280, 280, (x, y) => x >= 140 && x < 150 && y >= 40 && y < 240), 280, 280, S)
    expect(r.inverted).toBe(true)
    const want = grid().map((_, p) => (p % S === 14 && p >= 4 * S && p < 24 * S ? 1 : 0))
    expect(Array.from(r.bits)).toEqual(Array.from(want))
  })

  it('a wide picture is centred with ground above and below; a mask is never inverted', () => {
    const r = readPicture(picture(56, 28, () => false, 0, 0), 56, 28, S)
    expect(count(r.bits)).toBe(0)
    const white = picture(56, 28, () => true, 255, 255)
    const mask = readPicture(white, 56, 28, S, false)
    expect(mask.inverted).toBe(false)
    expect(count(mask.bits)).toBe(S * 14) // rows 7..20 repaint, the padding is kept
    expect(mask.bits[6 * S]).toBe(0)
    expect(mask.bits[7 * S]).toBe(1)
  })

  it('a generated tile (grey v_prob) reads as itself thresholded', () => {
    const grey = Uint8Array.from({ length: S * S * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i >> 2) % 3 === 0 ? 200 : 20))
    const r = readPicture(grey, S, S, S)
    expect(r.inverted).toBe(false)
    expect(Array.from(r.bits)).toEqual(Array.from(grid(), (_, p) => (p % 3 === 0 ? 1 : 0)))
  })
})

describe('the PNG a job carries', () => {
  it('is the bits as white on black, opaque, and the same bits give the same bytes', async () => {
    const bits = stroke(grid(), S, [3, 3], [24, 24], 1, 1)
    const rgba = bitsToRgba(bits)
    expect(rgba.filter((_, i) => i % 4 === 0 && rgba[i] === 255).length).toBe(count(bits))
    const png = await bitsToPng(bits, S, deflateSync)
    expect(sameBytes(png, await bitsToPng(bits.slice(), S, deflateSync))).toBe(true)
    const back = await decodePng(png, inflateSync)
    expect([back.width, back.height]).toEqual([S, S])
    expect(Buffer.from(back.rgba).equals(Buffer.from(rgba))).toBe(true)
    expect(sameBytes(png, null)).toBe(false)
  })
})
