/**
 * Test helpers for the music family (not used at runtime): find the music model to test (the shipped
 * one in models/, or a folder named by $MUSIC_MODELS_DIR while none ships) and run one job through a
 * real engine host, collecting what a client sees.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { JobPart, JobRequest } from '../../common/contract'
import type { MidiNote } from '../../common/midi'
import { byStart, unpackNotes } from '../../common/music-part'
import type { EngineSupervisor } from '../supervisor'
import { driveJob, SHIPPED_DIR, type JobEnd } from '../testing'

/** The first model of family music-lstm in the models folder `dir` (by folder name), else null. */
export function musicModelIn(dir: string): { dir: string; id: string } | null {
  if (!existsSync(dir)) return null
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'model.json')
    if (!existsSync(file)) continue
    const m = JSON.parse(readFileSync(file, 'utf8')) as { id: string; family: string }
    if (m.family === 'music-lstm') return { dir, id: m.id }
  }
  return null
}

/** The music model the tests run: shipped first; null when there is none (the tests say so and skip). */
export const MUSIC_MODEL = musicModelIn(SHIPPED_DIR) ?? (process.env.MUSIC_MODELS_DIR ? musicModelIn(process.env.MUSIC_MODELS_DIR) : null)

type MusicPart = Extract<JobPart, { kind: 'music' }>

export interface MusicOutcome extends JobEnd {
  parts: MusicPart[]
  /** The prime's notes as streamed. */
  prime: MidiNote[]
  /** The notes the model wrote, by start. */
  notes: MidiNote[]
  /** When each part arrived (ms after the start request was sent). */
  at: number[]
}

export function runMusicJob(engine: EngineSupervisor, req: JobRequest, hooks: { onPart?: (o: MusicOutcome) => void } = {}): Promise<MusicOutcome> {
  const o: MusicOutcome = { jobId: '', parts: [], prime: [], notes: [], at: [], progress: [] }
  const t0 = performance.now()
  return driveJob(engine, req, o, {
    onPart: (part) => {
      if (part.kind !== 'music') return
      o.parts.push(part)
      o.at.push(performance.now() - t0)
      const notes = unpackNotes(part.notes, part.program)
      if (part.source === 'prime') o.prime.push(...notes)
      else o.notes.push(...notes)
      hooks.onPart?.(o)
    },
  }).then((r) => ((r.notes = r.notes.sort(byStart)), r))
}
