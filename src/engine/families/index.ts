/**
 * Family → runner. Adding a family (char-lstm, wavenet…) means one file here plus its line below;
 * the registry lists models of families without a runner as "not supported yet".
 */
import type { Family } from '../../common/manifest'
import { charLstm } from './char-lstm'
import { gan } from './gan'
import { prior } from './prior'
import { rbm } from './rbm'
import type { FamilyRunner } from './types'
import { wavenet } from './wavenet'

export const FAMILY_RUNNERS: Partial<Record<Family, FamilyRunner>> = { gan, vae: prior, vaegan: prior, rbm, wavenet, 'char-lstm': charLstm }

export function runnerFor(family: string): FamilyRunner | undefined {
  return FAMILY_RUNNERS[family as Family]
}

export { CancelledError, type FamilyRunner, type RunContext } from './types'
