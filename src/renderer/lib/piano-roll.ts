/**
 * The piano roll's geometry and edits, free of the DOM (PianoRoll.svelte draws, this decides): a view
 * maps piece seconds to x pixels and MIDI pitches to rows (high pitches at the top).
 */
import type { MidiNote } from '../../common/midi'

export interface RollView {
  /** Piece seconds at the left edge of the note area. */
  t0: number
  pxPerS: number
  /** The pitch of the top row. */
  topPitch: number
  /** Row height in px. */
  rowPx: number
}

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export const PX_PER_S = [1, 2000] as const // 1 px/s: a 10-minute piece fits a window
export const ROW_PX = [3, 40] as const
const NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B']

/** 60 → "C4" (MIDI 60 is middle C, scientific pitch notation). */
export const noteName = (pitch: number) => `${NAMES[pitch % 12]}${Math.floor(pitch / 12) - 1}`
export const isBlackKey = (pitch: number) => NAMES[pitch % 12].length > 1

const clamp = (x: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, x))

/** The note's box in the note area (px). */
export function noteRect(n: MidiNote, v: RollView): Rect {
  return { x: (n.startS - v.t0) * v.pxPerS, y: (v.topPitch - n.pitch) * v.rowPx, w: Math.max(2, n.durS * v.pxPerS), h: v.rowPx }
}

export const timeAt = (x: number, v: RollView) => v.t0 + x / v.pxPerS
export const pitchAt = (y: number, v: RollView) => v.topPitch - Math.floor(y / v.rowPx)

/** Notes that show in a width × height area: only these are drawn (thousands of notes, a few hundred in view). */
export function visibleNotes(notes: readonly MidiNote[], v: RollView, width: number, height: number): MidiNote[] {
  const t1 = timeAt(width, v)
  const low = v.topPitch - height / v.rowPx
  return notes.filter((n) => n.startS < t1 && n.startS + n.durS > v.t0 && n.pitch <= v.topPitch && n.pitch > low)
}

/** Zoom time by `factor` keeping the time under x fixed. */
export function zoomTime(v: RollView, factor: number, x: number): RollView {
  const pxPerS = clamp(v.pxPerS * factor, PX_PER_S)
  return { ...v, pxPerS, t0: Math.max(0, timeAt(x, v) - x / pxPerS) }
}

/** Zoom pitch by `factor` keeping the pitch under y fixed. */
export function zoomPitch(v: RollView, factor: number, y: number, height: number): RollView {
  const rowPx = clamp(v.rowPx * factor, ROW_PX)
  const anchor = v.topPitch - y / v.rowPx // fractional pitch under y
  return scrollPitch({ ...v, rowPx }, anchor + y / rowPx - v.topPitch, height)
}

export const scrollTime = (v: RollView, dS: number): RollView => ({ ...v, t0: Math.max(0, v.t0 + dS) })

/** Move `dPitch` rows up (positive) or down, staying inside 0..127. */
export function scrollPitch(v: RollView, dPitch: number, height: number): RollView {
  const rows = height / v.rowPx
  return { ...v, topPitch: Math.round(clamp(v.topPitch + dPitch, [Math.min(127, Math.ceil(rows) - 1), 127])) }
}

/** A view that shows all the notes (or an octave around middle C when there are none). */
export function fitView(notes: readonly MidiNote[], width: number, height: number): RollView {
  const lo = notes.length ? Math.min(...notes.map((n) => n.pitch)) - 2 : 54
  const hi = notes.length ? Math.max(...notes.map((n) => n.pitch)) + 2 : 66
  const end = notes.reduce((m, n) => Math.max(m, n.startS + n.durS), 0) || 8
  const rowPx = clamp(Math.floor(height / (hi - lo + 1)), ROW_PX)
  return scrollPitch({ t0: 0, pxPerS: clamp(width / end, PX_PER_S), topPitch: hi, rowPx }, 0, height)
}

/** Notes whose box meets the time × pitch rectangle (a rubber-band drag), bounds in any order. */
export function notesInBox(notes: readonly MidiNote[], [ta, tb]: [number, number], [pa, pb]: [number, number]): Set<MidiNote> {
  const [t0, t1, p0, p1] = [Math.min(ta, tb), Math.max(ta, tb), Math.min(pa, pb), Math.max(pa, pb)]
  return new Set(notes.filter((n) => n.startS < t1 && n.startS + n.durS > t0 && n.pitch >= p0 && n.pitch <= p1))
}

/** Notes that start inside a time range (what regenerating that range replaces). */
export function notesInRange(notes: readonly MidiNote[], range: { startS: number; endS: number }): Set<MidiNote> {
  return new Set(notes.filter((n) => n.startS >= range.startS && n.startS < range.endS))
}

/** The notes less the selected ones (a new array; the order is kept). */
export const withoutNotes = (notes: readonly MidiNote[], gone: ReadonlySet<MidiNote>) => notes.filter((n) => !gone.has(n))

/** The topmost note under a point, if any (the last drawn is on top). */
export function noteAt(notes: readonly MidiNote[], v: RollView, x: number, y: number): MidiNote | null {
  for (let i = notes.length - 1; i >= 0; i--) {
    const r = noteRect(notes[i], v)
    if (x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h) return notes[i]
  }
  return null
}

/** After the playhead moves: scroll so it stays in the left 10..90 % of the view while playing. */
export function follow(v: RollView, playheadS: number, width: number): RollView {
  const x = (playheadS - v.t0) * v.pxPerS
  return x < 0 || x > width * 0.9 ? { ...v, t0: Math.max(0, playheadS - (width * 0.1) / v.pxPerS) } : v
}

/** Seconds between ruler ticks: the first step at least `minPx` apart at this zoom. */
export function tickStep(pxPerS: number, minPx = 60): number {
  return [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300].find((s) => s * pxPerS >= minPx) ?? 600
}
