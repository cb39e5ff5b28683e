/**
 * char-lstm family: a character LSTM continues the prime in `drafts` drafts written side by side.
 *
 * 1. The prime is read one character at a time at batch 1 (or resumed from a kept state when the job
 *    is a `branch` of an earlier draft, see text/state-cache.ts), giving the logits for the first
 *    written character and the state S_P shared by every draft. Progress says how far (a job stage).
 * 2. Drafts are then sampled together, one step graph run per character for the whole batch. Draft i
 *    draws with its own Rng(seed + i), one uniform per character (text/sampler.ts), and ORT computes
 *    each batch row alone, so draft i's text is the same whatever the number of drafts; a draft that
 *    ends (stop sequence: 'stop', or `length` characters: 'length') leaves the batch.
 * Every input state is kept per position, so a later job can continue any draft from any character.
 */
import { Rng } from '../../common/rng'
import { DraftStream } from '../text/draft-stream'
import { textParams } from '../text/job-params'
import { LstmStepper, lstmShape, readText } from '../text/lstm-step'
import { textNext } from '../text/next'
import { Sampler } from '../text/sampler'
import type { LstmState } from '../text/state-cache'
import { modelKey, textStates } from '../text/states'
import { endsWithStop, Vocab } from '../text/vocab'
import type { FamilyRunner, RunContext } from './types'

/** Prime-reading progress goes out at most this often (ms): ~20 updates a second. */
const PRIME_REPORT_MS = 50

async function run(ctx: RunContext): Promise<void> {
  const m = ctx.manifest
  const shape = lstmShape(m)
  const vocab = new Vocab(m.vocab!)
  const tp = textParams(ctx.params)
  const prime = vocab.encode(tp.prime, 'prime')
  if (!prime.text.length) throw new Error('the prime is empty: give the model at least one character to continue')
  for (const n of prime.notes) ctx.warn(n)
  const stepper = new LstmStepper(ctx.model.sessions.step, shape)
  const sampler = new Sampler(shape.vocab, tp.sampling)
  const key = modelKey(m, ctx.model)
  const N = tp.drafts
  const P = prime.text.length
  const job = textStates.begin(ctx.jobId, key, prime.text, N, P + N * tp.length, stepper.stateBytes)
  const stream = new DraftStream(N, tp.length, ctx.emit, ctx.progress)
  let lastCheck = performance.now()
  const checkpoint = async () => {
    lastCheck = performance.now()
    try {
      await ctx.checkpoint()
    } catch (e) {
      stream.flush() // a cancelled job's client keeps every character written so far
      throw e
    }
  }

  // Reading a long prime takes seconds (~0.2 ms a character; at most the prime's maxLength, checked with
  // the params): the client sees how far, at most every PRIME_REPORT_MS, and a cancel lands at a checkpoint.
  let reported = -Infinity
  const read = (k: number) => {
    if (k < P && performance.now() - reported < PRIME_REPORT_MS) return
    reported = performance.now()
    ctx.progress(0, N * tp.length, { label: 'reading the prime', unit: 'characters', done: k, total: P })
  }
  const warm = await readText(stepper, prime.ids, prime.text, { cache: textStates, modelKey: key, branch: ctx.branch, keep: job, checkpoint, read })
  ctx.progress(0, N * tp.length) // read: the drafts start
  if (ctx.branch && warm.resumedAt === null) {
    ctx.warn(`draft ${ctx.branch.draft + 1} of job ${ctx.branch.jobId} is no longer kept (or its text differs from the prime): the prime was read again`)
  }

  const rngs = Array.from({ length: N }, (_, i) => new Rng((ctx.seed + i) >>> 0))
  const maxStop = Math.max(0, ...tp.stops.map((s) => s.length))
  const tails = new Array<string>(N).fill('')
  let rows = Array.from({ length: N }, (_, i) => i) // batch row → draft
  let logits = warm.logits // (1, vocab) at first (shared by all drafts), then (rows, vocab)
  let shared = true
  let h = warm.state.h // (layers, rows, hidden); the first step stacks the shared state per draft
  let c = warm.state.c
  for (;;) {
    const cont: number[] = [] // rows that go on
    const ids: number[] = []
    for (let r = 0; r < rows.length; r++) {
      const d = rows[r]
      sampler.distribution(logits, shared ? 0 : r)
      const id = sampler.draw(rngs[d])
      const ch = vocab.chars[id]
      job.append(d, ch)
      stream.add(d, ch)
      if (maxStop) tails[d] = (tails[d] + ch).slice(-maxStop)
      if (maxStop && endsWithStop(tails[d], tp.stops)) stream.end(d, 'stop')
      else if (stream.count(d) >= tp.length) stream.end(d, 'length')
      else cont.push(r), ids.push(id)
    }
    stream.tick()
    if (!cont.length) break
    // Input states of the rows that go on; S_k is kept for k = the position of the character read now.
    const b = shared ? 1 : rows.length
    const inputs: LstmState[] = cont.map((r) => stepper.row(h, c, b, shared ? 0 : r))
    cont.forEach((r, i) => {
      const d = rows[r]
      job.putDraft(d, P + stream.count(d) - 1, inputs[i])
    })
    const feed = !shared && cont.length === rows.length ? { h, c } : stepper.stack(inputs)
    const out = await stepper.run(ids, feed.h, feed.c)
    rows = cont.map((r) => rows[r])
    ;({ logits, h, c } = out)
    shared = false
    if (performance.now() - lastCheck >= 10) await checkpoint()
  }
  stream.flush()
}

/** Jobs, plus `text/next` at a cursor; kept states are dropped when models reload (their sessions go). */
export const charLstm: FamilyRunner = { hiddenParams: [], run, methods: { 'text/next': textNext }, onReload: () => textStates.clear() }
