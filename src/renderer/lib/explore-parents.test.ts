/**
 * Picked tiles named in an explore job as its recipe will read them: a plain tile of the same settings by
 * its seed, anything else by its latent; the job samples with the first parent's settings; refusals in words.
 */
import { describe, expect, it } from 'vitest'
import type { JobRequest } from '../../common/contract'
import { latentFromText } from '../../common/explore'
import { exploreRequest, refOf, type Parent } from './explore-parents'
import { summaryOf } from './test-models'

const ganModel = summaryOf('dcgan-test')

const plain = (seed: number, truncation = 1.5): Parent => ({
  modelId: ganModel.id, request: { modelId: ganModel.id, seed: 0, params: { count: 8, truncation } }, seed,
  rgba: new Uint8Array(16), width: 2, height: 2, latent: new Float32Array(100).fill(seed),
})
const child: Parent = { ...plain(9), request: { ...plain(9).request, explore: { op: 'children', parent: { seed: 1 }, spread: 0.5 } } as JobRequest }
const choice = { count: 6, spread: 0.4, weights: [2, 1], seed: 77 }

describe('explore parents', () => {
  it('names a plain tile of the same settings by seed, others by their latent', () => {
    expect(refOf(plain(7), { count: 3, truncation: 1.5 })).toEqual({ seed: 7 })
    const other = refOf(plain(7, 2), { count: 3, truncation: 1.5 })
    expect(other && 'z' in other && latentFromText(other.z)[0]).toBe(7)
    expect(refOf(child, { truncation: 1.5 })).toHaveProperty('z')
    expect(refOf({ ...child, latent: null }, { truncation: 1.5 })).toBeNull()
  })

  it('builds each op with the first parent’s settings', () => {
    expect(exploreRequest(ganModel, [plain(7), plain(12)], { ...choice, op: 'interpolate' })).toEqual({
      modelId: ganModel.id, seed: 0, params: { count: 6, truncation: 1.5 }, explore: { op: 'interpolate', from: { seed: 7 }, to: { seed: 12 }, frames: 6 },
    })
    expect(exploreRequest(ganModel, [plain(7)], { ...choice, op: 'children' })).toMatchObject({ seed: 77, explore: { op: 'children', parent: { seed: 7 }, spread: 0.4 } })
    const cross = exploreRequest(ganModel, [plain(7), child], { ...choice, op: 'cross' }) as JobRequest
    expect(cross.explore).toMatchObject({ op: 'cross', weights: [2, 1], parents: [{ seed: 7 }, { z: expect.any(String) }] })
  })

  it('moves a tile along a direction as a strip, the vector inline', () => {
    const direction = { key: 'food', label: 'more food', z: 'AAAAAA==' }
    expect(exploreRequest(ganModel, [plain(7), plain(8)], { ...choice, op: 'attribute', direction, amount: -2 })).toEqual({
      modelId: ganModel.id, seed: 0, params: { count: 6, truncation: 1.5 },
      explore: { op: 'attribute', parent: { seed: 7 }, direction: { key: 'food', z: 'AAAAAA==' }, amount: -2, frames: 6 },
    })
    expect(exploreRequest(ganModel, [plain(7)], { ...choice, op: 'attribute' })).toBe('choose a direction')
  })

  it('refuses in words', () => {
    expect(exploreRequest(ganModel, [plain(7)], { ...choice, op: 'interpolate' })).toBe('pick two tiles to interpolate between')
    expect(exploreRequest(ganModel, [], { ...choice, op: 'children' })).toBe('pick a tile to breed from')
    expect(exploreRequest(ganModel, [plain(7), { ...plain(8), modelId: 'vae-emoji' }], { ...choice, op: 'cross' })).toMatch(/another model/)
    expect(exploreRequest(ganModel, [plain(7), { ...child, latent: null }], { ...choice, op: 'interpolate' })).toMatch(/no latent kept/)
  })
})
