/**
 * Modality → CLI output (output.ts): the one place `generate` picks how a job's parts become files.
 * `info` needs no entry: it reads any file through the common CODECS.
 */
import type { Modality } from '../common/modality'
import { audioOutput } from './audio-out'
import { imageOutput } from './image-out'
import { musicOutput } from './music-output'
import type { CliOutput } from './output'
import { textOutput } from './text-out'

export const CLI_OUTPUTS: Record<Modality, CliOutput> = { image: imageOutput, text: textOutput, audio: audioOutput, music: musicOutput }
