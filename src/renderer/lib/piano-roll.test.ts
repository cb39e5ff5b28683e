/** The piano roll's geometry: names, boxes, culling, zoom around the cursor, selection and deletion. */
import { describe, expect, it } from 'vitest'
import type { MidiNote } from '../../common/midi'
import * as roll from './piano-roll'

const note = (pitch: number, startS: number, durS = 0.5): MidiNote => ({ pitch, velocity: 80, startS, durS, program: 0 })
const view: roll.RollView = { t0: 2, pxPerS: 100, topPitch: 72, rowPx: 10 }

describe('piano roll geometry', () => {
  it('names keys in scientific pitch notation and knows the black ones', () => {
    expect([21, 60, 61, 69, 108, 127].map(roll.noteName)).toEqual(['A0', 'C4', 'C♯4', 'A4', 'C8', 'G9'])
    expect([60, 61, 63, 64, 66, 70, 71].map(roll.isBlackKey)).toEqual([false, true, true, false, true, true, false])
  })

  it('place notes: time to x from the left edge, pitch to rows from the top, and back', () => {
    expect(roll.noteRect(note(70, 3, 0.25), view)).toEqual({ x: 100, y: 20, w: 25, h: 10 })
    expect(roll.noteRect(note(72, 2, 0.001), view).w).toBe(2) // a blip stays visible
    expect([roll.timeAt(150, view), roll.pitchAt(25, view), roll.pitchAt(0, view)]).toEqual([3.5, 70, 72])
  })

  it('draw only the notes in view (thousands of notes, a few in the window)', () => {
    const many = Array.from({ length: 5000 }, (_, i) => note(40 + (i % 40), i * 0.05, 0.1))
    const shown = roll.visibleNotes(many, view, 300, 100) // 2..5 s, pitches 63..72
    expect(shown.length).toBeGreaterThan(0)
    expect(shown.every((n) => n.startS < 5 && n.startS + n.durS > 2 && n.pitch > 62 && n.pitch <= 72)).toBe(true)
    expect(shown.length).toBe(many.filter((n) => n.startS < 5 && n.startS + n.durS > 2 && n.pitch > 62 && n.pitch <= 72).length)
  })

  it('zoom around the cursor: the time or pitch under it stays put, within bounds', () => {
    const z = roll.zoomTime(view, 2, 150)
    expect(roll.timeAt(150, z)).toBeCloseTo(roll.timeAt(150, view))
    expect(z.pxPerS).toBe(200)
    expect(roll.zoomTime(view, 1e6, 0).pxPerS).toBe(roll.PX_PER_S[1])
    expect(roll.zoomTime({ ...view, t0: 0 }, 0.5, 300).t0).toBe(0) // never before the start
    const p = roll.zoomPitch(view, 2, 100, 400)
    expect(p.rowPx).toBe(20)
    expect(roll.pitchAt(100, p)).toBe(roll.pitchAt(100, view))
    expect(roll.zoomPitch(view, 0.01, 0, 400).rowPx).toBe(roll.ROW_PX[0])
  })

  it('scroll pitch only inside 0..127, and fit a piece in view', () => {
    expect(roll.scrollPitch(view, 100, 400).topPitch).toBe(127)
    expect(roll.scrollPitch(view, -100, 400).topPitch).toBe(39) // 40 rows of 10 px: pitch 0 is the bottom row
    const fit = roll.fitView([note(48, 0, 1), note(84, 9, 1)], 1000, 400)
    expect(fit).toMatchObject({ t0: 0, pxPerS: 100, topPitch: 86 })
    expect(roll.pitchAt(399, fit)).toBeLessThanOrEqual(46)
    expect(roll.fitView([], 800, 300)).toMatchObject({ t0: 0, pxPerS: 100, topPitch: 66 })
  })

  it('select by box or by time range, hit the top note, delete the selection', () => {
    const ns = [note(60, 0), note(62, 1), note(64, 2), note(60, 0.2, 0.1)]
    expect(roll.notesInBox(ns, [1.2, 0.4], [63, 61])).toEqual(new Set([ns[1]]))
    expect(roll.notesInBox(ns, [0.25, 0.26], [60, 60])).toEqual(new Set([ns[0], ns[3]]))
    expect(roll.notesInRange(ns, { startS: 0.1, endS: 2 })).toEqual(new Set([ns[1], ns[3]]))
    const v = { t0: 0, pxPerS: 100, topPitch: 70, rowPx: 10 }
    expect(roll.noteAt(ns, v, 25, 105)).toBe(ns[3]) // drawn last: on top
    expect(roll.noteAt(ns, v, 5, 105)).toBe(ns[0])
    expect(roll.noteAt(ns, v, 5, 5)).toBeNull()
    expect(roll.withoutNotes(ns, new Set([ns[1], ns[3]]))).toEqual([ns[0], ns[2]])
  })

  it('follow the playhead past 90 % of the width, and pick readable ruler steps', () => {
    expect(roll.follow(view, 3, 500)).toBe(view)
    expect(roll.follow(view, 7, 500).t0).toBeCloseTo(6.5)
    expect(roll.follow(view, 1, 500).t0).toBeCloseTo(0.5)
    expect([roll.tickStep(100), roll.tickStep(10), roll.tickStep(2000), roll.tickStep(1)]).toEqual([1, 10, 0.05, 60])
  })
})
