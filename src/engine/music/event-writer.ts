/**
 * The music model's `generate` graph (training/lstudio/music_generate_graph.py), K events per session.run:
 *   token (b,) int64: the last event read or drawn, not yet fed; h, c (layers, b, hidden) f32: the state before it;
 *   temperature (b,) f64; uniforms (b, K) f64 in [0, 1), one per event
 *     → tokens (b, K) int64 drawn in order; h_out, c_out: the state before the last drawn token.
 * The draw in the graph is text/sampler.ts's at top-k 0, top-p 1 (float64 softmax of logits / T, the first event
 * whose running sum exceeds u), and its body is the step graph's arithmetic, so K events here are the events the
 * step graph and the Sampler write with the same uniforms (music-lstm.test.ts checks it event for event).
 * Why: a step per session.run paid ~40 µs of call overhead and ~25 µs of JavaScript per event beside ~200 µs of
 * arithmetic. Batch 1 only: a music job writes one part.
 */
import * as ort from 'onnxruntime-node'
import type { Manifest } from '../../common/manifest'
import type { LstmShape } from '../text/lstm-step'

const INPUTS = ['token', 'h', 'c', 'temperature', 'uniforms'] as const
const OUTPUTS = ['tokens', 'h_out', 'c_out'] as const

export class EventWriter {
  constructor(
    private readonly session: ort.InferenceSession,
    readonly shape: LstmShape,
  ) {}

  /** The manifest's generate graph must take and give what run() feeds and reads, with the step graph's state. */
  static check(m: Manifest, shape: LstmShape): void {
    const g = m.graphs.generate
    if (!g) throw new Error(`${m.id}: a music-lstm model needs graphs.generate (training/export_music_generate.py writes it)`)
    for (const [list, names, what] of [[g.inputs, INPUTS, 'input'], [g.outputs, OUTPUTS, 'output']] as const) {
      const missing = names.filter((n) => !list.some((t) => t.name === n))
      if (missing.length) throw new Error(`${m.id}: graphs.generate lacks ${what} ${missing.map((n) => `"${n}"`).join(', ')} (manifest)`)
    }
    const h = g.inputs.find((t) => t.name === 'h')!.shape
    if (h[0] !== shape.layers || h[2] !== shape.hidden) {
      throw new Error(`${m.id}: graphs.generate input "h" is [${h.join(', ')}], the step graph's state is [${shape.layers}, batch, ${shape.hidden}]`)
    }
  }

  /** uniforms.length events after `token` from state (h, c), each (layers, 1, hidden). */
  async run(token: number, h: Float32Array, c: Float32Array, temperature: number, uniforms: Float64Array): Promise<{ tokens: number[]; h: Float32Array; c: Float32Array }> {
    const dims = [this.shape.layers, 1, this.shape.hidden]
    const out = await this.session.run({
      token: new ort.Tensor('int64', BigInt64Array.of(BigInt(token)), [1]),
      h: new ort.Tensor('float32', h, dims),
      c: new ort.Tensor('float32', c, dims),
      temperature: new ort.Tensor('float64', Float64Array.of(temperature), [1]),
      uniforms: new ort.Tensor('float64', uniforms, [1, uniforms.length]),
    })
    const drawn = out.tokens.data as BigInt64Array
    if (drawn.length !== uniforms.length) throw new Error(`generate graph gave ${drawn.length} events for ${uniforms.length} uniforms`)
    return { tokens: Array.from(drawn, Number), h: out.h_out.data as Float32Array, c: out.c_out.data as Float32Array }
  }
}
