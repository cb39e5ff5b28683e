/**
 * The char-lstm `step` graph as the text family drives it:
 *   token (b,) int64, h (layers, b, hidden) f32, c (layers, b, hidden) f32
 *     → logits (b, vocab) f32, h_out (layers, b, hidden), c_out (layers, b, hidden)
 * plus reading the prime / a branch's text through it one character at a time at batch 1.
 */
import * as ort from 'onnxruntime-node'
import type { Manifest } from '../../common/manifest'
import type { LstmState, StateCache, JobStates, Branch } from './state-cache'

export interface LstmShape {
  layers: number
  hidden: number
  vocab: number
}

/**
 * Sizes from the manifest's step signature, or an error naming what is wrong. `classes`: how many
 * tokens the logits must cover (char-lstm: its vocab; music-lstm: `events.size`).
 */
export function lstmShape(m: Manifest, classes: { count: number; what: string } = { count: m.vocab?.length ?? 0, what: `the vocab lists ${m.vocab?.length ?? 0} characters` }): LstmShape {
  const g = m.graphs.step
  const need = (list: typeof g.inputs, name: string) => {
    const t = list.find((x) => x.name === name)
    if (!t) throw new Error(`${m.id}: graphs.step needs "${name}" (manifest)`)
    return t.shape
  }
  const h = need(g.inputs, 'h')
  need(g.inputs, 'token')
  need(g.inputs, 'c')
  need(g.outputs, 'h_out')
  need(g.outputs, 'c_out')
  const logits = need(g.outputs, 'logits')
  const [layers, , hidden] = h
  const vocab = logits[1]
  if (h.length !== 3 || typeof layers !== 'number' || typeof hidden !== 'number') {
    throw new Error(`${m.id}: graphs.step input "h" must be [layers, batch, hidden] with fixed layers and hidden (manifest)`)
  }
  if (typeof vocab !== 'number' || vocab !== classes.count) {
    throw new Error(`${m.id}: graphs.step logits have ${vocab} classes but ${classes.what}`)
  }
  return { layers, hidden, vocab }
}

export interface StepOut {
  /** (b, vocab) */
  logits: Float32Array
  /** (layers, b, hidden) each */
  h: Float32Array
  c: Float32Array
}

export class LstmStepper {
  private readonly tokens = new Map<number, BigInt64Array>()

  constructor(
    private readonly session: ort.InferenceSession,
    readonly shape: LstmShape,
  ) {}

  /** Bytes of one row's state (h + c). */
  get stateBytes(): number {
    return 2 * this.shape.layers * this.shape.hidden * 4
  }

  zeros(b: number): { h: Float32Array; c: Float32Array } {
    const n = this.shape.layers * b * this.shape.hidden
    return { h: new Float32Array(n), c: new Float32Array(n) }
  }

  /** One step for `b` rows: `ids` (b,), h and c (layers, b, hidden). */
  async run(ids: ArrayLike<number>, h: Float32Array, c: Float32Array): Promise<StepOut> {
    const b = ids.length
    const { layers, hidden } = this.shape
    let tok = this.tokens.get(b)
    if (!tok) this.tokens.set(b, (tok = new BigInt64Array(b)))
    for (let i = 0; i < b; i++) tok[i] = BigInt(ids[i])
    const dims = [layers, b, hidden]
    const out = await this.session.run({
      token: new ort.Tensor('int64', tok, [b]),
      h: new ort.Tensor('float32', h, dims),
      c: new ort.Tensor('float32', c, dims),
    })
    const logits = out.logits.data as Float32Array
    if (logits.length !== b * this.shape.vocab) throw new Error(`step graph gave logits [${out.logits.dims.join(', ')}], expected [${b}, ${this.shape.vocab}]`)
    return { logits, h: out.h_out.data as Float32Array, c: out.c_out.data as Float32Array }
  }

  /** Row `i` of a (layers, b, hidden) pair as its own state (a copy). */
  row(h: Float32Array, c: Float32Array, b: number, i: number): LstmState {
    if (b === 1) return { h, c } // step outputs are fresh arrays each run: keep them as they are
    const { layers, hidden } = this.shape
    const s = { h: new Float32Array(layers * hidden), c: new Float32Array(layers * hidden) }
    for (let l = 0; l < layers; l++) {
      const from = (l * b + i) * hidden
      s.h.set(h.subarray(from, from + hidden), l * hidden)
      s.c.set(c.subarray(from, from + hidden), l * hidden)
    }
    return s
  }

  /** (layers, b, hidden) pair whose row r is `rows[r]`. */
  stack(rows: LstmState[]): { h: Float32Array; c: Float32Array } {
    const b = rows.length
    if (b === 1) return rows[0]
    const { layers, hidden } = this.shape
    const out = this.zeros(b)
    rows.forEach((s, r) => {
      for (let l = 0; l < layers; l++) {
        out.h.set(s.h.subarray(l * hidden, (l + 1) * hidden), (l * b + r) * hidden)
        out.c.set(s.c.subarray(l * hidden, (l + 1) * hidden), (l * b + r) * hidden)
      }
    })
    return out
  }
}

/**
 * Read `ids` (the whole text, length ≥ 1) at batch 1 and return the logits for the character after
 * it and the state S_n. Starts from a kept state when `branch` resolves in `cache` (else from zeros);
 * every input state read is offered to `keep` (a new job's states), `checkpoint` runs every ~10 ms,
 * after `read` is told how many characters are read (k of ids.length; from the resumed k on a branch).
 */
export async function readText(
  stepper: LstmStepper,
  ids: Uint32Array,
  text: string,
  opts: { cache: StateCache; modelKey: string; branch?: Branch; keep?: JobStates; checkpoint?: () => Promise<void>; read?: (k: number) => void },
): Promise<{ logits: Float32Array; state: LstmState; resumedAt: number | null }> {
  const from = opts.branch ? opts.cache.resume(opts.branch, opts.modelKey, text) : null
  let k = from?.k ?? 0
  let state: LstmState = from?.state ?? stepper.zeros(1)
  if (from && opts.keep) {
    // Share the source's kept states below k: a branch of this branch resumes as fast.
    const src = opts.cache.get(opts.branch!.jobId)!
    for (let j = opts.keep.stride; j < k; j += opts.keep.stride) {
      const s = src.nearest(opts.branch!.draft, j)
      if (s.k === j && s.state) opts.keep.putPrime(j, s.state)
    }
  }
  let logits: Float32Array = new Float32Array(0)
  let last = performance.now()
  opts.read?.(k)
  for (; k < ids.length; k++) {
    if (k > 0) opts.keep?.putPrime(k, state)
    const out = await stepper.run([ids[k]], state.h, state.c)
    logits = out.logits
    state = { h: out.h, c: out.c }
    if (opts.checkpoint && performance.now() - last >= 10) {
      opts.read?.(k + 1)
      await opts.checkpoint()
      last = performance.now()
    }
  }
  return { logits, state, resumedAt: from ? from.k : null }
}
