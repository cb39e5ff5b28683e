/**
 * Binary WebSocket frames for `Envelope`s (or any JSON-ish value) that carry typed arrays.
 * Pixels and audio (events) and job input files (`JobRequest.inputs`, requests) cross as raw bytes,
 * never as JSON arrays or base64: a 32 MiB photo makes a frame of 32 MiB plus its header, and the
 * decoder views it in place. The server reads frames up to `MAX_REQUEST_BYTES` (inputs.ts).
 *
 * Layout of one frame (all integers little-endian):
 *
 *   [u32 header length H][H bytes UTF-8 JSON header][zero padding to a multiple of 8]
 *   [buffer 0][padding to 8][buffer 1][padding to 8]…
 *
 * In the header every typed array is replaced by `{"$ta": index, "type": "Float32Array", "n": byteLength}`;
 * buffer `index` follows the header in order. Each buffer starts 8-aligned (relative to the frame),
 * so the decoder can view it in place whenever the frame itself sits 8-aligned in memory.
 * Element bytes are the platform's (little-endian on every machine we ship to).
 *
 * Pure TypeScript: runs in Node, the browser and tests (TextEncoder/TextDecoder only).
 */

const TYPES = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const
type TypeName = keyof typeof TYPES
type AnyTypedArray = InstanceType<(typeof TYPES)[TypeName]>

/** Header placeholder for typed array number `$ta`. */
interface Placeholder {
  $ta: number
  type: TypeName
  /** Byte length of the buffer. */
  n: number
}

const ALIGN = 8
const pad = (n: number) => (n + ALIGN - 1) & ~(ALIGN - 1)
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

function typeNameOf(v: ArrayBufferView): TypeName | null {
  // instanceof, not constructor.name: Node's Buffer is a Uint8Array subclass and decodes as one.
  for (const name of Object.keys(TYPES) as TypeName[]) if (v instanceof TYPES[name]) return name
  return null
}

/** Encode a value (typically an `Envelope`) into one binary frame. */
export function encodeFrame(value: unknown): Uint8Array {
  const buffers: AnyTypedArray[] = []
  const header = JSON.stringify(value, function (this: unknown, key, v: unknown) {
    // JSON.stringify calls toJSON first (Buffer has one): read the raw holder value instead.
    const raw = (this as Record<string, unknown>)[key]
    if (ArrayBuffer.isView(raw)) {
      const type = typeNameOf(raw)
      if (!type) throw new Error(`wire: cannot encode ${raw.constructor.name} at "${key}"`)
      buffers.push(raw as AnyTypedArray)
      const ph: Placeholder = { $ta: buffers.length - 1, type, n: raw.byteLength }
      return ph
    }
    if (raw instanceof ArrayBuffer) throw new Error(`wire: wrap ArrayBuffer "${key}" in a Uint8Array`)
    if (typeof raw === 'bigint') throw new Error(`wire: bigint "${key}" is not JSON; use a BigInt64Array`)
    if (raw && typeof raw === 'object' && !Array.isArray(raw) && Object.hasOwn(raw, '$ta')) {
      throw new Error('wire: objects may not have a "$ta" key (reserved for typed arrays)')
    }
    return v
  })
  if (header === undefined) throw new Error('wire: value is not JSON-serialisable')
  const head = encoder.encode(header)
  let total = pad(4 + head.length)
  for (const b of buffers) total = pad(total + b.byteLength)
  const out = new Uint8Array(total)
  new DataView(out.buffer).setUint32(0, head.length, true)
  out.set(head, 4)
  let o = pad(4 + head.length)
  for (const b of buffers) {
    out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), o)
    o = pad(o + b.byteLength)
  }
  return out
}

/** Decode a frame made by `encodeFrame`. Throws an `Error` starting with "wire:" on a bad frame. */
export function decodeFrame(frame: Uint8Array | ArrayBuffer): unknown {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame)
  if (bytes.length < 4) throw new Error(`wire: truncated frame: ${bytes.length} bytes, need at least 4 for the header length`)
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headLen = dv.getUint32(0, true)
  if (4 + headLen > bytes.length) {
    throw new Error(`wire: truncated frame: header needs ${headLen} bytes, frame has ${bytes.length - 4} after the length`)
  }
  let text: string
  try {
    text = decoder.decode(bytes.subarray(4, 4 + headLen))
  } catch {
    throw new Error('wire: header is not valid UTF-8')
  }
  let o = pad(4 + headLen)
  let next = 0
  const reviver = (_key: string, v: unknown): unknown => {
    if (!v || typeof v !== 'object' || !Object.hasOwn(v, '$ta')) return v
    const ph = v as Placeholder
    const Ctor = Object.hasOwn(TYPES, ph.type) ? TYPES[ph.type] : undefined
    if (!Ctor) throw new Error(`wire: unknown typed array type ${JSON.stringify(ph.type)}`)
    // JSON.parse revives in document order, the same order the encoder pushed buffers.
    if (ph.$ta !== next) throw new Error(`wire: buffer ${ph.$ta} out of order (expected ${next})`)
    if (!Number.isInteger(ph.n) || ph.n < 0 || ph.n % Ctor.BYTES_PER_ELEMENT !== 0) {
      throw new Error(`wire: buffer ${ph.$ta} has a bad byte length ${ph.n} for ${ph.type}`)
    }
    if (o + ph.n > bytes.length) {
      throw new Error(`wire: truncated frame: buffer ${ph.$ta} (${ph.type}, ${ph.n} bytes) ends at ${o + ph.n}, frame has ${bytes.length}`)
    }
    const start = bytes.byteOffset + o
    const len = ph.n / Ctor.BYTES_PER_ELEMENT
    const arr =
      start % Ctor.BYTES_PER_ELEMENT === 0
        ? new Ctor(bytes.buffer as ArrayBuffer, start, len) // view in place, no copy
        : // misaligned source (e.g. a pooled Node Buffer): copy. Not bytes.slice: Buffer#slice is a view.
          new Ctor(Uint8Array.prototype.slice.call(bytes, o, o + ph.n).buffer)
    o = pad(o + ph.n)
    next++
    return arr
  }
  try {
    return JSON.parse(text, reviver)
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('wire:')) throw e
    throw new Error(`wire: header is not valid JSON (${(e as Error).message})`)
  }
}
