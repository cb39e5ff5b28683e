/**
 * Audio jobs on the command line: streamed `audio` chunks are put back together per voice and written
 * as 16-bit PCM WAVs. Chunks arrive in order and contiguous; a gap is an engine bug and fails the job.
 */
import { CODECS } from '../common/codecs'
import { writeItem, type CliOutput } from './output'

interface Voice {
  sampleRate: number
  /** (total,) mono PCM in [-1, 1]. */
  samples: Float32Array
  filled: number
  gap?: string
}

export const audioOutput: CliOutput = {
  collect() {
    const voices = new Map<number, Voice>()
    return {
      add(p) {
        if (p.kind !== 'audio') return
        const v = voices.get(p.voice) ?? { sampleRate: p.sampleRate, samples: new Float32Array(p.total), filled: 0 }
        voices.set(p.voice, v)
        if (v.gap) return
        if (p.offset !== v.filled || p.offset + p.samples.length > v.samples.length) {
          v.gap = `voice ${p.voice}: samples ${v.filled}… are missing (a part starts at ${p.offset})`
          return
        }
        v.samples.set(p.samples, p.offset)
        v.filled += p.samples.length
      },
      async write(job) {
        if (voices.size === 0) throw new Error(`model ${job.modelId} produced no audio`)
        const paths: string[] = []
        for (const [index, v] of [...voices.entries()].sort(([a], [b]) => a - b)) {
          if (v.gap) throw new Error(v.gap)
          if (v.filled !== v.samples.length) throw new Error(`voice ${index}: ${v.filled} of ${v.samples.length} samples arrived`)
          const recipe = CODECS.audio.itemRecipe(job.done.recipe, { index })
          paths.push(await writeItem(job, recipe.seed, 'wav', await CODECS.audio.encode(v, recipe, {})))
        }
        return paths
      },
    }
  },
}
