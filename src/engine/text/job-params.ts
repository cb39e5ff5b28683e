/** A text job's params as the char-lstm runner and `text/next` read them. */
import type { ParamValues } from '../../common/contract'
import { numParam } from '../params'
import type { SamplingParams } from './sampler'
import { parseStops } from './vocab'

export interface TextParams {
  prime: string
  length: number
  drafts: number
  stops: string[]
  sampling: SamplingParams
}

/** The params that shape the odds of the next character (the rest say what to write and how much). */
export const SAMPLING_KEYS = ['temperature', 'topK', 'topP'] as const

/** The job's params (validated against the manifest already; absent ones take neutral values). */
export function textParams(p: ParamValues): TextParams {
  return {
    prime: typeof p.prime === 'string' ? p.prime : '',
    length: numParam(p, 'length', 200),
    drafts: numParam(p, 'drafts', 1),
    stops: parseStops(typeof p.stop === 'string' ? p.stop : ''),
    sampling: { temperature: numParam(p, 'temperature', 1), topK: numParam(p, 'topK', 0), topP: numParam(p, 'topP', 1) },
  }
}
