/** What every modality's actions (ImageStudio, TextStudio, AudioStudio) offer the studio shell. */
import type { Job } from './Job.svelte'

export interface ModalityActions {
  /** A file of this modality (by its extension) opened or dropped: restore its recipe, show what it holds. */
  openFile(file: File): Promise<void>
  /** Esc: close what this modality has open (the image viewer, the text cursor); false when nothing was. */
  escape(): boolean
  /** Another job is now on the stage (a new one, one from history, one opened from a file). */
  staged(job: Job | null): void
}
