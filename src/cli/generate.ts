/**
 * `generate <model-id> --seed N --count K --out DIR [--param k=v]… [--input [name=]FILE]… [--scale 1..8] [--ep …]`:
 * one job in the engine host, then one file per item (image, draft, voice: the model's modality picks
 * its CLI output) named `<model-id>-<seed>.<ext>`. Each file's recipe names that item's own seed and a
 * count of 1, so it alone makes that item again. Bytes depend only on content + recipe (no
 * timestamps), so the same seed gives the same files.
 */
import { access, mkdir } from 'node:fs/promises'
import { constants } from 'node:fs'
import { resolve } from 'node:path'
import { newJobId, type EngineMethod, type EventName, type Events, type JobRequest, type ParamValues, type Req, type Res } from '../common/contract'
import type { ExecutionProviderPref } from '../common/manifest'
import { MODALITY_INFO, modalityOf } from '../common/modality'
import { readInputs } from './inputs'
import type { CliOutput, Collector } from './output'
import { CLI_OUTPUTS } from './outputs'

/** The supervisor's shape as the CLI uses it. */
export interface CliEngine {
  invoke<K extends EngineMethod>(method: K, args: Req<K>): Promise<Res<K>>
  on<E extends EventName>(name: E, cb: (payload: Events[E]) => void): () => void
}

export interface GenerateOptions {
  modelId: string
  seed: number
  /** Items (images, drafts, voices: MODALITY_INFO.countParam); undefined = the model's default. */
  count?: number
  out: string
  /** `key=value` strings; the engine validates them against the manifest. */
  params: string[]
  /** `[name=]FILE` strings (`--input`): files the model takes in; read here, checked by the engine. */
  inputs?: string[]
  /** Nearest-neighbour upscale 1..8. */
  scale: number
  ep?: ExecutionProviderPref
  /** Music: also write a WAV (`--wav`). */
  wav?: boolean
}

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

/** Run one job under an id we choose (so its first events, which may beat the reply, are already ours) and collect its parts. */
export async function runJob(engine: CliEngine, req: JobRequest, output: CliOutput): Promise<{ done: Events['job/done']; parts: Collector }> {
  const jobId = newJobId()
  const parts = output.collect()
  let settle!: (end: { done: Events['job/done'] } | { failed: Events['job/failed'] }) => void
  const ended = new Promise<{ done: Events['job/done'] } | { failed: Events['job/failed'] }>((r) => (settle = r))
  const offs = [
    engine.on('job/partial', (p) => p.jobId === jobId && parts.add(p.part)),
    engine.on('job/done', (p) => p.jobId === jobId && settle({ done: p })),
    engine.on('job/failed', (p) => p.jobId === jobId && settle({ failed: p })),
  ]
  try {
    await engine.invoke('job/start', { ...req, jobId })
    const end = await ended
    if ('failed' in end) throw new Error(end.failed.error)
    return { done: end.done, parts }
  } finally {
    for (const off of offs) off()
  }
}

/** Generate and write the files. Returns their absolute paths in item order and the job's warnings. */
export async function generate(engine: CliEngine, opts: GenerateOptions): Promise<{ paths: string[]; warnings: string[] }> {
  const models = await engine.invoke('models/list', undefined)
  const model = models.find((m) => m.id === opts.modelId)
  if (!model) {
    const ids = models.filter((m) => !m.error).map((m) => m.id)
    throw new Error(`unknown model ${JSON.stringify(opts.modelId)} (available: ${ids.join(', ') || 'none'})`)
  }
  if (model.error) throw new Error(`model ${model.id} is broken: ${model.error}`)
  const modality = modalityOf(model.family)
  if (!modality) throw new Error(`model ${model.id}: family "${model.family}" is not supported yet`)
  const params = pairsToParams(opts.params)
  if (opts.count !== undefined) params[MODALITY_INFO[modality].countParam] = opts.count
  const outDir = resolve(opts.out)
  await writableDir(outDir)

  // `--prime FILE` of a model that takes a file named prime (music) rather than a text param: an input.
  const inputArgs = [...(opts.inputs ?? [])]
  if (typeof params.prime === 'string' && model.inputs?.prime && !model.params.some((p) => p.key === 'prime')) {
    inputArgs.push(`prime=${params.prime}`)
    delete params.prime
  }
  const inputs = await readInputs(model, inputArgs)
  const req: JobRequest = { modelId: model.id, seed: opts.seed, params, ep: opts.ep, ...(inputs ? { inputs } : {}) }
  const { done, parts } = await runJob(engine, req, CLI_OUTPUTS[modality])
  return { paths: await parts.write({ outDir, modelId: model.id, done, scale: opts.scale, wav: opts.wav }), warnings: done.warnings }
}
