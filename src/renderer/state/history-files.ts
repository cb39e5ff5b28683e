/**
 * Modality → how a finished job becomes history files and back: one file per item (tile, draft, voice),
 * written by the common codecs exactly as an export writes it (the item's own recipe inside), and an
 * entry's files turned back into the parts a job receives, so a kept job shows in its pane as it did.
 * Loaded on first use (codecs bring zod); a new modality adds its row and the compiler asks for it.
 */
import { CODECS } from '../../common/codecs'
import type { JobPart } from '../../common/contract'
import type { HistoryEntry, HistoryFile } from '../../common/history'
import type { Modality } from '../../common/modality'
import { packNotes } from '../../common/music-part'
import { decodePng } from '../../common/png-decode'
import { noteName } from '../lib/audio-keys'
import { encodeTilePng } from '../lib/png-export'
import { firstWords } from '../lib/text-display'
import type { JobOf } from './modalities'

export interface HistoryCodec<M extends Modality> {
  /** The job's items as files, each `<model>-<item seed>.<ext>` with that item's recipe inside. */
  files(job: JobOf<M>, appVersion: string): Promise<HistoryFile[]>
  /** A line to recognise the entry by in the history list. */
  summary(job: JobOf<M>): string
  /** An entry's files as the parts a fresh job of its recipe receives. */
  parts(entry: HistoryEntry, files: readonly HistoryFile[]): Promise<JobPart[]>
}

const name = (modelId: string, seed: number, ext: string) => `${modelId}-${seed}.${ext}`

/** The recipe inside a kept file (the store checked it when the file was kept; a file edited since is named). */
function itemRecipe<M extends Modality>(m: M, f: HistoryFile) {
  const d = CODECS[m].decode(f.name, f.bytes)
  if (!d.ok) throw new Error(d.error)
  return d
}

/** Item i of a job seeded `seed` has seed + i (uint32). */
const indexOf = (entry: HistoryEntry, seed: number) => (seed - entry.seed) >>> 0

export const HISTORY_FILES: { [M in Modality]: HistoryCodec<M> } = {
  image: {
    async files(job, v) {
      const out: HistoryFile[] = []
      for (const t of job.tiles) {
        if (!t.image || !job.isDone(t)) continue
        out.push({ name: name(job.model.id, t.seed, 'png'), bytes: await encodeTilePng(t.image, 1, job.recipeFor(t, v)) })
      }
      return out
    },
    summary: (job) => (job.steps !== null ? `${job.tiles.length} chain(s) × ${job.steps} steps` : `${job.tiles.length} image(s)`),
    async parts(entry, files) {
      const chain = 'steps' in entry.recipe.params
      return Promise.all(
        files.map(async (f): Promise<JobPart> => {
          const { recipe } = itemRecipe('image', f)
          const { width, height, rgba } = await decodePng(f.bytes)
          const step = chain ? Number(recipe.params.steps) : undefined
          return { kind: 'image', index: indexOf(entry, recipe.seed), seed: recipe.seed, width, height, rgba, ...(step !== undefined ? { step } : {}) }
        }),
      )
    },
  },
  text: {
    async files(job, v) {
      const out: HistoryFile[] = []
      for (const d of job.drafts) {
        const r = job.recipeForDraft(d.index, v)
        out.push({ name: name(job.model.id, r.seed, 'md'), bytes: await CODECS.text.encode({ text: job.prime + d.text }, r, { format: 'md' }) })
      }
      return out
    },
    summary: (job) => firstWords(job.drafts[0]?.text || job.prime, 80),
    async parts(entry, files) {
      const prime = String(entry.recipe.params.prime ?? '')
      return files.map((f): JobPart => {
        const { recipe, text } = itemRecipe('text', f)
        return { kind: 'text', draft: indexOf(entry, recipe.seed), text: text.startsWith(prime) ? text.slice(prime.length) : text, end: 'length' }
      })
    },
  },
  audio: {
    async files(job, v) {
      const out: HistoryFile[] = []
      for (let i = 0; i < job.voiceCount; i++) {
        const samples = job.slice(i)
        if (!samples.length) continue
        const r = job.recipeForVoice(i, v)
        out.push({ name: name(job.model.id, r.seed, 'wav'), bytes: await CODECS.audio.encode({ samples, sampleRate: job.sampleRate }, r, {}) })
      }
      return out
    },
    summary: (job) => {
      const p = job.request.params
      return `${p.instrument ?? ''} ${Number.isFinite(Number(p.pitch)) ? noteName(Number(p.pitch)) : ''}`.trim()
    },
    async parts(entry, files) {
      return files.map((f): JobPart => {
        const { recipe, samples, sampleRate } = itemRecipe('audio', f)
        return { kind: 'audio', voice: indexOf(entry, recipe.seed), sampleRate, offset: 0, samples, total: samples.length }
      })
    },
  },
  music: {
    async files(job, v) {
      if (!job.notes.length) return []
      const r = job.pieceRecipe(v)
      return [{ name: name(job.model.id, r.seed, 'mid'), bytes: await CODECS.music.encode({ notes: job.notes, bpm: job.bpm }, r, {}) }]
    },
    summary: (job) => `${job.notes.length} notes · ${job.request.params.bars ?? '?'} bars at ${Math.round(job.bpm)} bpm`,
    async parts(_entry, files) {
      // One part per program (a piece is written with one; a kept file is read as it is).
      return files.flatMap((f) => {
        const { piece } = itemRecipe('music', f)
        const endS = piece.reduce((m, n) => Math.max(m, n.startS + n.durS), 0)
        return [...new Set(piece.map((n) => n.program))].map((program): JobPart => ({
          kind: 'music', source: 'new', program, notes: packNotes(piece.filter((n) => n.program === program)), held: new Float64Array(), timeS: endS, totalS: endS, events: 0,
        }))
      })
    },
  },
}
