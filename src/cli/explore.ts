/**
 * `interpolate`, `breed` and `encode` (README "Explore a latent space"): one explore job each
 * (common/explore.ts) in the engine host, then one PNG per item with the item's own recipe, and for
 * `interpolate` the strip as a looping GIF with the job's recipe. A parent on the command line is a
 * seed (`7`), a latent (`z:BASE64`, as `encode` prints), a file the studio made (its recipe is run once
 * for its latent: any tile, child or frame can be a parent) or, for VAE models, any other image (a
 * photo, encoded). Same arguments, same bytes.
 */
import { mkdir, readFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { deflateSync } from 'node:zlib'
import { CODECS, fileModality } from '../common/codecs'
import type { JobInput, JobRequest, ModelSummary, ParamValues } from '../common/contract'
import { EXPLORE_INPUTS, latentToText, type Explore, type ExploreInput, type LatentRef } from '../common/explore'
import { checkExplore } from '../common/explore-check'
import { INPUT_LIMITS } from '../common/inputs'
import type { ExecutionProviderPref } from '../common/manifest'
import { latentExplore, type PartOf } from '../common/modality'
import type { Recipe } from '../common/recipe'
import { encodeStripGif } from '../common/strip-gif'
import { writeFileAtomic } from '../engine'
import { pairsToParams, runJob, type CliEngine } from './generate'
import type { CliOutput } from './output'

export interface ExploreOptions {
  modelId: string
  /** What to do; its parents are still command-line words (`parents`), resolved here. */
  op: 'interpolate' | 'breed' | 'encode'
  /** interpolate: [from, to]; breed: the parents; encode: [the photo]. */
  parents: string[]
  weights?: string[]
  spread?: string
  frames?: number
  /** interpolate along a shipped direction (ModelSummary.directions) instead of toward a second parent. */
  direction?: string
  amount?: string
  seed: number
  count?: number
  out: string
  params: string[]
  scale: number
  ep?: ExecutionProviderPref
}

const deflate = (d: Uint8Array) => deflateSync(d, { level: 9 })

/** Run the op and write its files; their paths (PNG per item, then the GIF), the warnings, and each item's latent. */
export async function explore(engine: CliEngine, o: ExploreOptions): Promise<{ paths: string[]; warnings: string[]; latents: string[] }> {
  const models = await engine.invoke('models/list', undefined)
  const model = models.find((m) => m.id === o.modelId && !m.error)
  if (!model) throw new Error(`unknown or broken model ${JSON.stringify(o.modelId)} (available: ${models.filter((m) => !m.error).map((m) => m.id).join(', ')})`)
  if (!latentExplore(model.family)) throw new Error(`model ${model.id} (${model.family}) has no latent space to ${o.op} in: use a GAN, VAE or VAE-GAN model`)
  const params = pairsToParams(o.params)
  const inputs: Record<string, JobInput> = {}
  const parents: LatentRef[] = []
  for (const word of o.parents) parents.push(await parentRef(engine, model, params, word, inputs, o.ep))
  const raw = buildOp(o, parents, model)
  const c = checkExplore(raw)
  if (!c.ok) throw new Error(c.error)
  const v = c.value
  params.count = v.op === 'interpolate' || v.op === 'attribute' ? v.frames : v.op === 'encode' ? 1 : (o.count ?? 4)
  const req: JobRequest = { modelId: model.id, seed: o.seed, params, ep: o.ep, explore: c.value, ...(Object.keys(inputs).length ? { inputs } : {}) }
  const got = imageCollector()
  const { done } = await runJob(engine, req, got.output)
  const images = got.images.sort((a, b) => a.index - b.index)
  const outDir = resolve(o.out)
  const stem = fileStem(model.id, done.recipe, o.parents)
  const paths: string[] = []
  for (const p of images) {
    const recipe = CODECS.image.itemRecipe(done.recipe, { index: p.index })
    const name = o.op === 'interpolate' ? `${stem}-${String(p.index + 1).padStart(2, '0')}.png` : o.op === 'encode' ? `${stem}.png` : `${stem}-${recipe.seed}.png`
    paths.push(await write(join(outDir, name), await CODECS.image.encode(p, recipe, { scale: o.scale, deflate })))
  }
  if (o.op === 'interpolate') {
    const { width, height } = images[0]
    const gif = encodeStripGif(images.map((p) => p.rgba), width, height, done.recipe, { scale: o.scale })
    paths.push(await write(join(outDir, `${stem}${o.scale > 1 ? `@${o.scale}x` : ''}.gif`), gif))
  }
  return { paths, warnings: done.warnings, latents: images.map((p) => `z:${latentToText(p.latent!)}`) }
}

function buildOp(o: ExploreOptions, parents: LatentRef[], model: ModelSummary): unknown {
  const spread = o.spread === undefined ? 0.3 : num(o.spread, '--spread')
  if (o.op === 'interpolate' && o.direction !== undefined) {
    const d = model.directions?.find((x) => x.key === o.direction)
    if (!d) throw new Error(`${model.id} has no direction ${JSON.stringify(o.direction)} (it has: ${model.directions?.map((x) => x.key).join(', ') || 'none'})`)
    return { op: 'attribute', parent: parents[0], direction: { key: d.key, z: d.z }, amount: o.amount === undefined ? 2 : num(o.amount, '--amount'), frames: o.frames ?? 8 }
  }
  if (o.op === 'interpolate') return { op: 'interpolate', from: parents[0], to: parents[1], frames: o.frames ?? 8 }
  if (o.op === 'encode') return { op: 'encode' }
  if (parents.length === 1) {
    if (o.weights?.length) throw new Error('--weight is for crossbreeding: give two or more --parent')
    return { op: 'children', parent: parents[0], spread }
  }
  const weights = o.weights?.length ? o.weights.map((w) => num(w, '--weight')) : parents.map(() => 1)
  return { op: 'cross', parents, weights, spread }
}

function num(v: string, flag: string): number {
  const n = v.trim() === '' ? NaN : Number(v)
  if (!Number.isFinite(n)) throw new Error(`${flag} needs a number, got ${JSON.stringify(v)}`)
  return n
}

/**
 * A parent word → a ref. Files: one the studio made names its latent through its recipe; any other image
 * is a photo for the encoder (VAE models), taken as the next free input.
 */
async function parentRef(engine: CliEngine, model: ModelSummary, params: ParamValues, word: string, inputs: Record<string, JobInput>, ep?: ExecutionProviderPref): Promise<LatentRef> {
  if (/^\d+$/.test(word)) return { seed: Number(word) }
  if (word.startsWith('z:')) return { z: word.slice(2) }
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await readFile(word))
  } catch (e) {
    throw new Error(`a parent is a seed, z:LATENT or a file; cannot read ${word}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
  const recipe = fileModality(word, bytes) === 'image' ? CODECS.image.decode(word, bytes) : null
  if (recipe?.ok) return recipeRef(engine, model, params, word, recipe.recipe, ep)
  if (!latentExplore(model.family)?.encode) {
    throw new Error(`${word} has no Latent Studio recipe, and ${model.id} (${model.family}) has no encoder to read a photo: use a seed, z:LATENT or a file made by the studio`)
  }
  const name = EXPLORE_INPUTS.find((n) => !inputs[n]) as ExploreInput | undefined
  if (!name) throw new Error(`at most ${EXPLORE_INPUTS.length} photos per job`)
  if (bytes.length > INPUT_LIMITS.image) throw new Error(`${word} is ${(bytes.length / 1048576).toFixed(1)} MiB, over the ${INPUT_LIMITS.image / 1048576} MiB limit for a photo`)
  inputs[name] = { kind: 'image', bytes, fileName: basename(word) }
  return { input: name }
}

/** A file the studio made: its seed when it is a plain tile of the same settings, else its latent, remade from its recipe. */
async function recipeRef(engine: CliEngine, model: ModelSummary, params: ParamValues, file: string, r: Recipe, ep?: ExecutionProviderPref): Promise<LatentRef> {
  if (r.modelId !== model.id) throw new Error(`${file} was made by ${r.modelId}, not ${model.id}: latents of different models do not mix`)
  const { count: _c, ...theirs } = r.params
  const same = Object.entries(theirs).every(([k, v]) => String(params[k] ?? defaultOf(model, k)) === String(v))
  if (!r.explore && !r.inputs && same) return { seed: (r.seed + (r.index ?? 0)) >>> 0 }
  const one = CODECS.image.itemRecipe(r, { index: r.index ?? 0 })
  const req: JobRequest = { modelId: model.id, seed: one.seed, params: one.params, ep, ...(one.explore ? { explore: one.explore } : {}) }
  if (one.inputs) throw new Error(`${file} was made from a photo: encode the photo itself, or give its latent (z:…, as encode prints)`)
  const got = imageCollector()
  await runJob(engine, req, got.output)
  const latent = got.images[0]?.latent
  if (!latent) throw new Error(`${file}: its recipe made no latent`)
  return { z: latentToText(latent) }
}

function defaultOf(model: ModelSummary, key: string): string | number | undefined {
  return model.params.find((p) => p.key === key)?.default
}

/** `dcgan-emoji-strip-7-12`, `dcgan-emoji-child`, `vae-emoji-encode-face`: what the files hold. */
function fileStem(modelId: string, r: Recipe, words: string[]): string {
  const e = r.explore!
  const short = (w: string) => (/^\d+$/.test(w) ? w : w.startsWith('z:') ? 'z' : basename(w).replace(/\.[^.]*$/, '').replace(/[^\w-]+/g, '_').slice(0, 40))
  if (e.op === 'interpolate') return `${modelId}-strip-${short(words[0])}-${short(words[1])}`
  if (e.op === 'attribute') return `${modelId}-strip-${short(words[0])}-${e.amount < 0 ? 'less' : 'more'}-${e.direction.key}`
  if (e.op === 'encode') return `${modelId}-encode-${short(words[0])}`
  return `${modelId}-${e.op === 'children' ? 'child' : 'cross'}`
}

async function write(file: string, bytes: Uint8Array): Promise<string> {
  try {
    await mkdir(dirname(file), { recursive: true })
    await writeFileAtomic(file, bytes)
  } catch (e) {
    throw new Error(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
  return file
}

/** Every image part, latents kept (the writing is ours: names and the GIF differ from `generate`'s). */
function imageCollector(): { images: PartOf<'image'>[]; output: CliOutput } {
  const images: PartOf<'image'>[] = []
  return { images, output: { collect: () => ({ add: (p) => void (p.kind === 'image' && images.push(p)), write: async () => [] }) } }
}
