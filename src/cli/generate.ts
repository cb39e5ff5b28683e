/**
 * `generate <model-id> --seed N --count K --out DIR [--param k=v]… [--scale 1..8] [--ep …]`:
 * one job in the engine host, then one PNG per image named `<model-id>-<seed>.png`. Each file's
 * recipe names that image's own seed and count 1, so it alone restores that image. Bytes depend
 * only on pixels + recipe (no timestamps), so the same seed gives the same files.
 */
import { access, mkdir, writeFile } from 'node:fs/promises'
import { constants } from 'node:fs'
import { join, resolve } from 'node:path'
import { deflateSync } from 'node:zlib'
import type { EngineMethod, EventName, Events, JobPart, ParamValues, Req, Res } from '../common/contract'
import type { ExecutionProviderPref } from '../common/manifest'
import { encodePng, upscaleNearest } from '../common/png'
import { RECIPE_KEY, type Recipe } from '../common/recipe'
import { writeVoices, type AudioPart } from './audio-out'
import { writeDrafts, type TextPart } from './text-out'

/** The supervisor's shape as the CLI uses it. */
export interface CliEngine {
  invoke<K extends EngineMethod>(method: K, args: Req<K>): Promise<Res<K>>
  on<E extends EventName>(name: E, cb: (payload: Events[E]) => void): () => void
}

export interface GenerateOptions {
  modelId: string
  seed: number
  /** Images in the grid; undefined = the model's default. */
  count?: number
  out: string
  /** `key=value` strings; the engine validates them against the manifest. */
  params: string[]
  /** Nearest-neighbour upscale 1..8. */
  scale: number
  ep?: ExecutionProviderPref
}

type ImagePart = Extract<JobPart, { kind: 'image' }>

/** Parse `key=value` pairs; values stay strings, the engine converts and range-checks them. */
export function pairsToParams(pairs: string[]): ParamValues {
  const out: ParamValues = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new Error(`--param wants key=value, got ${JSON.stringify(pair)}`)
    out[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return out
}

async function writableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true })
    await access(dir, constants.W_OK)
  } catch (e) {
    throw new Error(`cannot write to ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
}

/**
 * Run one job and collect its images. Events are recorded for every job id from the start: the host
 * may deliver a job's first events before the `job/start` reply reaches us.
 */
async function runJob(engine: CliEngine, req: Req<'job/start'>): Promise<{ done: Events['job/done']; images: ImagePart[]; audio: AudioPart[]; text: TextPart[] }> {
  const parts = new Map<string, Map<number, ImagePart>>()
  const audio = new Map<string, AudioPart[]>()
  const text = new Map<string, TextPart[]>()
  const ends = new Map<string, { done?: Events['job/done']; failed?: Events['job/failed'] }>()
  let notify = () => {}
  const offs = [
    engine.on('job/partial', (p) => {
      if (p.part.kind === 'audio') return void (audio.get(p.jobId) ?? audio.set(p.jobId, []).get(p.jobId)!).push(p.part)
      if (p.part.kind === 'text') return void (text.get(p.jobId) ?? text.set(p.jobId, []).get(p.jobId)!).push(p.part)
      if (p.part.kind !== 'image') return
      const m = parts.get(p.jobId) ?? new Map<number, ImagePart>()
      // Chains (RBM) stream a frame per `every` steps: only the latest step of a tile is written.
      const prev = m.get(p.part.index)
      if (!prev || (p.part.step ?? 0) >= (prev.step ?? 0)) m.set(p.part.index, p.part)
      parts.set(p.jobId, m)
    }),
    engine.on('job/done', (p) => (ends.set(p.jobId, { done: p }), notify())),
    engine.on('job/failed', (p) => (ends.set(p.jobId, { failed: p }), notify())),
  ]
  try {
    const { jobId } = await engine.invoke('job/start', req)
    while (!ends.has(jobId)) await new Promise<void>((r) => (notify = r))
    const end = ends.get(jobId)!
    if (end.failed) throw new Error(end.failed.error)
    const images = [...(parts.get(jobId)?.values() ?? [])].sort((a, b) => a.index - b.index)
    return { done: end.done!, images, audio: audio.get(jobId) ?? [], text: text.get(jobId) ?? [] }
  } finally {
    for (const off of offs) off()
  }
}

/** Generate and write the PNGs. Returns their absolute paths in grid order and the job's warnings. */
export async function generate(engine: CliEngine, opts: GenerateOptions): Promise<{ paths: string[]; warnings: string[] }> {
  const models = await engine.invoke('models/list', undefined)
  const model = models.find((m) => m.id === opts.modelId)
  if (!model) {
    const ids = models.filter((m) => !m.error).map((m) => m.id)
    throw new Error(`unknown model ${JSON.stringify(opts.modelId)} (available: ${ids.join(', ') || 'none'})`)
  }
  if (model.error) throw new Error(`model ${model.id} is broken: ${model.error}`)
  const params = pairsToParams(opts.params)
  if (opts.count !== undefined) params[model.family === 'char-lstm' ? 'drafts' : 'count'] = opts.count
  const outDir = resolve(opts.out)
  await writableDir(outDir)

  const { done, images, audio, text } = await runJob(engine, { modelId: model.id, seed: opts.seed, params, ep: opts.ep })
  if (model.family === 'wavenet') return { paths: await writeVoices(outDir, model.id, done, audio), warnings: done.warnings }
  if (model.family === 'char-lstm') return { paths: await writeDrafts(outDir, model.id, done, text), warnings: done.warnings }
  if (images.length === 0) throw new Error(`model ${model.id} produced no images`)
  const deflate = (d: Uint8Array) => deflateSync(d, { level: 9 })
  const paths: string[] = []
  for (const img of images) {
    const { index: _index, ...base } = done.recipe
    // This file alone restores this image: its own seed, a grid of one.
    const recipe: Recipe = { ...base, seed: img.seed, params: { ...done.recipe.params, ...('count' in done.recipe.params ? { count: 1 } : {}) } }
    const k = opts.scale
    // A copy: rgba may sit at an odd offset in the IPC message's buffer, and upscaleNearest views it as u32.
    const png = await encodePng(upscaleNearest(img.rgba.slice(), img.width, img.height, k), img.width * k, img.height * k, { [RECIPE_KEY]: JSON.stringify(recipe) }, deflate)
    const file = join(outDir, `${model.id}-${img.seed}.png`)
    try {
      await writeFile(file, png)
    } catch (e) {
      throw new Error(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
    paths.push(file)
  }
  return { paths, warnings: done.warnings }
}
