/**
 * A music job as the piano roll follows it: the piece's notes (the prime's first, then what the model
 * writes, as `music` parts stream in), the notes still held, how far the piece is written, and the
 * tempo and program its files are written with. The notes are the roll's and the synth's: Delete and a
 * regenerated range replace them (`setNotes`), and exports write what is shown.
 *
 * A regenerated range is a job too (`splice`): its prime is the piece before the range, and what it
 * writes lands in the range (moved to start there, cut at its end) between the kept notes before and
 * after it. A MIDI file opened from disk is a MusicJob: finished, no engine id.
 */
import type { JobPart, JobRequest, ModelSummary } from '../../common/contract'
import { programOf } from '../../common/gm-programs'
import { musicItemRecipe } from '../../common/items'
import type { MidiNote } from '../../common/midi'
import { byStart, unpackNotes } from '../../common/music-part'
import type { Recipe } from '../../common/recipe'
import { Job, type Progress } from './Job.svelte'

export interface OpenedPiece {
  file: string
  notes: MidiNote[]
  bpm: number
  /** null: a MIDI file made elsewhere, which plays and can be continued but has no recipe to restore. */
  recipe: Recipe | null
}

/** What a regenerate job keeps around the range it rewrites (piece seconds). */
export interface Splice {
  before: MidiNote[]
  after: MidiNote[]
  startS: number
  endS: number
  /** Where the model's clock stood after the prime (its last note-off): new notes move by startS − this. */
  primeEndS: number
}

const num = (v: unknown, fallback: number) => (Number.isFinite(Number(v)) ? Number(v) : fallback)

export class MusicJob extends Job<'music'> {
  readonly modality = 'music'
  /** Beats per minute the piece's files are written at. */
  readonly bpm: number
  readonly program: number
  readonly splice: Splice | null

  #notes = $state.raw<MidiNote[]>([])
  #held = $state.raw<MidiNote[]>([])
  #primeCount = $state(0)
  #timeS = $state(0)
  #totalS = $state(0)
  #startS = 0
  #edited = $state(false)
  /** Called once, on the first note the model wrote (live playback starts there). */
  onFirstNote: ((startS: number) => void) | null = null

  constructor(request: JobRequest, model: ModelSummary, opened?: OpenedPiece, splice: Splice | null = null) {
    super(request, model)
    const p = request.params
    const ev = model.manifest?.events
    this.bpm = opened?.bpm ?? num(p.tempo, ev?.referenceBpm ?? 120)
    this.program = opened?.notes[0]?.program ?? safeProgram(p.program)
    this.splice = splice
    const beats = num(p.bars, 0) * (ev?.beatsPerBar ?? 4)
    this.#totalS = (beats * 60) / this.bpm
    if (splice) {
      this.#notes = [...splice.before, ...splice.after].sort(byStart)
      this.#startS = this.#timeS = splice.startS
      this.#totalS = splice.endS
    }
    if (opened) {
      this.#notes = opened.notes
      this.#timeS = this.#totalS = end(opened.notes)
      this.opened(opened.file, opened.recipe)
    }
  }

  /** The piece: prime, written notes, and kept notes around a regenerated range, by start. */
  get notes(): MidiNote[] { return this.#notes }
  /** Notes being written (drawn growing; not played until they end). */
  get held(): MidiNote[] { return this.#held }
  /** How many of `notes` came from the prime (a continuation's clip). */
  get primeCount(): number { return this.#primeCount }
  /** Seconds written so far, and the piece's length when done. */
  get timeS(): number { return this.#timeS }
  get totalS(): number { return this.#totalS }
  /** Deleted or rewritten since it was made: its file's recipe makes the last job, not these notes. */
  get edited(): boolean { return this.#edited }

  get progressShown(): Progress {
    return { done: Math.max(0, this.#timeS - this.#startS), total: Math.max(0, this.#totalS - this.#startS), unit: 'seconds' }
  }

  receive(p: JobPart): void {
    if (p.kind !== 'music') return
    const s = this.splice
    if (p.source === 'prime') {
      if (s) return void (s.primeEndS = p.timeS) // a regenerate keeps its own notes before the range
      this.#startS = p.timeS
      this.#totalS = p.totalS
      this.#timeS = p.timeS
      this.#primeCount = p.notes.length / 4
      this.#notes = unpackNotes(p.notes, p.program)
      return
    }
    let notes = unpackNotes(p.notes, p.program)
    let held = unpackNotes(p.held, p.program)
    if (s) {
      const place = (ns: MidiNote[]) => inRange(ns.map((n) => ({ ...n, startS: n.startS + s.startS - s.primeEndS })), s.endS)
      ;[notes, held] = [place(notes), place(held)]
    } else this.#totalS = p.totalS
    if (notes.length) {
      this.#notes = [...this.#notes, ...notes].sort(byStart)
      const cb = this.onFirstNote
      this.onFirstNote = null
      cb?.(Math.min(...notes.map((x) => x.startS)))
    }
    this.#held = held
    this.#timeS = s ? Math.min(s.endS, p.timeS + s.startS - s.primeEndS) : p.timeS
  }

  /** Parts are applied as they come (~30 a second; the roll draws per frame); the last one holds no notes. */
  flush(): void {}

  /** The notes after a Delete (or any edit in the roll). */
  setNotes(notes: MidiNote[]): void {
    this.#notes = notes
    this.#edited = true
  }

  /** The recipe the piece's files carry: the job's (one piece: seed + 0); an opened file's own. */
  pieceRecipe(appVersion: string): Recipe {
    if (this.file) {
      if (!this.recipe) throw new Error(`${this.file} has no Latent Studio recipe`)
      return this.recipe
    }
    return musicItemRecipe(this.jobRecipe(appVersion), { index: 0 })
  }
}

/** A `program` param (number or GM name) as a program number; 0 when unreadable. */
function safeProgram(v: unknown): number {
  try {
    return programOf(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as number | string))
  } catch {
    return 0
  }
}

const end = (notes: readonly MidiNote[]) => notes.reduce((m, n) => Math.max(m, n.startS + n.durS), 0)

/** Notes that start before `endS`, cut to end by it. */
function inRange(notes: MidiNote[], endS: number): MidiNote[] {
  return notes.filter((n) => n.startS < endS).map((n) => (n.startS + n.durS > endS ? { ...n, durS: endS - n.startS } : n))
}
