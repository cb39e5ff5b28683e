/**
 * The piano roll's note area on a canvas: thousands of notes redraw in a few milliseconds (5,000 as
 * SVG elements took over a second to create on our 2-core machine), so a streamed note costs one redraw.
 */
import type { MidiNote } from '../../common/midi'
import { isBlackKey, noteRect, type RollView } from './piano-roll'

export interface RollColors {
  row: string
  blackRow: string
  note: string
  selected: string
  range: string
}

/** The theme's colours (app.css variables) as the canvas needs them. */
export function rollColors(el: Element): RollColors {
  const css = getComputedStyle(el)
  const v = (name: string) => css.getPropertyValue(name).trim()
  return { row: v('--panel'), blackRow: v('--panel-2'), note: v('--accent'), selected: '#ffd166', range: 'rgba(124, 140, 255, 0.15)' }
}

export interface RollScene {
  view: RollView
  /** CSS pixels of the note area. */
  width: number
  height: number
  /** Pitches of the rows in view, top first. */
  rows: readonly number[]
  notes: readonly MidiNote[]
  selected: ReadonlySet<MidiNote>
  range: { startS: number; endS: number } | null
}

/** Draw a scene onto a canvas of width·dpr × height·dpr device pixels. */
export function drawRoll(ctx: CanvasRenderingContext2D, s: RollScene, c: RollColors, dpr: number): void {
  const { view: v } = s
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
  ctx.clearRect(0, 0, s.width, s.height)
  for (const p of s.rows) {
    ctx.fillStyle = isBlackKey(p) ? c.blackRow : c.row
    ctx.fillRect(0, (v.topPitch - p) * v.rowPx, s.width, v.rowPx)
  }
  if (s.range) {
    ctx.fillStyle = c.range
    ctx.fillRect((s.range.startS - v.t0) * v.pxPerS, 0, (s.range.endS - s.range.startS) * v.pxPerS, s.height)
  }
  for (const n of s.notes) {
    const r = noteRect(n, v)
    ctx.globalAlpha = 0.45 + n.velocity / 230 // louder notes brighter
    ctx.fillStyle = s.selected.has(n) ? c.selected : c.note
    ctx.fillRect(r.x, r.y + 0.5, r.w, Math.max(1, r.h - 1))
  }
  ctx.globalAlpha = 1
}
