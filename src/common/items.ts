/**
 * One item of a job — image i of a grid, draft i, voice i — and the recipe that makes it again alone:
 * one rule per modality, used by the renderer's exports and the CLI's files alike. Item i of a job is
 * made by seed + i, so its recipe is the job's with that seed and a count of one (MODALITY_INFO).
 * Type-only imports: the renderer keeps this in its startup chunk (zod loads on first export).
 */
import { parseChord } from './chord'
import type { ParamValues } from './contract'
import { exploreItem } from './explore'
import { MODALITY_INFO, type Modality } from './modality'
import type { Recipe } from './recipe'

/** An image of a grid; chains (RBM) also say which step the frame shows. */
export interface ImageItem {
  index: number
  step?: number
}

/** A draft: what it wrote after the prime, and why it ended (null: cancelled or still writing). */
export interface TextItem {
  index: number
  text: string
  end?: 'stop' | 'length' | null
}

export interface AudioItem {
  index: number
  /** What the voice set for itself: a note fed to a running job (`job/feed`) has its own pitch. */
  params?: ParamValues
}

/** A music job makes one piece (index 0). */
export interface MusicItem {
  index: number
}

/** Nearest-neighbour export factors for images (the viewer's choice, the CLI's `--scale`). */
export const EXPORT_SCALES = [1, 2, 3, 4, 5, 6, 7, 8] as const

/** The job's recipe for item `index` alone: seed + index, one item, no grid index. */
function alone(m: Modality, job: Recipe, index: number, params: ParamValues = { ...job.params }): Recipe {
  const { index: _index, ...rest } = job
  const count = MODALITY_INFO[m].countParam
  if (count in params) params[count] = 1
  return { ...rest, seed: (job.seed + index) >>> 0, params }
}

/**
 * A chain frame at step k (RBM) is exactly the last frame of the same chain run for k steps, so its
 * recipe says `steps: k`: a frame exported mid-run or after a cancel still makes itself again. A last
 * frame (step ≥ `steps`) keeps the job's params: Deep Dream counts its frames over every octave
 * (octaves × steps per octave), and its last one is the result the job's own recipe makes. A caller
 * whose frames are not prefixes of a shorter chain (Deep Dream's previews) passes no `step`.
 */
export function imageItemRecipe(job: Recipe, item: ImageItem): Recipe {
  if (job.explore) {
    // An explore job's item alone (common/explore.ts): a frame moves `first`, a child its mix seed.
    const { index: _index, ...rest } = job
    return { ...rest, ...exploreItem(job.explore, job.seed, item.index), params: { ...job.params, count: 1 } }
  }
  const params = { ...job.params }
  if (item.step !== undefined && 'steps' in params && item.step < Number(params.steps)) params.steps = item.step
  return alone('image', job, item.index, params)
}

/**
 * A draft that did not end by itself (cancelled, still writing) records the length it reached, so the
 * recipe writes exactly the text the file holds: draft i of a job is the same characters as a one-draft
 * job seeded seed + i.
 */
export function textItemRecipe(job: Recipe, item: TextItem): Recipe {
  const params = { ...job.params }
  if (!item.end && 'length' in params) params.length = Math.max(1, item.text.length)
  return alone('text', job, item.index, params)
}

/**
 * Voice i of a batch sounds the same alone; a region cut from it carries the voice's recipe too. A voice
 * fed to a running job (a keyboard note) is that job's recipe with its own params (its pitch).
 */
export function audioItemRecipe(job: Recipe, item: AudioItem): Recipe {
  return alone('audio', job, item.index, { ...job.params, ...chordVoice(job.params, item.index), ...item.params })
}

/** Voice `index` of a chord job (common/chord.ts) alone is its note without the chord; {} for other jobs. */
function chordVoice(params: ParamValues, index: number): ParamValues {
  if (typeof params.chord !== 'string' || !params.chord.trim()) return {}
  try {
    const pitch = parseChord(params.chord, 0, 127)[index]
    return pitch === undefined ? {} : { pitch, chord: '' }
  } catch {
    return {} // not a chord the engine would have played
  }
}

/** A music job's one piece: its recipe is the job's (seed + 0). */
export function musicItemRecipe(job: Recipe, item: MusicItem): Recipe {
  return alone('music', job, item.index)
}
