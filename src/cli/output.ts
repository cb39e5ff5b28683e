/**
 * What `generate` does with a job's streamed parts, per modality (outputs.ts): collect them, then write
 * one file per item (image, draft, voice) named `<model-id>-<seed + i>.<ext>`, each carrying the recipe
 * that makes that item alone (the codec's item recipe, the same rule the studio exports with). No
 * timestamps anywhere: same args, same bytes.
 */
import { join } from 'node:path'
import type { Events, JobPart } from '../common/contract'
import { writeFileAtomic } from '../engine'

/** A finished job as the writer sees it. */
export interface FinishedJob {
  outDir: string
  modelId: string
  done: Events['job/done']
  /** Nearest-neighbour factor for images (`--scale`). */
  scale: number
  /** Music: also write the piece as a WAV (`--wav`). */
  wav?: boolean
}

/** One job's parts, as they stream in (in arrival order; parts of other modalities are ignored). */
export interface Collector {
  add(part: JobPart): void
  /** Write one file per item; their paths in item order. Throws when the job made nothing. */
  write(job: FinishedJob): Promise<string[]>
}

export interface CliOutput {
  /** A fresh collector for one job. */
  collect(): Collector
}

/** Write `<model-id>-<seed>.<ext>` in the job's folder, atomically; the error names the file. */
export async function writeItem(job: FinishedJob, seed: number, ext: string, bytes: Uint8Array): Promise<string> {
  const file = join(job.outDir, `${job.modelId}-${seed}.${ext}`)
  try {
    await writeFileAtomic(file, bytes) // a full disk leaves an older file of that name whole
  } catch (e) {
    throw new Error(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
  return file
}
