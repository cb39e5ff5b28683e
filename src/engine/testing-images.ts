/** Image fixtures for the engine's tests (not used at runtime). */

/** The JPEG with its frame header (SOF0/SOF2) claiming `w`×`h`: what a 20000×20000 photo's header says, in 39 KB. */
export function claiming(jpeg: Uint8Array, w: number, h: number): Uint8Array {
  const b = Buffer.from(jpeg)
  for (let i = 2; i < b.length; ) {
    const marker = b[i + 1]
    if (marker === 0xc0 || marker === 0xc2) {
      b.writeUInt16BE(h, i + 5)
      b.writeUInt16BE(w, i + 7)
      return new Uint8Array(b)
    }
    i += 2 + b.readUInt16BE(i + 2)
  }
  throw new Error('no frame header')
}
