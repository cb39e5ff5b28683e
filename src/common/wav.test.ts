/**
 * The WAV a user exports must open in any audio tool (valid RIFF: sizes, even padding) and bring its
 * recipe back when dropped in the studio; foreign or damaged WAVs are read or refused with a reason.
 */
import { describe, expect, it } from 'vitest'
import { RECIPE_KEY } from './recipe'
import { decodeWav, encodeWav, looksLikeWav, MAX_WAV_BYTES, WAV_RECIPE_PREFIX } from './wav'

const recipe = JSON.stringify({ app: 'latent-studio', modelId: 'wavenet-notes', seed: 5, params: { instrument: 'flûte', pitch: 60 } })
const id = (b: Uint8Array, at: number) => String.fromCharCode(...b.subarray(at, at + 4))
const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at, true)

/** Walk the top-level chunks the way a strict reader does. */
function chunks(b: Uint8Array): { id: string; at: number; size: number }[] {
  const out = []
  for (let at = 12; at + 8 <= b.length; ) {
    const size = u32(b, at + 4)
    out.push({ id: id(b, at), at, size })
    at += 8 + size + (size & 1)
  }
  return out
}

/** A foreign WAV as another tool writes it: any format, no LIST chunk. */
function foreign(opts: { tag?: number; channels?: number; bits?: number; rate?: number; frames: number[][]; extra?: Uint8Array }): Uint8Array {
  const { tag = 1, channels = 1, bits = 16, rate = 44100, frames } = opts
  const bytesPer = bits / 8
  const data = new Uint8Array(frames.length * channels * bytesPer)
  const dv = new DataView(data.buffer)
  frames.flat().forEach((x, i) => {
    const o = i * bytesPer
    if (tag === 3) dv.setFloat32(o, x, true)
    else if (bits === 8) dv.setUint8(o, Math.round(x * 127) + 128)
    else if (bits === 16) dv.setInt16(o, Math.round(x * 32767), true)
    else if (bits === 24) {
      const v = Math.round(x * 8388607)
      dv.setUint8(o, v & 255), dv.setUint8(o + 1, (v >> 8) & 255), dv.setInt8(o + 2, v >> 16)
    } else dv.setInt32(o, Math.round(x * 2147483647), true)
  })
  const extra = opts.extra ?? new Uint8Array()
  const out = new Uint8Array(12 + 24 + extra.length + 8 + data.length)
  const o = new DataView(out.buffer)
  out.set([...'RIFF'].map((c) => c.charCodeAt(0)), 0)
  o.setUint32(4, out.length - 8, true)
  out.set([...'WAVEfmt '].map((c) => c.charCodeAt(0)), 8)
  o.setUint32(16, 16, true)
  o.setUint16(20, tag, true)
  o.setUint16(22, channels, true)
  o.setUint32(24, rate, true)
  o.setUint32(28, rate * channels * bytesPer, true)
  o.setUint16(32, channels * bytesPer, true)
  o.setUint16(34, bits, true)
  out.set(extra, 36)
  out.set([...'data'].map((c) => c.charCodeAt(0)), 36 + extra.length)
  o.setUint32(40 + extra.length, data.length, true)
  out.set(data, 44 + extra.length)
  return out
}

describe('encodeWav', () => {
  it('writes valid 16-bit mono RIFF: sizes add up, INFO entries padded to even, data last', () => {
    const samples = Float32Array.from({ length: 1001 }, (_, i) => Math.sin(i / 10) * 0.8)
    const b = encodeWav(samples, 16000, recipe)
    expect(id(b, 0) + id(b, 8)).toBe('RIFFWAVE')
    expect(u32(b, 4)).toBe(b.length - 8)
    const cs = chunks(b)
    expect(cs.map((c) => c.id)).toEqual(['fmt ', 'LIST', 'data'])
    expect(cs.at(-1)!.at + 8 + cs.at(-1)!.size).toBe(b.length)
    expect(cs[2].size).toBe(2002)
    const fmt = new DataView(b.buffer, cs[0].at + 8, 16)
    expect([fmt.getUint16(0, true), fmt.getUint16(2, true), fmt.getUint32(4, true), fmt.getUint32(8, true), fmt.getUint16(12, true), fmt.getUint16(14, true)]).toEqual([1, 1, 16000, 32000, 2, 16])
    // Every INFO entry starts at an even offset and its text is NUL-terminated.
    expect(id(b, cs[1].at + 8)).toBe('INFO')
    for (let at = cs[1].at + 12; at < cs[1].at + 8 + cs[1].size; ) {
      expect(at % 2).toBe(0)
      const size = u32(b, at + 4)
      expect(b[at + 8 + size - 1]).toBe(0)
      at += 8 + size + (size & 1)
    }
  })

  it('clips to [-1, 1], maps NaN to silence and is symmetric around zero', () => {
    const w = decodeWav(encodeWav(Float32Array.of(2, -2, 1, -1, 0.5, -0.5, NaN, 0), 8000, null))
    expect(Array.from(w.samples, (x) => Math.round(x * 32768))).toEqual([32767, -32767, 32767, -32767, 16384, -16384, 0, 0])
  })

  it('gives the same bytes for the same samples and recipe', () => {
    const s = Float32Array.from({ length: 300 }, (_, i) => ((i * 37) % 200) / 100 - 1)
    expect(Buffer.from(encodeWav(s, 16000, recipe)).equals(Buffer.from(encodeWav(s, 16000, recipe)))).toBe(true)
  })

  it('refuses a sample rate that is not a positive whole number', () => {
    expect(() => encodeWav(new Float32Array(4), 0, null)).toThrow(/sample rate 0/)
  })
})

describe('decodeWav', () => {
  it('round-trips samples (within 16-bit steps) and the recipe, non-ASCII included', () => {
    for (const n of [0, 1, 2, 3, 16000]) {
      const s = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 0.9)
      for (const r of [recipe, recipe + ' ', '{"a":1}']) {
        const w = decodeWav(encodeWav(s, 16000, r))
        expect(w).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16 })
        expect(w.samples.length).toBe(n)
        w.samples.forEach((x, i) => expect(Math.abs(x - s[i])).toBeLessThanOrEqual(2 / 32768))
        // Non-ASCII travels as \uXXXX escapes: the same JSON value, ASCII-only INFO text.
        expect(JSON.parse(w.recipe!)).toEqual(JSON.parse(r))
        expect(w.recipe).toMatch(/^[\x20-\x7e]*$/)
      }
    }
    expect(decodeWav(encodeWav(new Float32Array(3), 16000, null)).recipe).toBeNull()
  })

  it('reads foreign WAVs without a recipe: 8/16/24/32-bit PCM, float, stereo mixed to mono', () => {
    const frames = [[0.5, -0.5], [0.25, 0.25], [-1, -1]]
    for (const [tag, bits] of [[1, 8], [1, 16], [1, 24], [1, 32], [3, 32]]) {
      const w = decodeWav(foreign({ tag, bits, channels: 2, frames }))
      expect(w).toMatchObject({ sampleRate: 44100, channels: 2, bitsPerSample: bits, recipe: null })
      w.samples.forEach((x, i) => expect(Math.abs(x - [0, 0.25, -1][i])).toBeLessThan(0.01))
    }
  })

  it('skips unknown chunks, honours the pad byte of odd-sized ones, and ignores a foreign comment', () => {
    // A 3-byte "junk" chunk plus its pad byte, then a LIST/INFO with an odd-length ICMT that is not ours.
    const junk = Uint8Array.from([...'junk'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0]))
    const text = 'made in a DA' // 12 chars + NUL = 13 bytes: an odd entry, followed by its pad byte
    const icmt = [...'ICMT'].map((c) => c.charCodeAt(0)).concat([13, 0, 0, 0], [...text].map((c) => c.charCodeAt(0)), [0, 0])
    const list = Uint8Array.from([...'LIST'].map((c) => c.charCodeAt(0)).concat([4 + icmt.length, 0, 0, 0], [...'INFO'].map((c) => c.charCodeAt(0)), icmt))
    const extra = new Uint8Array(junk.length + list.length)
    extra.set(junk), extra.set(list, junk.length)
    const w = decodeWav(foreign({ frames: [[0.5], [-0.5]], extra }))
    expect(w.recipe).toBeNull()
    expect(w.info.ICMT).toBe('made in a DA')
    expect(w.samples.length).toBe(2)
  })

  it('refuses damaged, compressed, huge and non-WAV files with a reason', () => {
    const good = encodeWav(Float32Array.from({ length: 100 }, () => 0.1), 16000, recipe)
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, 8), /only 8 bytes/],
      [Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 0]), /does not start with RIFF/],
      [good.subarray(0, good.length - 10), /truncated: the header says/],
      [(() => { const b = good.slice(); b.set([...'RIFX'].map((c) => c.charCodeAt(0))); return b })(), /RIFX/],
      [foreign({ tag: 2, frames: [[0]] }), /compressed \(format 2\)/],
      [foreign({ bits: 12 as number, frames: [] }), /12-bit PCM is not supported/],
      [(() => { const b = foreign({ frames: [[0], [0]] }); new DataView(b.buffer).setUint32(40, 999, true); return b })(), /chunk "data" says 999 bytes, 4 are left/],
      [(() => { const b = foreign({ frames: [[0], [0]] }); new DataView(b.buffer).setUint32(40, 3, true); return b })(), /not a whole number of 2-byte frames/],
      [(() => { const b = foreign({ frames: [[0]] }); b.set([...'xxxx'].map((c) => c.charCodeAt(0)), 12); return b })(), /no fmt chunk|data chunk comes before/],
    ]
    for (const [b, why] of cases) expect(() => decodeWav(b), why.source).toThrow(why)
    expect(() => decodeWav(new Uint8Array(MAX_WAV_BYTES + 1))).toThrow(/MB, more than the 64 MB/)
  })

  it('marks its comment with the same recipe key as PNGs', () => {
    expect(WAV_RECIPE_PREFIX).toBe(`${RECIPE_KEY} `)
    expect(decodeWav(encodeWav(new Float32Array(1), 16000, '{}')).info.ICMT).toBe(`${RECIPE_KEY} {}`)
  })

  it('tells WAV bytes from others', () => {
    expect(looksLikeWav(encodeWav(new Float32Array(1), 16000, null))).toBe(true)
    expect(looksLikeWav(Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 0]))).toBe(false)
    expect(looksLikeWav(new Uint8Array(4))).toBe(false)
  })
})
