/**
 * The engine host's one cache of text states, shared by char-lstm jobs and `text/next` (see
 * state-cache.ts), and the key a kept state belongs to.
 */
import type { Manifest } from '../../common/manifest'
import type { LoadedModel } from '../sessions'
import { StateCache } from './state-cache'

export const textStates = new StateCache()

/** A state belongs to the exact weights and EP that computed it. */
export function modelKey(m: Manifest, model: LoadedModel): string {
  return `${m.id}|${model.hash}|${model.ep}`
}
