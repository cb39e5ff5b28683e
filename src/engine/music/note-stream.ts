/**
 * Streams a music job's notes to the client as `music` parts: the first finished note at once (the
 * studio starts playing on it), then every FLUSH_MS with the notes still held, and whatever is left
 * at the end. One part per event would be thousands a second; the roll only redraws per frame.
 */
import type { JobPart } from '../../common/contract'
import type { MidiNote } from '../../common/midi'
import { packNotes } from '../../common/music-part'
import { FLUSH_MS } from '../text/draft-stream'

export class NoteStream {
  #pending: MidiNote[] = []
  #sent = 0
  #last = -Infinity
  /** Seconds written so far. */
  timeS = 0
  /** Events the model wrote so far. */
  events = 0

  constructor(
    private readonly program: number,
    /** Piece seconds the job ends at. */
    private readonly totalS: number,
    private readonly emit: (part: JobPart) => void,
    /** Progress in piece seconds (written, total). */
    private readonly progress: (done: number, total: number) => void,
  ) {}

  /** The clip a continuation follows: one part of its own, before any written note. */
  prime(notes: readonly MidiNote[], endS: number): void {
    this.timeS = endS
    this.emit({ kind: 'music', source: 'prime', notes: packNotes(notes), program: this.program, held: new Float64Array(), timeS: endS, totalS: this.totalS, events: 0 })
  }

  add(notes: readonly MidiNote[]): void {
    this.#pending.push(...notes)
  }

  /**
   * Flush as soon as the first note has ended (the studio plays finished notes: that is the first one
   * heard), then every FLUSH_MS.
   */
  tick(held: () => readonly MidiNote[]): void {
    if (this.#sent === 0) {
      if (this.#pending.length > 0) this.flush(held())
    } else if (performance.now() - this.#last >= FLUSH_MS) this.flush(held())
  }

  /** Send the pending notes (by start) and the held ones now. */
  flush(held: readonly MidiNote[] = []): void {
    this.#last = performance.now()
    const notes = this.#pending.sort((a, b) => a.startS - b.startS || a.pitch - b.pitch)
    this.#pending = []
    this.#sent += notes.length
    this.emit({ kind: 'music', source: 'new', notes: packNotes(notes), program: this.program, held: packNotes(held), timeS: this.timeS, totalS: this.totalS, events: this.events })
    this.progress(Math.min(this.timeS, this.totalS), this.totalS)
  }
}
