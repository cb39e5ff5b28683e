// Our own codec, not a library: one fixed layout written with no timestamps (same samples + recipe = same bytes, which the CLI tests compare) and a reader with our size limit and messages; a general WAV library (wavefile 11) does far more than this and words none of its errors for the user.
/**
 * WAV files with the recipe inside. We write 16-bit PCM mono, little-endian, as
 *   RIFF/WAVE · `fmt ` (16 bytes) · `LIST`/`INFO` { ISFT "Latent Studio", ICMT "latent-studio:recipe {json}" } · `data`
 * (no timestamps: the same samples and recipe always give the same bytes). The reader takes any plain
 * WAV (PCM 8/16/24/32-bit or float32, any channel count, chunks in any order, odd chunks padded as
 * RIFF says) and refuses damaged or oversized ones with a message that says what is wrong.
 * Pure TS: the CLI, the engine tests and the renderer share it.
 */

/** Refuse bigger files before walking them: our exports are kilobytes; 64 MiB is ~35 min of 16 kHz stereo. */
export const MAX_WAV_BYTES = 64 * 1024 * 1024

export interface WavData {
  sampleRate: number
  /** Channels in the file (the samples below are their mean). */
  channels: number
  bitsPerSample: number
  /** Mono PCM in [-1, 1]: the mean of the file's channels per frame. */
  samples: Float32Array
  /** The recipe JSON text from ICMT when it starts with `latent-studio:recipe `, else null. */
  recipe: string | null
  /** Every LIST/INFO entry (e.g. ISFT, ICMT, INAM) as text. */
  info: Record<string, string>
}

/**
 * ICMT starts with recipe.ts's RECIPE_KEY and a space (spelled out here: recipe.ts loads zod, and the
 * renderer's startup chunk plays WAVs without it; wav.test.ts keeps the two in step).
 */
export const WAV_RECIPE_PREFIX = 'latent-studio:recipe '
const PREFIX = WAV_RECIPE_PREFIX

/** INFO strings are ASCII; JSON keeps non-ASCII characters as \uXXXX escapes so they round-trip. */
function ascii(s: string): Uint8Array {
  const safe = s.replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
  return Uint8Array.from(safe, (c) => c.charCodeAt(0))
}

/** One INFO sub-chunk: zero-terminated text, padded to an even size (the pad byte is not counted). */
function infoChunk(id: string, text: string): Uint8Array {
  const body = ascii(text)
  const size = body.length + 1
  const out = new Uint8Array(8 + size + (size & 1))
  writeId(out, 0, id)
  new DataView(out.buffer).setUint32(4, size, true)
  out.set(body, 8)
  return out
}

function writeId(out: Uint8Array, at: number, id: string): void {
  for (let i = 0; i < 4; i++) out[at + i] = id.charCodeAt(i)
}

/**
 * samples: mono float in [-1, 1] (clipped), sampleRate in Hz; recipe: the JSON text (or null for none).
 * Returns the file's bytes.
 */
export function encodeWav(samples: Float32Array, sampleRate: number, recipe: string | null): Uint8Array {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new Error(`encodeWav: sample rate ${sampleRate} is not a positive whole number`)
  const entries = [infoChunk('ISFT', 'Latent Studio'), ...(recipe === null ? [] : [infoChunk('ICMT', PREFIX + recipe)])]
  const infoBytes = entries.reduce((n, e) => n + e.length, 4)
  const dataBytes = samples.length * 2
  const total = 12 + 24 + 8 + infoBytes + 8 + dataBytes
  if (total > 0xffffffff) throw new Error(`encodeWav: ${samples.length} samples do not fit in one RIFF file`)
  const out = new Uint8Array(total)
  const dv = new DataView(out.buffer)
  writeId(out, 0, 'RIFF')
  dv.setUint32(4, total - 8, true)
  writeId(out, 8, 'WAVE')
  writeId(out, 12, 'fmt ')
  dv.setUint32(16, 16, true)
  dv.setUint16(20, 1, true) // PCM
  dv.setUint16(22, 1, true) // mono
  dv.setUint32(24, sampleRate, true)
  dv.setUint32(28, sampleRate * 2, true) // bytes per second
  dv.setUint16(32, 2, true) // block align
  dv.setUint16(34, 16, true) // bits per sample
  let at = 36
  writeId(out, at, 'LIST')
  dv.setUint32(at + 4, infoBytes, true)
  writeId(out, at + 8, 'INFO')
  at += 12
  for (const e of entries) out.set(e, at), (at += e.length)
  writeId(out, at, 'data')
  dv.setUint32(at + 4, dataBytes, true)
  at += 8
  for (let i = 0; i < samples.length; i++, at += 2) {
    const x = samples[i]
    // NaN → 0; round half away from zero is what Math.round does for the positive side; be symmetric.
    const c = x > 1 ? 1 : x < -1 ? -1 : x === x ? x : 0
    dv.setInt16(at, c < 0 ? -Math.round(-c * 32767) : Math.round(c * 32767), true)
  }
  return out
}

const readId = (b: Uint8Array, at: number) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3])
const printable = (id: string) => (/^[\x20-\x7e]{4}$/.test(id) ? `"${id}"` : 'an unreadable id')

interface Format {
  tag: number
  channels: number
  sampleRate: number
  bits: number
  blockAlign: number
}

function readFormat(b: Uint8Array, at: number, size: number): Format {
  if (size < 16) throw new Error(`its fmt chunk is ${size} bytes, at least 16 expected`)
  const dv = new DataView(b.buffer, b.byteOffset + at, size)
  let tag = dv.getUint16(0, true)
  const f = { channels: dv.getUint16(2, true), sampleRate: dv.getUint32(4, true), blockAlign: dv.getUint16(12, true), bits: dv.getUint16(14, true) }
  // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
  if (tag === 0xfffe) {
    if (size < 40) throw new Error('its extensible fmt chunk is too short')
    tag = dv.getUint16(24, true)
  }
  if (tag !== 1 && tag !== 3) throw new Error(`it is compressed (format ${tag}); only PCM and float WAVs can be read`)
  const ok = tag === 1 ? [8, 16, 24, 32].includes(f.bits) : f.bits === 32
  if (!ok) throw new Error(`${f.bits}-bit ${tag === 1 ? 'PCM' : 'float'} is not supported`)
  if (f.channels < 1 || f.channels > 32) throw new Error(`it says ${f.channels} channels`)
  if (f.sampleRate < 1 || f.sampleRate > 768_000) throw new Error(`it says a sample rate of ${f.sampleRate} Hz`)
  if (f.blockAlign !== (f.channels * f.bits) / 8) throw new Error(`its block align ${f.blockAlign} does not match ${f.channels} × ${f.bits}-bit`)
  return { tag, ...f }
}

function readInfo(b: Uint8Array, at: number, end: number, info: Record<string, string>): void {
  while (at + 8 <= end) {
    const id = readId(b, at)
    const size = new DataView(b.buffer, b.byteOffset + at + 4, 4).getUint32(0, true)
    if (at + 8 + size > end) throw new Error(`its INFO entry ${printable(id)} runs past the LIST chunk`)
    const bytes = b.subarray(at + 8, at + 8 + size)
    const nul = bytes.indexOf(0)
    let text = ''
    for (const c of bytes.subarray(0, nul < 0 ? bytes.length : nul)) text += String.fromCharCode(c)
    info[id] = text
    at += 8 + size + (size & 1)
  }
}

function toMono(b: Uint8Array, at: number, bytes: number, f: Format): Float32Array {
  const frames = Math.floor(bytes / f.blockAlign)
  const dv = new DataView(b.buffer, b.byteOffset + at, frames * f.blockAlign)
  const out = new Float32Array(frames)
  const step = f.bits / 8
  const read = (o: number): number => {
    if (f.tag === 3) return dv.getFloat32(o, true)
    if (f.bits === 8) return (dv.getUint8(o) - 128) / 128
    if (f.bits === 16) return dv.getInt16(o, true) / 32768
    if (f.bits === 24) return ((dv.getUint8(o) | (dv.getUint8(o + 1) << 8) | (dv.getInt8(o + 2) << 16)) / 8388608)
    return dv.getInt32(o, true) / 2147483648
  }
  for (let i = 0, o = 0; i < frames; i++) {
    let s = 0
    for (let c = 0; c < f.channels; c++, o += step) s += read(o)
    out[i] = s / f.channels
  }
  return out
}

/** Read a WAV file; throws an Error whose message completes "<file> is not a usable WAV: …". */
export function decodeWav(b: Uint8Array): WavData {
  if (b.length > MAX_WAV_BYTES) throw new Error(`it is ${(b.length / 1048576).toFixed(0)} MB, more than the ${MAX_WAV_BYTES / 1048576} MB a WAV may have here`)
  if (b.length < 12) throw new Error(`it is only ${b.length} bytes long`)
  const head = readId(b, 0)
  if (head === 'RIFX' || head === 'RF64') throw new Error(`it is a ${head} file; only little-endian RIFF WAVs are supported`)
  if (head !== 'RIFF' || readId(b, 8) !== 'WAVE') throw new Error('it does not start with RIFF…WAVE')
  const riffEnd = 8 + new DataView(b.buffer, b.byteOffset, 8).getUint32(4, true)
  if (riffEnd > b.length) throw new Error(`it is truncated: the header says ${riffEnd} bytes, the file has ${b.length}`)
  let fmt: Format | null = null
  let data: { at: number; size: number } | null = null
  const info: Record<string, string> = {}
  let at = 12
  while (at + 8 <= riffEnd) {
    const id = readId(b, at)
    const size = new DataView(b.buffer, b.byteOffset + at + 4, 4).getUint32(0, true)
    const body = at + 8
    if (body + size > riffEnd) throw new Error(`it is truncated: chunk ${printable(id)} says ${size} bytes, ${riffEnd - body} are left`)
    if (id === 'fmt ') fmt = readFormat(b, body, size)
    else if (id === 'data') {
      if (!fmt) throw new Error('its data chunk comes before the fmt chunk')
      data = { at: body, size }
    } else if (id === 'LIST' && size >= 4 && readId(b, body) === 'INFO') readInfo(b, body + 4, body + size, info)
    at = body + size + (size & 1) // chunks start on even offsets
  }
  if (!fmt) throw new Error('it has no fmt chunk')
  if (!data) throw new Error('it has no data chunk')
  if (data.size % fmt.blockAlign !== 0) throw new Error(`its data chunk (${data.size} bytes) is not a whole number of ${fmt.blockAlign}-byte frames`)
  const comment = info.ICMT
  return {
    sampleRate: fmt.sampleRate,
    channels: fmt.channels,
    bitsPerSample: fmt.bits,
    samples: toMono(b, data.at, data.size, fmt),
    recipe: comment !== undefined && comment.startsWith(PREFIX) ? comment.slice(PREFIX.length) : null,
    info,
  }
}

/** True when the bytes start like a RIFF WAVE file (used to route a dropped file). */
export function looksLikeWav(b: Uint8Array): boolean {
  return b.length >= 12 && readId(b, 0) === 'RIFF' && readId(b, 8) === 'WAVE'
}
