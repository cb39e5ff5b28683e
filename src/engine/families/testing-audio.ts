/**
 * Test helpers for the WaveNet family (not used at runtime): run one job through a real engine host and
 * read back each voice as the client gets it, checking its chunks are contiguous.
 */
import { expect } from 'vitest'
import type { JobPart, JobRequest } from '../../common/contract'
import type { EngineSupervisor } from '../supervisor'
import { driveJob, type JobEnd } from '../testing'

export type AudioPart = Extract<JobPart, { kind: 'audio' }>

export interface AudioOutcome extends JobEnd {
  parts: AudioPart[]
}

/** Run one job to its end, collecting its audio parts; `onPart` may cancel or feed it mid-run. */
export function runAudio(engine: EngineSupervisor, req: JobRequest, onPart?: (o: AudioOutcome) => void): Promise<AudioOutcome> {
  const o: AudioOutcome = { jobId: '', parts: [], progress: [] }
  return driveJob(engine, req, o, {
    onPart: (part) => {
      if (part.kind === 'audio') o.parts.push(part), onPart?.(o)
    },
  })
}

/** Voice v's samples, checking its parts are in order and contiguous. */
export function voice(o: AudioOutcome, v: number): Float32Array {
  const ps = o.parts.filter((p) => p.voice === v)
  const out = new Float32Array(ps.reduce((n, p) => n + p.samples.length, 0))
  let at = 0
  for (const p of ps) {
    expect(p.offset, `voice ${v} part offset`).toBe(at)
    out.set(p.samples, at)
    at += p.samples.length
  }
  return out
}

/** Bit for bit the same samples. */
export const same = (a: Float32Array, b: Float32Array) =>
  a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
