/**
 * Music jobs on the command line: the streamed `music` parts (the prime's notes, then the model's) are
 * put together into one piece, written as `<model-id>-<seed>.mid` with the piece's recipe inside and,
 * with `--wav`, the same notes rendered through the shipped soundfont (music-out.ts).
 */
import { CODECS } from '../common/codecs'
import type { MidiNote } from '../common/midi'
import { byStart, unpackNotes } from '../common/music-part'
import { writeMusic } from './music-out'
import type { CliOutput } from './output'

export const musicOutput: CliOutput = {
  collect() {
    const notes: MidiNote[] = []
    return {
      add(p) {
        if (p.kind === 'music') notes.push(...unpackNotes(p.notes, p.program))
      },
      async write(job) {
        if (notes.length === 0) throw new Error(`model ${job.modelId} wrote no notes (try more bars or another seed)`)
        const recipe = CODECS.music.itemRecipe(job.done.recipe, { index: 0 })
        const bpm = Number(recipe.params.tempo) || 120
        return writeMusic(job.outDir, `${job.modelId}-${recipe.seed}`, notes.sort(byStart), bpm, JSON.stringify(recipe), { wav: job.wav })
      },
    }
  },
}
