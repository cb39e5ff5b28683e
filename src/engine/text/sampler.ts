/**
 * Choosing the next character from a step's logits, the same way for the running job and for
 * `text/next` (so the odds the studio shows are the odds it samples with).
 *
 * p_j ∝ exp((logit_j − max) / temperature) in float64, then top-k keeps the k likeliest and top-p,
 * within those, the shortest likeliest-first prefix holding a share p of their mass (ties broken by
 * lower token id, like torch.argmax), then renormalised. A draw takes exactly one `Rng.uniform()` and walks the kept
 * tokens in id order, so a draft's text depends on its seed and nothing else.
 */
import type { Rng } from '../../common/rng'

export interface SamplingParams {
  /** > 0; 1 = the model's own odds. */
  temperature: number
  /** Keep the k likeliest (0 = off). topK 1 is greedy: always the argmax. */
  topK: number
  /** Keep the likeliest whose mass reaches p (1 = off). */
  topP: number
}

export class Sampler {
  /** (vocab,) float64 probabilities of the last `distribution` call; zero outside the kept set. */
  readonly probs: Float64Array
  /** Token ids, reused for sorting. */
  private readonly order: Uint16Array | Uint32Array

  constructor(
    readonly vocab: number,
    readonly params: SamplingParams,
  ) {
    if (!(params.temperature > 0)) throw new Error(`temperature must be above 0, got ${params.temperature}`)
    if (!(params.topP > 0 && params.topP <= 1)) throw new Error(`topP must be in (0, 1], got ${params.topP}`)
    if (!(Number.isInteger(params.topK) && params.topK >= 0)) throw new Error(`topK must be a whole number ≥ 0, got ${params.topK}`)
    this.probs = new Float64Array(vocab)
    this.order = vocab <= 0xffff ? new Uint16Array(vocab) : new Uint32Array(vocab)
  }

  /**
   * Fill `probs` from logits row `row` of a (b, vocab) float32 array; returns `probs`.
   * Only the tokens that can be drawn are non-zero, and they sum to 1.
   */
  distribution(logits: Float32Array, row = 0): Float64Array {
    const V = this.vocab
    const p = this.probs
    const off = row * V
    const { temperature, topK, topP } = this.params
    if (topK === 1) {
      // Greedy: the argmax alone (first of equal maxima), no exp that could underflow to a tie.
      let best = 0
      for (let j = 1; j < V; j++) if (logits[off + j] > logits[off + best]) best = j
      p.fill(0)
      p[best] = 1
      return p
    }
    let max = -Infinity
    for (let j = 0; j < V; j++) if (logits[off + j] > max) max = logits[off + j]
    let sum = 0
    for (let j = 0; j < V; j++) sum += p[j] = Math.exp((logits[off + j] - max) / temperature)
    const k = topK > 0 && topK < V ? topK : V
    if (k < V || topP < 1) {
      const order = this.order
      for (let j = 0; j < V; j++) order[j] = j
      order.sort((a, b) => p[b] - p[a] || a - b) // likeliest first, lower id first on ties
      // Top-k first, then top-p within the renormalised top k (the order Hugging Face's samplers use):
      // keep the shortest prefix whose share of the top-k mass reaches topP.
      let kMass = 0
      for (let r = 0; r < k; r++) kMass += p[order[r]]
      let kept = 0
      let mass = 0
      while (kept < k) {
        mass += p[order[kept++]]
        if (mass >= topP * kMass) break
      }
      for (let r = kept; r < V; r++) p[order[r]] = 0
      sum = mass
    }
    for (let j = 0; j < V; j++) p[j] /= sum
    return p
  }

  /** Draw a token id from `probs` (after `distribution`) with one uniform from `rng`. */
  draw(rng: Rng): number {
    const p = this.probs
    const u = rng.uniform()
    let acc = 0
    let last = 0
    for (let j = 0; j < this.vocab; j++) {
      if (p[j] === 0) continue
      acc += p[j]
      last = j
      if (u < acc) return j
    }
    return last // rounding left acc a hair below 1 and u above it
  }

  /** The `n` likeliest tokens of the last `distribution`, likeliest first (zero-probability ones left out). */
  top(n: number): { id: number; p: number }[] {
    const ids: number[] = []
    for (let j = 0; j < this.vocab; j++) if (this.probs[j] > 0) ids.push(j)
    ids.sort((a, b) => this.probs[b] - this.probs[a] || a - b)
    return ids.slice(0, Math.max(0, n)).map((id) => ({ id, p: this.probs[id] }))
  }
}
