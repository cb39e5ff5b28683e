/**
 * Text jobs on the command line: streamed `text` parts are joined per draft and written as
 * `<model-id>-<seed + i>.md` (prime + draft, recipe in front matter: common/front-matter.ts). Each
 * file's recipe names that draft's own seed and drafts 1, so it alone writes that draft again. No
 * timestamps: same args, same bytes.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Events, JobPart } from '../common/contract'
import { encodeTextFile, readTextFile } from '../common/front-matter'
import type { Recipe } from '../common/recipe'

export type TextPart = Extract<JobPart, { kind: 'text' }>

/** Written text per draft, in draft order (parts arrive in order per draft). */
export function assembleDrafts(parts: TextPart[]): { draft: number; text: string }[] {
  const byDraft = new Map<number, string>()
  for (const p of parts) byDraft.set(p.draft, (byDraft.get(p.draft) ?? '') + p.text)
  return [...byDraft.entries()].sort(([a], [b]) => a - b).map(([draft, text]) => ({ draft, text }))
}

/** The recipe that writes draft `draft` of a job alone: seed + draft, one draft. */
export function draftRecipe(job: Recipe, draft: number): Recipe {
  const { index: _index, ...base } = job
  return { ...base, seed: (job.seed + draft) >>> 0, params: { ...job.params, drafts: 1 } }
}

/** Write one .md per draft; returns their paths in draft order. */
export async function writeDrafts(outDir: string, modelId: string, done: Events['job/done'], parts: TextPart[]): Promise<string[]> {
  const drafts = assembleDrafts(parts)
  if (drafts.length === 0) throw new Error(`model ${modelId} wrote no text`)
  const prime = String(done.recipe.params.prime ?? '')
  const paths: string[] = []
  for (const d of drafts) {
    const recipe = draftRecipe(done.recipe, d.draft)
    const file = join(outDir, `${modelId}-${recipe.seed}.md`)
    try {
      await writeFile(file, encodeTextFile(prime + d.text, recipe, 'md'))
    } catch (e) {
      throw new Error(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
    paths.push(file)
  }
  return paths
}

/** Whether bytes look like a text export (front matter start, optionally after a UTF-8 BOM). */
export function looksLikeTextFile(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 8)).toString('utf8').replace(/^\ufeff/, '')
  return head.startsWith('---\n') || head.startsWith('---\r\n')
}

/** `info file.md|file.txt`: the recipe in its front matter as pretty JSON, or why there is none. */
export function textRecipe(file: string, bytes: Uint8Array): string {
  const r = readTextFile(Buffer.from(bytes).toString('utf8'))
  if (r.error) throw new Error(`${file}: bad recipe: ${r.error}`)
  if (!r.recipe) throw new Error(`${file} has no Latent Studio recipe (front matter latent-studio-recipe)`)
  return JSON.stringify(r.recipe, null, 2)
}
