/**
 * Text jobs on the command line: streamed `text` parts are joined per draft and written as an .md
 * holding prime + draft, its recipe in front matter (common/front-matter.ts).
 */
import { CODECS } from '../common/codecs'
import type { TextItem } from '../common/items'
import { writeItem, type CliOutput } from './output'

export const textOutput: CliOutput = {
  collect() {
    const drafts = new Map<number, TextItem>()
    return {
      add(p) {
        if (p.kind !== 'text') return
        const d = drafts.get(p.draft) ?? { index: p.draft, text: '', end: null }
        drafts.set(p.draft, { ...d, text: d.text + p.text, end: p.end ?? d.end })
      },
      async write(job) {
        if (drafts.size === 0) throw new Error(`model ${job.modelId} wrote no text`)
        const prime = String(job.done.recipe.params.prime ?? '')
        const paths: string[] = []
        for (const d of [...drafts.values()].sort((a, b) => a.index - b.index)) {
          const recipe = CODECS.text.itemRecipe(job.done.recipe, d)
          paths.push(await writeItem(job, recipe.seed, 'md', await CODECS.text.encode({ text: prime + d.text }, recipe, { format: 'md' })))
        }
        return paths
      },
    }
  },
}
