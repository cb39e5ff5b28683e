/**
 * `text/next`: the likeliest next characters at a cursor, with the odds the sampler would draw them
 * (temperature, top-k and top-p applied: Sampler.distribution, the job's own code). The char-lstm
 * runner serves it (FamilyRunner.methods); the engine loads the model and runs it beside the queue.
 *
 * Reads `text` at batch 1 through the model's step session, resuming from a kept draft state when
 * `branch` matches. It runs beside a job rather than queued behind it (a 20,000-character job would
 * make the picker wait): session.run is synchronous on this thread, so its runs interleave with the
 * job's between steps and each uses its own tensors; nothing of the job's is touched.
 *
 * Bounded: at most MAX_TEXT_CHARS characters (common/manifest.ts), and the reading yields every ~10 ms
 * and stops when `signal` aborts (the caller cancelled or its socket closed), so a long text never runs
 * on for nobody.
 */
import type { TextNextReply, TextNextRequest } from '../../common/contract'
import { MAX_TEXT_CHARS, type Manifest } from '../../common/manifest'
import type { LoadedModel } from '../sessions'
import { validateParams } from '../params'
import { SAMPLING_KEYS, textParams } from './job-params'
import { LstmStepper, lstmShape, readText } from './lstm-step'
import { Sampler } from './sampler'
import { modelKey, textStates } from './states'
import { Vocab } from './vocab'

/** Most candidates one request may ask for (the picker shows a handful). */
export const MAX_CANDIDATES = 100

/** The handler char-lstm registers (FamilyRunner.methods): `model` is loaded on the model's default EP. */
export async function textNext(
  req: TextNextRequest,
  { manifest: m, model, signal }: { manifest: Manifest; model: LoadedModel; signal?: AbortSignal },
): Promise<TextNextReply> {
  // Validated like a job's params; only the sampling ones count.
  const keys: readonly string[] = SAMPLING_KEYS
  const given = Object.fromEntries(Object.entries(req.params ?? {}).filter(([k]) => keys.includes(k)))
  const v = validateParams(m.params.filter((s) => keys.includes(s.key)), given)
  if (!v.ok) throw new Error(`model "${m.id}": ${v.error}`)
  if (typeof req.text !== 'string' || req.text.length === 0) throw new Error('text/next needs the text before the cursor (at least one character)')
  if (req.text.length > MAX_TEXT_CHARS) {
    throw new Error(`text/next reads at most ${MAX_TEXT_CHARS.toLocaleString('en')} characters before the cursor, got ${req.text.length.toLocaleString('en')}`)
  }
  const n = req.n
  if (!Number.isInteger(n) || n < 1 || n > MAX_CANDIDATES) throw new Error(`n must be a whole number from 1 to ${MAX_CANDIDATES}, got ${n}`)
  const vocab = new Vocab(m.vocab!)
  const { ids, text } = vocab.encode(req.text, 'text')
  const stepper = new LstmStepper(model.sessions.step, lstmShape(m))
  const checkpoint = async () => {
    // Yield first: session.run holds this thread, so the cancel message is only read in between.
    await new Promise<void>((resolve) => setImmediate(resolve))
    if (signal?.aborted) throw new Error('text/next: cancelled')
  }
  const { logits } = await readText(stepper, ids, text, { cache: textStates, modelKey: modelKey(m, model), branch: req.branch, checkpoint })
  const sampler = new Sampler(vocab.size, textParams(v.params).sampling)
  sampler.distribution(logits, 0)
  return { candidates: sampler.top(n).map(({ id, p }) => ({ char: vocab.chars[id], p })) }
}
