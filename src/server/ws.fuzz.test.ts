/**
 * Fuzz: random and mutated frames on the server's WebSocket — random bytes, text frames, envelopes with
 * unknown methods and ids such as 1e999, every engine method with random arguments, and `job/start`
 * with well-formed requests whose params, seeds, ids and input files are random. Properties: every
 * frame is answered (a reply to its id) or the connection is closed with a code, within a time bound;
 * the jobs a fuzzed connection started end when it closes; the engine stays up, its memory bounded, and
 * the shipped model keeps working. Seeded (FUZZ_SEED to replay), bounded in cases.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { ENGINE_METHODS } from '../common/contract'
import { decodeFrame, encodeFrame } from '../common/wire'
import { GAN_ID, runJob, SHIPPED_DIR, startEngine } from '../engine/testing'
import { startServer, type RunningServer } from './server'

const SEED = Number(process.env.FUZZ_SEED ?? 20261206)
const CASES = 250
/** A hang detector: every reply here takes milliseconds (a started job replies before it runs). */
const ANSWER_MS = 10_000
const TOKEN = 'f'.repeat(32)
/** How long a started job is watched for a failure on its params before its connection closes. */
const JOB_GRACE_MS = 300

/** Messages that leak a JavaScript failure instead of saying what was wrong with the request. */
const INTERNAL = /is not a function|Cannot read prop|Cannot set prop|undefined is not|is not iterable|Maximum call stack/

type Outcome = { kind: 'reply'; ok: boolean; error?: string } | { kind: 'closed'; code: number } | { kind: 'timeout' }

/** One frame on a fresh connection: the reply to request `id`, or the close, whichever comes first. */
function exchange(server: RunningServer, frame: Uint8Array | string, id: unknown): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`, { origin: `http://127.0.0.1:${server.port}` })
    const timer = setTimeout(() => (ws.terminate(), resolve({ kind: 'timeout' })), ANSWER_MS)
    const end = (o: Outcome) => (clearTimeout(timer), ws.close(), resolve(o))
    ws.on('open', () => ws.send(frame, { binary: typeof frame !== 'string' }))
    // A job's events can beat its start reply (the client chose the id): note a failure whenever it comes.
    let failed: string | undefined
    let accepted = false
    ws.on('message', (data: Buffer) => {
      const env = decodeFrame(new Uint8Array(data)) as {
        t?: string; id?: unknown; name?: string; result?: { ok?: boolean; error?: string; value?: { jobId?: string } }; payload?: { error?: string }
      }
      if (env.t === 'evt' && env.name === 'job/failed') {
        failed = env.payload?.error ?? '(no message)'
        if (accepted) end({ kind: 'reply', ok: false, error: failed })
      } else if (env.t === 'res' && (env.id === id || typeof id !== 'number')) {
        const o: Outcome = { kind: 'reply', ok: !!env.result?.ok, error: env.result?.error }
        if (failed !== undefined) return end({ kind: 'reply', ok: false, error: failed })
        // A started job: give it a moment to fail on its params (its message is checked too); closing cancels it.
        if (o.ok && env.result?.value?.jobId) {
          accepted = true
          setTimeout(() => end(o), JOB_GRACE_MS)
        } else end(o)
      }
    })
    ws.on('close', (code) => (clearTimeout(timer), resolve({ kind: 'closed', code })))
    ws.on('error', (e) => (clearTimeout(timer), reject(e)))
  })
}

/** A frame whose JSON header is `header` verbatim (ids like 1e999 that JSON.stringify cannot write). */
function rawFrame(header: string): Uint8Array {
  const head = new TextEncoder().encode(header)
  const out = new Uint8Array((4 + head.length + 7) & ~7)
  new DataView(out.buffer).setUint32(0, head.length, true)
  out.set(head, 4)
  return out
}

const junk = fc.oneof(fc.constantFrom(null, true, {}, [], '', -1, 1e308, 'x'.repeat(5000)), fc.jsonValue({ maxDepth: 3 }))
const param = fc.oneof(junk, fc.integer(), fc.double(), fc.string({ maxLength: 40 }))
const jobStart = fc.record({
  modelId: fc.oneof(fc.constantFrom(GAN_ID, 'lstm-austen', 'wavenet-notes', 'rbm-mnist', 'nope'), fc.string({ maxLength: 20 })),
  seed: fc.oneof(fc.nat(), fc.constantFrom(-1, 2 ** 32, 0.5, 2 ** 53), junk),
  params: fc.oneof(fc.dictionary(fc.constantFrom('count', 'steps', 'length', 'prime', 'drafts', 'voices', 'seconds', 'pitch', 'temperature', 'truncation'), param, { maxKeys: 4 }), junk),
  jobId: fc.oneof({ arbitrary: fc.uuid().map((u) => u.replace(/-/g, '')), weight: 6 }, fc.string({ maxLength: 80 }), junk),
  ep: fc.oneof(fc.constantFrom('cpu', 'auto', 'cuda', 'tpu'), junk),
  inputs: fc.option(fc.dictionary(fc.constantFrom('photo', 'prime', 'x'), fc.record({ kind: fc.oneof(fc.constantFrom('image', 'midi', 'wav'), junk), bytes: fc.uint8Array({ maxLength: 512 }) }), { maxKeys: 2 }), { nil: undefined }),
}, { requiredKeys: ['modelId', 'seed', 'params', 'jobId'] })

const frames = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((b) => ({ frame: b as Uint8Array | string, id: undefined as unknown })),
  fc.string({ maxLength: 200 }).map((s) => ({ frame: s as Uint8Array | string, id: undefined as unknown })),
  fc.constantFrom('1e999', '-0', '1.5', '"x"', 'null', '[]', '{}', '9007199254740993').map((id) => ({
    frame: rawFrame(`{"t":"req","id":${id},"method":"engine/info","args":null}`) as Uint8Array | string, id: undefined as unknown,
  })),
  fc.tuple(fc.nat({ max: 1e6 }), fc.oneof(fc.constantFrom(...ENGINE_METHODS), fc.string({ maxLength: 20 })), junk).map(([id, method, args]) => ({
    frame: encodeFrame({ t: 'req', id, method, args }) as Uint8Array | string, id: id as unknown,
  })),
  fc.tuple(fc.nat({ max: 1e6 }), jobStart).map(([id, args]) => ({ frame: encodeFrame({ t: 'req', id, method: 'job/start', args }) as Uint8Array | string, id: id as unknown })),
)

/** Resident memory of a process in MiB (Linux /proc), or null elsewhere. */
function rssMiB(pid: number | null): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : null
  } catch {
    return null
  }
}

describe('fuzz: the server WebSocket', () => {
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }])
  let server: RunningServer
  beforeAll(async () => {
    await engine.start()
    server = await startServer({ port: 0, token: TOKEN, webRoot: SHIPPED_DIR, engine })
  })
  afterAll(async () => {
    await server?.close()
    await engine.stop()
  })

  it('answers or closes on every frame; the engine stays up, bounded, and keeps generating', async () => {
    await runJob(engine, { modelId: GAN_ID, seed: 1, params: { count: 2 }, ep: 'cpu' }) // sessions loaded: the RSS baseline
    const pid = (await engine.invoke('engine/info', undefined)).pid
    const rss0 = rssMiB(pid)
    const outcomes: Record<string, number> = {}
    const errors = new Set<string>()
    // Issue 17 item 9 first: a param sent as null / {} / [] / true once answered "raw.trim is not a function".
    const known = [null, {}, [], true].map((v, i) => ({
      frame: encodeFrame({ t: 'req', id: i + 1, method: 'job/start', args: { modelId: GAN_ID, seed: 1, params: { count: v }, jobId: `known-${i}` } }) as Uint8Array | string,
      id: (i + 1) as unknown,
    }))
    for (const { frame, id } of [...known, ...fc.sample(frames, { seed: SEED, numRuns: CASES })]) {
      const o = await exchange(server, frame, id)
      const label = o.kind === 'reply' ? (o.ok ? 'ok' : 'error') : o.kind
      outcomes[label] = (outcomes[label] ?? 0) + 1
      expect(o.kind, `no answer to ${typeof frame === 'string' ? JSON.stringify(frame.slice(0, 80)) : `${frame.length} bytes`}`).not.toBe('timeout')
      if (o.kind === 'reply' && !o.ok) {
        expect(o.error, 'an error says what is wrong').toMatch(/\w{3}/)
        expect(o.error, 'an error in our words, not a JavaScript internal').not.toMatch(INTERNAL)
        errors.add(o.error!.replace(/[0-9a-f]{32}/g, 'ID').slice(0, 140))
      }
      if (o.kind === 'closed') expect(o.code, 'a refused frame closes with a code').toBeGreaterThanOrEqual(1000)
    }
    console.log(`ws fuzz: ${CASES + known.length} frames →`, outcomes, '\n' + [...errors].join('\n'))
    // Every connection is closed, so every job the fuzz started is cancelled; the engine is the same process.
    const info = await engine.invoke('engine/info', undefined)
    expect(info.state).toBe('ready')
    expect(info.pid).toBe(pid)
    const shipped = await runJob(engine, { modelId: GAN_ID, seed: 3, params: { count: 4 }, ep: 'cpu' })
    expect(shipped.images).toHaveLength(4)
    const rss1 = rssMiB(pid)
    if (rss0 !== null && rss1 !== null) expect(rss1 - rss0, `engine RSS ${rss0.toFixed(0)} → ${rss1.toFixed(0)} MiB`).toBeLessThan(400)
  }, 300_000)
})
