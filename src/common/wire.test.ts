import { describe, expect, it } from 'vitest'
import type { Envelope } from './contract'
import { decodeFrame, encodeFrame } from './wire'

describe('wire frames', () => {
  it('round-trips an image partial envelope with its RGBA pixels as a Uint8Array', () => {
    const rgba = new Uint8Array(64 * 64 * 4)
    for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 7) & 255
    const env: Envelope = {
      t: 'evt',
      name: 'job/partial',
      payload: { jobId: 'j1', part: { kind: 'image', index: 3, seed: 10, width: 64, height: 64, rgba } },
    }
    const frame = encodeFrame(env)
    const back = decodeFrame(frame) as { payload: { part: { rgba: Uint8Array } } }
    expect(back.payload.part.rgba).toBeInstanceOf(Uint8Array)
    expect(back).toEqual(env)
    // Raw bytes, not JSON numbers: the frame is barely bigger than the pixels.
    expect(frame.byteLength).toBeLessThan(rgba.byteLength + 256)
  })

  it('restores every typed array kind, in nested objects and arrays', () => {
    const value = {
      a: [new Float32Array([1.5, -2, Number.NaN]), new Int32Array([-1, 2 ** 31 - 1])],
      b: { c: new BigInt64Array([-(2n ** 63n), 42n]), d: new BigUint64Array([2n ** 64n - 1n]) },
      e: new Uint16Array([65535]),
      f: new Int8Array([-128]),
      g: new Uint8ClampedArray([0, 255]),
      h: new Float64Array([Math.PI]),
      i: new Int16Array([-32768]),
      j: new Uint32Array([4294967295]),
      k: 'text ✓ 🎨',
      l: null,
      m: [1, true, { n: 'x' }],
    }
    const back = decodeFrame(encodeFrame(value)) as typeof value
    expect(back).toEqual(value)
    expect(back.a[0]).toBeInstanceOf(Float32Array)
    expect(back.b.c).toBeInstanceOf(BigInt64Array)
    expect(back.g).toBeInstanceOf(Uint8ClampedArray)
  })

  it('keeps odd-length buffers and odd header lengths aligned for wider element types', () => {
    for (let headPad = 0; headPad < 9; headPad++) {
      const value = { s: 'x'.repeat(headPad), u: new Uint8Array([1, 2, 3]), f: new Float64Array([1, 2]), g: new Float32Array(1) }
      const frame = encodeFrame(value)
      expect(frame.byteLength % 8).toBe(0)
      const back = decodeFrame(frame) as typeof value
      expect(back).toEqual(value)
    }
  })

  it('decodes from a misaligned slice of a larger buffer (as Node sockets hand them over)', () => {
    const value = { samples: new Float32Array([0.25, -0.5, 1]), ids: new BigInt64Array([7n]) }
    const frame = encodeFrame(value)
    const host = new Uint8Array(frame.length + 3)
    host.set(frame, 3)
    expect(decodeFrame(host.subarray(3))).toEqual(value)
    expect(decodeFrame(frame.slice().buffer)).toEqual(value)
  })

  it('copies misaligned buffers out of a Node Buffer (whose slice() is a view, not a copy)', () => {
    const value = { f: new Float32Array([1, 2, 3]) }
    const frame = encodeFrame(value)
    const pool = Buffer.alloc(frame.length + 1)
    pool.set(frame, 1)
    const back = decodeFrame(pool.subarray(1)) as typeof value
    expect(back).toEqual(value)
    expect(back.f.buffer.byteLength).toBe(12)
  })

  it('encodes typed-array views onto part of a buffer with only their own bytes', () => {
    const big = new Float32Array([9, 9, 1, 2, 9])
    const back = decodeFrame(encodeFrame({ v: big.subarray(2, 4) })) as { v: Float32Array }
    expect(Array.from(back.v)).toEqual([1, 2])
  })

  it('rejects truncated frames with a clear error', () => {
    const frame = encodeFrame({ t: 'res', id: 1, result: { ok: true, value: new Float32Array(16) } })
    expect(() => decodeFrame(frame.subarray(0, 2))).toThrow(/wire: truncated frame/)
    expect(() => decodeFrame(frame.subarray(0, 10))).toThrow(/wire: truncated frame: header needs/)
    expect(() => decodeFrame(frame.subarray(0, frame.length - 8))).toThrow(/wire: truncated frame: buffer 0/)
  })

  it('rejects garbage headers and values it cannot carry', () => {
    const bad = new Uint8Array(8)
    new DataView(bad.buffer).setUint32(0, 3, true)
    bad.set([123, 123, 123], 4)
    expect(() => decodeFrame(bad)).toThrow(/wire: header is not valid JSON/)
    expect(() => encodeFrame({ n: 1n })).toThrow(/bigint/)
    expect(() => encodeFrame({ $ta: 0 })).toThrow(/reserved/)
    expect(() => encodeFrame({ d: new DataView(new ArrayBuffer(4)) })).toThrow(/cannot encode DataView/)
  })
})
