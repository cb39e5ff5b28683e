import { describe, expect, it } from 'vitest'
import { applyImageParts, doneCount, isFinal, minStep, pendingTiles, type ImagePart } from './tiles'

function part(index: number, seed: number, fill: number, step?: number): ImagePart {
  return { kind: 'image', index, seed, width: 2, height: 2, rgba: new Uint8Array(16).fill(fill), step }
}

describe('image grid tiles', () => {
  it('starts with one placeholder per image, seeded job seed + i', () => {
    const t = pendingTiles(100, 4)
    expect(t.map((x) => x.seed)).toEqual([100, 101, 102, 103])
    expect(doneCount(t)).toBe(0)
  })

  it('fills tiles as parts stream in, in any order, leaving untouched tiles identical', () => {
    const t0 = pendingTiles(7, 4)
    const t1 = applyImageParts(t0, [part(2, 9, 1)])
    expect(doneCount(t1)).toBe(1)
    expect(t1[2].image?.rgba[0]).toBe(1)
    expect(t1[0]).toBe(t0[0]) // same object: its canvas does not redraw
    const t2 = applyImageParts(t1, [part(0, 7, 3), part(3, 10, 4)])
    expect(doneCount(t2)).toBe(3)
    expect(t2[2]).toBe(t1[2])
    expect(applyImageParts(t2, [])).toBe(t2)
  })

  it('keeps the last frame of a chain and grows the grid for parts beyond it', () => {
    const t = applyImageParts(pendingTiles(0, 1), [part(0, 0, 1, 0), part(0, 0, 2, 1), part(2, 2, 5)])
    expect(t[0].image?.rgba[0]).toBe(2)
    expect(t.length).toBe(3)
    expect(t[1]).toMatchObject({ index: 1, seed: 1, image: null })
  })

  it('a chain tile is finished only at its last step; progress is the step every chain has reached', () => {
    const t = applyImageParts(pendingTiles(0, 2), [part(0, 0, 1, 10), part(1, 1, 1, 10), part(0, 0, 2, 20)])
    expect(minStep(t)).toBe(10)
    expect(t.map((x) => isFinal(x, 20))).toEqual([true, false])
    expect(minStep(pendingTiles(0, 2))).toBe(0)
    // One-shot images (no step) are final as soon as they arrive, whatever the job.
    expect(isFinal(applyImageParts(pendingTiles(0, 1), [part(0, 0, 1)])[0], null)).toBe(true)
    expect(isFinal(pendingTiles(0, 1)[0], null)).toBe(false)
  })
})
