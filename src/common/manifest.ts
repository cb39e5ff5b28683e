/**
 * The model manifest (`models/<id>/model.json`): the one description of a model that Python writes,
 * the engine validates (here, and again against the real ONNX session), and the renderer reads to
 * build its parameter panel. Pure TypeScript + zod: runs in every runtime.
 */
import { z } from 'zod'

export const FAMILIES = ['gan', 'vae', 'vaegan', 'rbm', 'deepdream', 'char-lstm', 'wavenet', 'music-lstm'] as const
export type Family = (typeof FAMILIES)[number]

/** ONNX tensor element types we exchange. */
export const DTYPES = ['float32', 'float64', 'int64', 'int32', 'uint8', 'bool'] as const

/** A dimension is a fixed size or a named symbolic axis (e.g. "batch"). */
const Dim = z.union([z.number().int().nonnegative(), z.string().min(1)])

export const TensorSpecSchema = z.object({
  name: z.string().min(1),
  dtype: z.enum(DTYPES),
  shape: z.array(Dim),
})
export type TensorSpec = z.infer<typeof TensorSpecSchema>

/** One ONNX file and the signature the engine expects of it. */
export const GraphSpecSchema = z.object({
  file: z
    .string()
    .min(1)
    .regex(/^[\w.-]+\.onnx$/, 'must be a plain file name ending in .onnx (no folders)'),
  inputs: z.array(TensorSpecSchema).min(1),
  outputs: z.array(TensorSpecSchema).min(1),
})
export type GraphSpec = z.infer<typeof GraphSpecSchema>

/** A user-facing generation parameter; the renderer builds a control from it. */
/**
 * Longest text the engine reads in one request: a text param (a prime) and `text/next`'s text before the
 * cursor. Reading costs ~1 ms a character on a laptop, so 64k is about a minute (cancellable); the shipped
 * char-LSTMs allow a 40,000-character prime plus 20,000 written.
 */
export const MAX_TEXT_CHARS = 65_536

export const ParamSpecSchema = z.discriminatedUnion('type', [
  z.object({
    key: z.string().min(1),
    label: z.string(),
    help: z.string().optional(),
    type: z.literal('int'),
    min: z.number().int(),
    max: z.number().int(),
    step: z.number().int().positive().optional(),
    default: z.number().int(),
  }),
  z.object({
    key: z.string().min(1),
    label: z.string(),
    help: z.string().optional(),
    type: z.literal('float'),
    min: z.number(),
    max: z.number(),
    step: z.number().positive().optional(),
    default: z.number(),
  }),
  z.object({
    key: z.string().min(1),
    label: z.string(),
    help: z.string().optional(),
    type: z.literal('enum'),
    options: z.array(z.string()).min(1),
    default: z.string(),
  }),
  z.object({
    key: z.string().min(1),
    label: z.string(),
    help: z.string().optional(),
    type: z.literal('text'),
    maxLength: z.number().int().positive().max(MAX_TEXT_CHARS),
    default: z.string(),
  }),
])
export type ParamSpec = z.infer<typeof ParamSpecSchema>

/** Bounds no real model comes near: a latent of 16k values, an image side of 4096 px. */
const MAX_LATENT = 16_384
const MAX_SIDE = 4096

/** Image produced by a graph: (b, channels, height, width) float32 in `range`. */
const ImageSpec = z.object({
  channels: z.union([z.literal(1), z.literal(3)]),
  height: z.number().int().positive().max(MAX_SIDE),
  width: z.number().int().positive().max(MAX_SIDE),
  range: z.tuple([z.number(), z.number()]),
})

export const ExecutionProviderSchema = z.enum(['auto', 'cuda', 'dml', 'cpu'])
export type ExecutionProviderPref = z.infer<typeof ExecutionProviderSchema>

export const ManifestSchema = z.object({
  schema: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  family: z.enum(FAMILIES),
  title: z.string().min(1),
  description: z.string().default(''),
  version: z.string().default('1'),
  /** Graph role → file + signature; roles depend on the family (gan: `generator`). */
  graphs: z.record(z.string(), GraphSpecSchema),
  /** Family-specific facts: latent size, image shape, vocabulary, sample rate, labels… */
  latentSize: z.number().int().positive().max(MAX_LATENT).optional(),
  image: ImageSpec.optional(),
  /** char-lstm: the characters of the model's vocabulary; token id = index. */
  vocab: z.array(z.string().min(1).max(2)).min(2).optional(),
  /** wavenet: sampling rate and the labels the graph is conditioned on. */
  audio: z
    .object({
      sampleRate: z.number().int().positive(),
      /** Instrument names; the graph's `instrument` input is an index into this list. */
      instruments: z.array(z.string().min(1)).min(1),
      /** MIDI pitch range the model was trained on (inclusive). */
      pitchMin: z.number().int().min(0).max(127),
      pitchMax: z.number().int().min(0).max(127),
      /** Samples generated per graph run (the Loop's trip count comes from the noise input's length). */
      chunk: z.number().int().positive(),
    })
    .optional(),
  /**
   * music-lstm: the PerformanceRNN event vocabulary of the `step` graph (token id ranges) and how its
   * absolute clock maps onto bars and tempo (training/export_music.py writes it; common/music-events.ts
   * holds the same layout as constants, and the engine checks the two agree).
   */
  events: z
    .object({
      size: z.number().int().positive().max(65_536),
      noteOn: z.object({ first: z.number().int().nonnegative(), count: z.literal(128) }),
      noteOff: z.object({ first: z.number().int().nonnegative(), count: z.literal(128) }),
      timeShift: z.object({ first: z.number().int().nonnegative(), count: z.number().int().positive(), stepMs: z.number().positive() }),
      velocity: z.object({ first: z.number().int().nonnegative(), count: z.number().int().positive() }),
      start: z.number().int().nonnegative(),
      /** The tempo at which the model's clock is heard as written; tempo T plays it T / referenceBpm as fast. */
      referenceBpm: z.number().positive().max(1000),
      beatsPerBar: z.number().int().positive().max(32),
      maxNoteMs: z.number().positive().optional(),
    })
    .optional(),
  /** deepdream: layer names in the order of the `grad` graph's `weights` input (the `layers` param names them). */
  layers: z.array(z.string().regex(/^\w+$/, 'letters, digits and _')).min(1).optional(),
  /** deepdream: what the `grad` graph's `image` input (1, 3, H, W) takes. */
  input: z
    .object({
      /** Pixel 0 → range[0], 255 → range[1] ([-1, 1]: Keras' rgb / 127.5 − 1). */
      range: z.tuple([z.number(), z.number()]),
      channels: z.literal('RGB'),
      /** The same in words, for the card. */
      normalise: z.string().optional(),
      /** Smallest side the graph takes (valid convolutions shrink anything smaller to nothing). */
      minSide: z.number().int().positive(),
    })
    .optional(),
  /** deepdream: largest tile side of one gradient run; bigger images are cut into tiles. */
  tile: z.number().int().min(64).max(MAX_SIDE).optional(),
  /** deepdream: octaves whose short side would be under this are skipped (the photo's own size always runs). */
  minOctaveSide: z.number().int().positive().optional(),
  /** Photos shipped with the model to try it on: `photos/<name>` inside the model folder. */
  photos: z
    .array(z.object({ file: z.string().regex(/^photos\/[\w-]+(\.[\w-]+)*\.(jpe?g|png|webp)$/i, 'photos/<name>.jpg|png|webp'), title: z.string().min(1), license: z.string().min(1) }))
    .optional(),
  params: z.array(ParamSpecSchema).default([]),
  ep: ExecutionProviderSchema.default('auto'),
  license: z.string().min(1),
  data: z.object({ source: z.string().min(1), license: z.string().min(1) }),
  metrics: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
  card: z.string().default('CARD.md'),
})
export type Manifest = z.infer<typeof ManifestSchema>

/** Which graph roles and family fields each family requires, checked after the schema. */
export const FAMILY_REQUIREMENTS: Partial<Record<Family, {
  graphs: string[]
  fields: (keyof Manifest)[]
  /** The graph the latent feeds: input 0 is (batch, latentSize), output 0 is (batch, C, H, W). */
  latentGraph?: string
}>> = {
  gan: { graphs: ['generator'], fields: ['latentSize', 'image'], latentGraph: 'generator' },
  vae: { graphs: ['encoder', 'decoder'], fields: ['latentSize', 'image'], latentGraph: 'decoder' },
  vaegan: { graphs: ['encoder', 'decoder'], fields: ['latentSize', 'image'], latentGraph: 'decoder' },
  rbm: { graphs: ['gibbs'], fields: ['image'] },
  'char-lstm': { graphs: ['step'], fields: ['vocab'] },
  wavenet: { graphs: ['generate'], fields: ['audio'] },
  deepdream: { graphs: ['grad'], fields: ['layers', 'input', 'tile'] },
  'music-lstm': { graphs: ['step', 'generate'], fields: ['events'] },
}

/**
 * latentSize and image must be what the latent graph declares (and the engine checks the graph against
 * the ONNX file on load), so a manifest cannot ask the engine for a latent or image of any other size:
 * a latentSize of 2^27 once meant a 17 GB allocation in one uncancellable loop.
 */
function latentAgreement(m: Manifest): string[] {
  const role = FAMILY_REQUIREMENTS[m.family]?.latentGraph
  const g = role ? m.graphs[role] : undefined
  if (!role || !g) return []
  const errors: string[] = []
  const zShape = g.inputs[0].shape
  if (m.latentSize !== undefined && !(zShape.length === 2 && zShape[1] === m.latentSize)) {
    errors.push(`latentSize: ${m.latentSize} is not the size graphs.${role}.inputs.0 declares ([${zShape.join(', ')}])`)
  }
  const out = g.outputs[0].shape
  if (m.image && !(out.length === 4 && out[1] === m.image.channels && out[2] === m.image.height && out[3] === m.image.width)) {
    errors.push(`image: ${m.image.channels}×${m.image.height}×${m.image.width} is not the shape graphs.${role}.outputs.0 declares ([${out.join(', ')}])`)
  }
  return errors
}

/**
 * Validate parsed JSON. Returns readable errors naming the field path, e.g.
 * `graphs.generator.file: must be a plain file name ending in .onnx`.
 */
export function parseManifest(json: unknown): { ok: true; value: Manifest } | { ok: false; errors: string[] } {
  const r = ManifestSchema.safeParse(json)
  if (!r.success) {
    return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) }
  }
  const m = r.data
  const req = FAMILY_REQUIREMENTS[m.family]
  const errors: string[] = []
  for (const g of req?.graphs ?? []) if (!m.graphs[g]) errors.push(`graphs.${g}: required for family "${m.family}"`)
  for (const f of req?.fields ?? []) if (m[f] === undefined) errors.push(`${String(f)}: required for family "${m.family}"`)
  errors.push(...latentAgreement(m))
  if (m.family === 'deepdream' && m.layers && m.input && m.tile && m.graphs.grad) errors.push(...dreamErrors(m, m.graphs.grad))
  const keys = new Set<string>()
  for (const p of m.params) {
    if (keys.has(p.key)) errors.push(`params.${p.key}: duplicate key`)
    keys.add(p.key)
    if ((p.type === 'int' || p.type === 'float') && !(p.min <= p.default && p.default <= p.max)) {
      errors.push(`params.${p.key}.default: ${p.default} is outside [${p.min}, ${p.max}]`)
    }
    if (p.type === 'enum' && !p.options.includes(p.default)) errors.push(`params.${p.key}.default: not one of options`)
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: m }
}

/** The deepdream facts against the `grad` graph's signature (itself checked against the ONNX file on load). */
function dreamErrors(m: Manifest, g: GraphSpec): string[] {
  const [layers, input, tile] = [m.layers!, m.input!, m.tile!]
  const errors: string[] = []
  const t = (side: 'inputs' | 'outputs', name: string) => g[side].find((x) => x.name === name)
  const image = t('inputs', 'image')
  const weights = t('inputs', 'weights')
  if (!image || image.shape.length !== 4 || image.shape[1] !== 3) errors.push('graphs.grad: needs input "image" of shape [1, 3, height, width]')
  if (!weights || weights.shape.length !== 1) errors.push('graphs.grad: needs input "weights" of shape [layers]')
  else if (weights.shape[0] !== layers.length) errors.push(`layers: ${layers.length} names, but graphs.grad input "weights" has shape [${weights.shape[0]}]`)
  if (!t('outputs', 'grad')) errors.push('graphs.grad: needs output "grad" (d loss / d image)')
  if (new Set(layers).size !== layers.length) errors.push('layers: a name is listed twice')
  if (!(input.range[0] < input.range[1])) errors.push('input.range: must be [low, high] with low < high')
  if (input.minSide > tile) errors.push(`input.minSide: ${input.minSide} is larger than tile ${tile}`)
  if (m.minOctaveSide !== undefined && m.minOctaveSide < input.minSide) errors.push(`minOctaveSide: ${m.minOctaveSide} is under input.minSide ${input.minSide}`)
  return errors
}
