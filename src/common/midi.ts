/**
 * Standard MIDI files ⇄ notes with times in seconds, the recipe in a text meta event
 * (`latent-studio:recipe {json}`, as the WAV ICMT and PNG tEXt recipes). Bytes are parsed and written by
 * `midi-file` (MIT, no dependencies, runs in browsers and Node); this module adds the tempo map, notes,
 * the recipe and the checks that make a foreign or damaged file a message instead of a crash.
 * We write type 0 (one track), 480 ticks per beat, one channel per General MIDI program.
 * Pure TS: the CLI, the engine and the renderer share it.
 */
import { parseMidi, writeMidi, type MidiData, type MidiEvent } from 'midi-file'

/** One note. Times in seconds from the start of the piece. */
export interface MidiNote {
  /** MIDI pitch 0..127 (60 = middle C). */
  pitch: number
  /** 1..127. */
  velocity: number
  startS: number
  /** Seconds it sounds (> 0 when read back). */
  durS: number
  /** General MIDI program 0..127 (0 = Acoustic Grand Piano). */
  program: number
}

export interface MidiSong {
  /** Pitched notes sorted by start, then pitch (channel 10, drums, is left out). */
  notes: MidiNote[]
  /** The first tempo (beats per minute; 120 when the file sets none). */
  bpm: number
  /** The recipe JSON text when a text event starts with `latent-studio:recipe `, else null. */
  recipe: string | null
  /** What was read differently from the file (notes dropped, tempo clamped, …), for the user. */
  warnings: string[]
}

/** The text event's prefix: recipe.ts's RECIPE_KEY and a space (spelled out so this module does not load zod). */
export const MIDI_RECIPE_PREFIX = 'latent-studio:recipe '
/** Bigger files are refused before parsing: a 100k-note file is ~1 MB. */
export const MAX_MIDI_BYTES = 16 * 1024 * 1024
/** A file with more pitched notes keeps its last MAX_MIDI_NOTES (the part a continuation follows). */
export const MAX_MIDI_NOTES = 20_000
/** Tempi outside this are clamped: 0 µs per beat would put every note at one instant. */
export const BPM_RANGE = [10, 1000] as const
export const TICKS_PER_BEAT = 480
const DRUMS = 9 // channel 10, 0-based

/** True when the bytes start like a standard MIDI file (or an RMID wrapper). */
export function looksLikeMidi(b: Uint8Array): boolean {
  const id = (at: number) => String.fromCharCode(...b.subarray(at, at + 4))
  return b.length >= 14 && (id(0) === 'MThd' || (id(0) === 'RIFF' && id(8) === 'RMID'))
}

/** JSON as ASCII: non-ASCII characters as \uXXXX escapes, which JSON.parse reads back unchanged. */
const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))

/**
 * notes → the bytes of a type-0 MIDI file at `bpm` (4/4), with `recipe` (JSON text, or null) in a text event.
 * Same notes, tempo and recipe → same bytes. Throws on a note no MIDI file can hold.
 */
export function encodeMidi(notes: readonly MidiNote[], bpm: number, recipe: string | null): Uint8Array {
  if (!(bpm >= BPM_RANGE[0] && bpm <= BPM_RANGE[1])) throw new Error(`encodeMidi: tempo ${bpm} bpm is outside ${BPM_RANGE[0]}..${BPM_RANGE[1]}`)
  const programs = [...new Set(notes.map((n) => n.program))]
  if (programs.length > 15) throw new Error(`encodeMidi: ${programs.length} programs; one file holds at most 15 (one per channel)`)
  const channelOf = new Map(programs.map((p, i) => [p, i < DRUMS ? i : i + 1]))
  const ticksPerS = (bpm / 60) * TICKS_PER_BEAT
  // One edge per note-on and note-off: [tick, 0 = off before 1 = on at the same tick (a re-strike), pitch, velocity, channel]
  const edges: [number, number, number, number, number][] = []
  for (const n of notes) {
    const ok = Number.isInteger(n.pitch) && n.pitch >= 0 && n.pitch <= 127 && Number.isInteger(n.program) && n.program >= 0 && n.program <= 127
    if (!ok || !(n.startS >= 0) || !(n.durS >= 0)) throw new Error(`encodeMidi: not a MIDI note: ${JSON.stringify(n)}`)
    const on = Math.round(n.startS * ticksPerS)
    const off = Math.max(on + 1, Math.round((n.startS + n.durS) * ticksPerS))
    const ch = channelOf.get(n.program)!
    edges.push([on, 1, n.pitch, Math.min(127, Math.max(1, Math.round(n.velocity))), ch], [off, 0, n.pitch, 0, ch])
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[4] - b[4])
  const track: MidiEvent[] = [
    { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: Math.round(60e6 / bpm) },
    { deltaTime: 0, meta: true, type: 'timeSignature', numerator: 4, denominator: 4, metronome: 24, thirtyseconds: 8 },
  ]
  if (recipe !== null) track.push({ deltaTime: 0, meta: true, type: 'text', text: MIDI_RECIPE_PREFIX + ascii(recipe) })
  for (const [p, ch] of channelOf) track.push({ deltaTime: 0, type: 'programChange', channel: ch, programNumber: p })
  let now = 0
  for (const [tick, on, pitch, velocity, channel] of edges) {
    track.push({ deltaTime: tick - now, type: on ? 'noteOn' : 'noteOff', channel, noteNumber: pitch, velocity })
    now = tick
  }
  track.push({ deltaTime: 0, meta: true, type: 'endOfTrack' })
  const data: MidiData = { header: { format: 0, numTracks: 1, ticksPerBeat: TICKS_PER_BEAT }, tracks: [track] }
  return Uint8Array.from(writeMidi(data, { running: true }))
}

/**
 * The MThd and MTrk chunks of a file, checked: an RMID wrapper is opened, chunks of other kinds are
 * skipped (as the standard asks), a truncated file is refused. Returns clean bytes for the parser.
 */
function trackChunks(b: Uint8Array): Uint8Array {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const id = (at: number) => String.fromCharCode(...b.subarray(at, at + 4))
  if (id(0) === 'RIFF' && id(8) === 'RMID') {
    for (let at = 12; at + 8 <= b.length; at += 8 + dv.getUint32(at + 4, true) + (dv.getUint32(at + 4, true) & 1)) {
      if (id(at) === 'data') return trackChunks(b.subarray(at + 8, Math.min(b.length, at + 8 + dv.getUint32(at + 4, true))))
    }
    throw new Error('it is an RMID file without a data chunk')
  }
  if (b.length < 14 || id(0) !== 'MThd') throw new Error('it does not start with MThd (not a standard MIDI file)')
  const headLen = dv.getUint32(4)
  if (headLen < 6 || 8 + headLen > b.length) throw new Error(`its header chunk says ${headLen} bytes`)
  const parts: Uint8Array[] = [b.subarray(0, 14)]
  for (let at = 8 + headLen; at < b.length; ) {
    if (at + 8 > b.length) throw new Error(`it is truncated: ${b.length - at} stray bytes after the last chunk`)
    const len = dv.getUint32(at + 4)
    if (at + 8 + len > b.length) throw new Error(`it is truncated: chunk "${id(at).replace(/[^\x20-\x7e]/g, '?')}" says ${len} bytes, ${b.length - at - 8} are left`)
    if (id(at) === 'MTrk') parts.push(b.subarray(at, at + 8 + len))
    at += 8 + len
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  parts.reduce((o, p) => (out.set(p, o), o + p.length), 0)
  new DataView(out.buffer).setUint16(10, parts.length - 1) // the tracks actually there
  return out
}

/** A channel event with its absolute tick; `order` keeps a track's own order among equal ticks. */
type Timed = { tick: number; rank: number; track: number; order: number; ev: MidiEvent }

/**
 * Read a MIDI file's pitched notes, first tempo and recipe. Throws an Error whose message completes
 * "<file> is not a usable MIDI file: …" (not MIDI, truncated, no tracks, no pitched notes, …).
 */
export function decodeMidi(bytes: Uint8Array, maxNotes = MAX_MIDI_NOTES): MidiSong {
  if (bytes.length > MAX_MIDI_BYTES) throw new Error(`it is ${(bytes.length / 1048576).toFixed(0)} MB, more than the ${MAX_MIDI_BYTES / 1048576} MB a MIDI file may have here`)
  let midi: MidiData
  try {
    midi = parseMidi(trackChunks(bytes))
  } catch (e) {
    // midi-file throws strings ("Unrecognised MIDI event type byte: 247"); ours are Errors
    throw e instanceof Error ? e : new Error(`it is damaged (${String(e)})`)
  }
  const warnings: string[] = []
  let tracks = midi.tracks
  if (tracks.length === 0) throw new Error('it has no tracks')
  if (midi.header.format === 2) {
    // Type 2: independent patterns, no shared timeline. The first one with notes is a sensible prime.
    const i = Math.max(0, tracks.findIndex((t) => t.some((e) => e.type === 'noteOn' && e.channel !== DRUMS)))
    tracks = [tracks[i]]
    warnings.push(`it is a type-2 MIDI file (independent patterns): only pattern ${i + 1} of ${midi.tracks.length} is read`)
  }
  const timed: Timed[] = []
  tracks.forEach((t, track) => {
    let tick = 0
    t.forEach((ev, order) => {
      tick += ev.deltaTime
      // At one tick, tempo and program changes act before notes (across tracks too)
      const rank = ev.type === 'setTempo' || ev.type === 'programChange' ? 0 : 1
      if (rank === 0 || ev.type === 'noteOn' || ev.type === 'noteOff' || ev.type === 'text') timed.push({ tick, rank, track, order, ev })
    })
  })
  timed.sort((a, b) => a.tick - b.tick || a.rank - b.rank || a.track - b.track || a.order - b.order)
  const seconds = tempoMap(midi, timed, warnings)
  const program = new Array<number>(16).fill(0)
  const sounding = new Map<number, { startS: number; velocity: number; program: number }>() // key: channel * 128 + pitch
  const notes: MidiNote[] = []
  let recipe: string | null = null
  let drums = 0
  let endS = 0
  const release = (key: number, at: number) => {
    const s = sounding.get(key)!
    sounding.delete(key)
    if (at > s.startS) notes.push({ pitch: key % 128, velocity: s.velocity, startS: s.startS, durS: at - s.startS, program: s.program })
  }
  for (const { tick, ev } of timed) {
    const at = seconds(tick)
    endS = at
    if (ev.type === 'text') {
      if (recipe === null && ev.text.startsWith(MIDI_RECIPE_PREFIX)) recipe = ev.text.slice(MIDI_RECIPE_PREFIX.length)
    } else if (ev.type === 'programChange') program[ev.channel] = ev.programNumber
    else if (ev.type === 'noteOn' || ev.type === 'noteOff') {
      if (ev.channel === DRUMS) {
        drums += ev.type === 'noteOn' && ev.velocity > 0 ? 1 : 0
        continue
      }
      const key = ev.channel * 128 + ev.noteNumber
      if (sounding.has(key)) release(key, at) // a note-off, or a re-strike of a sounding note
      if (ev.type === 'noteOn' && ev.velocity > 0) sounding.set(key, { startS: at, velocity: ev.velocity, program: program[ev.channel] })
    }
  }
  for (const key of [...sounding.keys()]) release(key, endS) // notes never released end with the piece
  if (notes.length === 0) throw new Error(drums > 0 ? `it has only drum notes (${drums} on channel 10); the music model continues pitched parts` : 'it has no notes')
  notes.sort((a, b) => a.startS - b.startS || a.pitch - b.pitch)
  if (drums > 0) warnings.push(`${drums} drum notes (channel 10) are left out`)
  const kept = capNotes(notes, maxNotes, warnings)
  return { notes: kept, bpm: firstBpm(timed), recipe, warnings }
}

/** The last `max` notes, moved to start at 0 s, when there are more (a continuation follows the end). */
function capNotes(notes: MidiNote[], max: number, warnings: string[]): MidiNote[] {
  if (notes.length <= max) return notes
  const kept = notes.slice(notes.length - max)
  const from = kept[0].startS
  warnings.push(`it has ${notes.length.toLocaleString('en')} notes: the last ${max.toLocaleString('en')} are kept (from ${from.toFixed(1)} s, moved to 0 s)`)
  return kept.map((n) => ({ ...n, startS: n.startS - from }))
}

const clampBpm = (bpm: number) => Math.min(BPM_RANGE[1], Math.max(BPM_RANGE[0], bpm))

function firstBpm(timed: Timed[]): number {
  const t = timed.find((x) => x.ev.type === 'setTempo' && x.tick === 0)?.ev
  // to 0.001 bpm: a file stores whole µs per beat, so 110 bpm comes back as 109.9999 (times use the exact value)
  return t && t.type === 'setTempo' ? Math.round(clampBpm(60e6 / Math.max(1, t.microsecondsPerBeat)) * 1000) / 1000 : 120
}

/** tick → seconds through the file's tempo changes (or its SMPTE frame rate, which fixes ticks per second). */
function tempoMap(midi: MidiData, timed: Timed[], warnings: string[]): (tick: number) => number {
  const { framesPerSecond, ticksPerFrame, ticksPerBeat } = midi.header
  if (framesPerSecond && ticksPerFrame) {
    const perS = (framesPerSecond === 29 ? 29.97 : framesPerSecond) * ticksPerFrame
    return (tick) => tick / perS
  }
  const ppq = ticksPerBeat || TICKS_PER_BEAT
  if (!ticksPerBeat) warnings.push(`it says 0 ticks per beat: read as ${TICKS_PER_BEAT}`)
  // Segments [startTick, startSeconds, seconds per tick], from 120 bpm until the first tempo event
  const segs: [number, number, number][] = [[0, 0, 0.5 / ppq]]
  const clamped: string[] = []
  for (const { tick, ev } of timed) {
    if (ev.type !== 'setTempo') continue
    const raw = 60e6 / Math.max(1, ev.microsecondsPerBeat)
    const bpm = clampBpm(raw)
    if (bpm !== raw) clamped.push(`${raw < 1 ? raw.toPrecision(2) : Math.round(raw)} bpm at tick ${tick} as ${bpm}`)
    const [t0, s0, k0] = segs[segs.length - 1]
    segs.push([tick, s0 + (tick - t0) * k0, 60 / bpm / ppq])
  }
  if (clamped.length) warnings.push(`${clamped.length} tempo change${clamped.length > 1 ? 's' : ''} outside ${BPM_RANGE.join('..')} bpm read as the nearest (${clamped[0]}${clamped.length > 1 ? ', …' : ''})`)
  return (tick) => {
    let lo = 0 // the last segment starting at or before tick (binary search: files may change tempo every beat)
    for (let hi = segs.length - 1; lo < hi; ) {
      const mid = (lo + hi + 1) >> 1
      if (segs[mid][0] <= tick) lo = mid
      else hi = mid - 1
    }
    return segs[lo][1] + (tick - segs[lo][0]) * segs[lo][2]
  }
}
