/**
 * The model manifest (`models/<id>/model.json`): the one description of a model that Python writes,
 * the engine validates (here, and again against the real ONNX session), and the renderer reads to
 * build its parameter panel. Pure TypeScript + zod: runs in every runtime.
 */
import { z } from 'zod'

export const FAMILIES = ['gan', 'vae', 'vaegan', 'rbm', 'deepdream', 'char-lstm', 'wavenet', 'music-lstm'] as const
export type Family = (typeof FAMILIES)[number]

/** ONNX tensor element types we exchange. */
export const DTYPES = ['float32', 'int64', 'int32', 'uint8', 'bool'] as const

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
    maxLength: z.number().int().positive(),
    default: z.string(),
  }),
])
export type ParamSpec = z.infer<typeof ParamSpecSchema>

/** Image produced by a graph: (b, channels, height, width) float32 in `range`. */
const ImageSpec = z.object({
  channels: z.union([z.literal(1), z.literal(3)]),
  height: z.number().int().positive(),
  width: z.number().int().positive(),
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
  latentSize: z.number().int().positive().optional(),
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
  params: z.array(ParamSpecSchema).default([]),
  ep: ExecutionProviderSchema.default('auto'),
  license: z.string().min(1),
  data: z.object({ source: z.string().min(1), license: z.string().min(1) }),
  metrics: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
  card: z.string().default('CARD.md'),
})
export type Manifest = z.infer<typeof ManifestSchema>

/** Which graph roles and family fields each family requires, checked after the schema. */
export const FAMILY_REQUIREMENTS: Partial<Record<Family, { graphs: string[]; fields: (keyof Manifest)[] }>> = {
  gan: { graphs: ['generator'], fields: ['latentSize', 'image'] },
  vae: { graphs: ['encoder', 'decoder'], fields: ['latentSize', 'image'] },
  vaegan: { graphs: ['encoder', 'decoder'], fields: ['latentSize', 'image'] },
  rbm: { graphs: ['gibbs'], fields: ['image'] },
  'char-lstm': { graphs: ['step'], fields: ['vocab'] },
  wavenet: { graphs: ['generate'], fields: ['audio'] },
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
