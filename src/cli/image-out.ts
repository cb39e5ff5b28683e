/**
 * Image jobs on the command line: one PNG per grid image (×`--scale`, nearest neighbour). Chains (RBM)
 * stream a frame per `every` steps: only each tile's latest frame is kept and written.
 */
import { deflateSync } from 'node:zlib'
import { CODECS } from '../common/codecs'
import type { PartOf } from '../common/modality'
import { writeItem, type CliOutput } from './output'

const deflate = (d: Uint8Array) => deflateSync(d, { level: 9 })

export const imageOutput: CliOutput = {
  collect() {
    const tiles = new Map<number, PartOf<'image'>>()
    return {
      add(p) {
        if (p.kind !== 'image') return
        const prev = tiles.get(p.index)
        if (!prev || (p.step ?? 0) >= (prev.step ?? 0)) tiles.set(p.index, p)
      },
      async write(job) {
        if (tiles.size === 0) throw new Error(`model ${job.modelId} produced no images`)
        const paths: string[] = []
        for (const p of [...tiles.values()].sort((a, b) => a.index - b.index)) {
          const recipe = CODECS.image.itemRecipe(job.done.recipe, { index: p.index, step: p.step })
          const png = await CODECS.image.encode(p, recipe, { scale: job.scale, deflate })
          paths.push(await writeItem(job, recipe.seed, 'png', png))
        }
        return paths
      },
    }
  },
}
