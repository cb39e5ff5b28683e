/**
 * Family → runner: the engine layer of a family (README "Adding a family" lists the other layers, one
 * per modality). The registry lists models of families without a runner as "not supported yet".
 */
import type { Family } from '../../common/manifest'
import { charLstm } from './char-lstm'
import { deepdream } from './deepdream'
import { gan } from './gan'
import { musicLstm } from './music-lstm'
import { prior } from './prior'
import { rbm } from './rbm'
import type { FamilyRunner } from './types'
import { wavenet } from './wavenet'

export const FAMILY_RUNNERS: Partial<Record<Family, FamilyRunner>> = { gan, vae: prior, vaegan: prior, rbm, wavenet, 'char-lstm': charLstm, deepdream, 'music-lstm': musicLstm }

export function runnerFor(family: string): FamilyRunner | undefined {
  return FAMILY_RUNNERS[family as Family]
}

export { CancelledError, type FamilyRunner, type ModelContext, type ModelMethod, type RunContext } from './types'
