/**
 * Modality → the renderer's state for it: the job its pane follows and the actions over the studio's
 * services. Panes and history items are the views' half (components/modality-views.ts).
 */
import type { JobRequest, ModelSummary } from '../../common/contract'
import type { Modality } from '../../common/modality'
import { AudioJob } from './AudioJob.svelte'
import { AudioStudio } from './AudioStudio.svelte'
import { ImageJob } from './ImageJob.svelte'
import { ImageStudio } from './ImageStudio.svelte'
import { MusicJob } from './MusicJob.svelte'
import { MusicStudio } from './MusicStudio.svelte'
import type { Job } from './Job.svelte'
import type { ModalityActions } from './modality-actions'
import type { StudioServices } from './services'
import { TextJob } from './TextJob.svelte'
import { TextStudio } from './TextStudio.svelte'

export interface RendererModality<J extends Job, A extends ModalityActions> {
  /** A new job of this modality, as its pane follows it. */
  job(request: JobRequest, model: ModelSummary): J
  /** Its actions (export, restore, what Esc closes…) over the studio's services. */
  actions(services: StudioServices): A
}

export const RENDERER_MODALITIES = {
  image: { job: (r, m) => new ImageJob(r, m), actions: (s) => new ImageStudio(s) },
  text: { job: (r, m) => new TextJob(r, m), actions: (s) => new TextStudio(s) },
  audio: { job: (r, m) => new AudioJob(r, m), actions: (s) => new AudioStudio(s) },
  music: { job: (r, m) => new MusicJob(r, m), actions: (s) => new MusicStudio(s) },
} satisfies { [M in Modality]: RendererModality<Job<M>, ModalityActions> }

type Registry = typeof RENDERER_MODALITIES
/** The job class of a modality (ImageJob, TextJob, AudioJob). */
export type JobOf<M extends Modality> = ReturnType<Registry[M]['job']>
/** The actions of a modality (ImageStudio, TextStudio, AudioStudio). */
export type ActionsOf<M extends Modality> = ReturnType<Registry[M]['actions']>
