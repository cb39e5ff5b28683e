/**
 * Test helper for the text family (not used at runtime): run one text job through a real engine host
 * and collect what a client sees, per draft.
 */
import type { JobPart, JobRequest } from '../../common/contract'
import type { EngineSupervisor } from '../supervisor'
import { driveJob, type JobEnd } from '../testing'

type TextPart = Extract<JobPart, { kind: 'text' }>

export interface TextOutcome extends JobEnd {
  prime: string
  /** Every text part in arrival order. */
  parts: TextPart[]
  /** Per draft: the written text (parts joined). */
  texts: string[]
  /** Per draft: how it ended (undefined while running or when cancelled). */
  ends: (TextPart['end'] | undefined)[]
}

export function runTextJob(engine: EngineSupervisor, req: JobRequest, hooks: { onPart?: (o: TextOutcome) => void } = {}): Promise<TextOutcome> {
  const drafts = typeof req.params.drafts === 'number' ? req.params.drafts : 1
  const o: TextOutcome = {
    jobId: '', prime: String(req.params.prime ?? ''), parts: [],
    texts: Array.from({ length: drafts }, () => ''), ends: new Array(drafts), progress: [],
  }
  return driveJob(engine, req, o, {
    onPart: (part) => {
      if (part.kind !== 'text') return
      o.parts.push(part)
      o.texts[part.draft] = (o.texts[part.draft] ?? '') + part.text
      if (part.end) o.ends[part.draft] = part.end
      hooks.onPart?.(o)
    },
  })
}
