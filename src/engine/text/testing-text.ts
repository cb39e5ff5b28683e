/**
 * Test helper for the text family (not used at runtime): run one text job through a real engine host
 * and collect what a client sees, per draft.
 */
import type { Events, JobPart, JobRequest } from '../../common/contract'
import type { EngineSupervisor } from '../supervisor'

type TextPart = Extract<JobPart, { kind: 'text' }>

export interface TextOutcome {
  jobId: string
  prime: string
  /** Every text part in arrival order. */
  parts: TextPart[]
  /** Per draft: the written text (parts joined). */
  texts: string[]
  /** Per draft: how it ended (undefined while running or when cancelled). */
  ends: (TextPart['end'] | undefined)[]
  progress: Events['job/progress'][]
  done?: Events['job/done']
  failed?: Events['job/failed']
}

export async function runTextJob(engine: EngineSupervisor, req: JobRequest, hooks: { onPart?: (o: TextOutcome) => void } = {}): Promise<TextOutcome> {
  const drafts = typeof req.params.drafts === 'number' ? req.params.drafts : 1
  const o: TextOutcome = {
    jobId: '', prime: String(req.params.prime ?? ''), parts: [],
    texts: Array.from({ length: drafts }, () => ''), ends: new Array(drafts), progress: [],
  }
  const early: [keyof Events, { jobId: string }][] = [] // events can beat the job/start reply
  let finish!: () => void
  const finished = new Promise<void>((r) => (finish = r))
  const handle = (name: keyof Events, p: { jobId: string }) => {
    if (!o.jobId) return void early.push([name, p])
    if (p.jobId !== o.jobId) return
    if (name === 'job/partial') {
      const part = (p as Events['job/partial']).part
      if (part.kind !== 'text') return
      o.parts.push(part)
      o.texts[part.draft] = (o.texts[part.draft] ?? '') + part.text
      if (part.end) o.ends[part.draft] = part.end
      hooks.onPart?.(o)
    } else if (name === 'job/progress') o.progress.push(p as Events['job/progress'])
    else if (name === 'job/done') (o.done = p as Events['job/done']), finish()
    else if (name === 'job/failed') (o.failed = p as Events['job/failed']), finish()
  }
  const offs = (['job/partial', 'job/progress', 'job/done', 'job/failed'] as const).map((n) => engine.on(n, (p) => handle(n, p)))
  try {
    o.jobId = (await engine.invoke('job/start', req)).jobId
    for (const [n, p] of early.splice(0)) handle(n, p)
    await finished
    return o
  } finally {
    for (const off of offs) off()
  }
}
