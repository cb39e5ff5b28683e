/**
 * Audio jobs on the command line: streamed `audio` parts are put back together per voice and written
 * as `<model-id>-<seed + i>.wav`, 16-bit PCM with the recipe that makes exactly that voice again (its
 * own seed, voices 1: voice i of a batch sounds the same alone). No timestamps: same args, same bytes.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Events, JobPart } from '../common/contract'
import { parseRecipe, RECIPE_KEY } from '../common/recipe'
import { voiceRecipe } from '../common/voice-recipe'
import { decodeWav, encodeWav } from '../common/wav'

export type AudioPart = Extract<JobPart, { kind: 'audio' }>

/** Whole voices from their parts (which arrive in order and contiguous; a gap is an engine bug). */
export function assembleVoices(parts: AudioPart[]): { voice: number; sampleRate: number; samples: Float32Array }[] {
  const byVoice = new Map<number, AudioPart[]>()
  for (const p of parts) byVoice.set(p.voice, [...(byVoice.get(p.voice) ?? []), p])
  return [...byVoice.entries()]
    .sort(([a], [b]) => a - b)
    .map(([voice, ps]) => {
      const samples = new Float32Array(ps[0].total)
      let filled = 0
      for (const p of ps) {
        if (p.offset !== filled) throw new Error(`voice ${voice}: samples ${filled}… are missing (a part starts at ${p.offset})`)
        samples.set(p.samples, p.offset)
        filled += p.samples.length
      }
      if (filled !== samples.length) throw new Error(`voice ${voice}: ${filled} of ${samples.length} samples arrived`)
      return { voice, sampleRate: ps[0].sampleRate, samples }
    })
}

/** Write one WAV per voice; returns their paths in voice order. */
export async function writeVoices(outDir: string, modelId: string, done: Events['job/done'], parts: AudioPart[]): Promise<string[]> {
  const voices = assembleVoices(parts)
  if (voices.length === 0) throw new Error(`model ${modelId} produced no audio`)
  const paths: string[] = []
  for (const v of voices) {
    const recipe = voiceRecipe(done.recipe, v.voice)
    const file = join(outDir, `${modelId}-${recipe.seed}.wav`)
    try {
      await writeFile(file, encodeWav(v.samples, v.sampleRate, JSON.stringify(recipe)))
    } catch (e) {
      throw new Error(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
    paths.push(file)
  }
  return paths
}

/** `info file.wav`: the recipe inside an exported WAV as pretty JSON, or why there is none. */
export function wavRecipe(file: string, bytes: Uint8Array): string {
  let raw: string | null
  try {
    raw = decodeWav(bytes).recipe
  } catch (e) {
    throw new Error(`${file} is not a usable WAV: ${(e as Error).message}`)
  }
  if (raw === null) throw new Error(`${file} has no Latent Studio recipe (LIST/INFO ICMT ${RECIPE_KEY})`)
  const r = parseRecipe(raw)
  if (!r.ok) throw new Error(`${file}: bad recipe: ${r.error}`)
  return JSON.stringify(r.value, null, 2)
}
