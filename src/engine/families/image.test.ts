import { describe, expect, it } from 'vitest'
import { imageToRgba } from './image'

describe('imageToRgba', () => {
  it('maps (b, 3, H, W) in [-1, 1] to RGBA bytes, rounding and clamping, alpha 255', () => {
    // batch of 2 images, 1×2 pixels each; the second image is the one we read.
    const plane = [
      [0, 0, 0, 0, 0, 0],
      [-1, 1, 0, 2, -3, 0.5],
    ] // per image: R(p0,p1) G(p0,p1) B(p0,p1)
    const batch = Float32Array.from(plane.flat())
    const rgba = imageToRgba(batch, 1, { channels: 3, height: 1, width: 2, range: [-1, 1] })
    expect([...rgba]).toEqual([0, 128, 0, 255, 255, 255, 191, 255]) // 0 → 127.5 rounds up; 2 clamps; 0.5 → 191.25
  })

  it('replicates a grey channel to RGB', () => {
    const rgba = imageToRgba(Float32Array.of(0, 1), 0, { channels: 1, height: 1, width: 2, range: [0, 1] })
    expect([...rgba]).toEqual([0, 0, 0, 255, 255, 255, 255, 255])
  })
})
