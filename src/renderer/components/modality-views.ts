/**
 * Modality → its views: the stage pane while a model of that modality is picked, and how one of its
 * jobs looks in the history strip. The state half is state/modalities.ts.
 */
import type { Component } from 'svelte'
import type { Modality } from '../../common/modality'
import type { Job } from '../state/Job.svelte'
import type { JobOf } from '../state/modalities'
import type { Studio } from '../state/Studio.svelte'
import ImageHistoryItem from './ImageHistoryItem.svelte'
import ImagePane from './ImagePane.svelte'
import MusicHistoryItem from './MusicHistoryItem.svelte'
import MusicPane from './MusicPane.svelte'
import TextHistoryItem from './TextHistoryItem.svelte'
import TextPane from './TextPane.svelte'
import WaveHistoryItem from './WaveHistoryItem.svelte'
import WavePane from './WavePane.svelte'

export type HistoryItemProps<J extends Job> = { job: J; current: boolean; onclick: () => void }

export interface ModalityViews<J extends Job> {
  pane: Component<{ studio: Studio }>
  historyItem: Component<HistoryItemProps<J>>
}

export const MODALITY_VIEWS: { [M in Modality]: ModalityViews<JobOf<M>> } = {
  image: { pane: ImagePane, historyItem: ImageHistoryItem },
  text: { pane: TextPane, historyItem: TextHistoryItem },
  audio: { pane: WavePane, historyItem: WaveHistoryItem },
  music: { pane: MusicPane, historyItem: MusicHistoryItem },
}

/** A job's history item, typed for any job (each modality's item takes its own job class). */
export function historyItemOf(job: Job): Component<HistoryItemProps<Job>> {
  return MODALITY_VIEWS[job.modality].historyItem as Component<HistoryItemProps<Job>>
}
