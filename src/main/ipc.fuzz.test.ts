/**
 * Fuzz: every Electron IPC handler (Electron mocked at the shell boundary, a real engine behind it) with
 * random arguments, from our window and from foreign senders. Properties: every call resolves to a
 * `Result` within a time bound — never a throw across IPC —, errors are in our words, foreign senders are
 * always refused, the engine stays up and the shipped model keeps working. Seeded (FUZZ_SEED to replay).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ENGINE_METHODS, SHELL_METHODS, type Result } from '../common/contract'
import { GAN_ID, runJob, SHIPPED_DIR, startEngine } from '../engine/testing'

const electron = vi.hoisted(() => ({ handlers: new Map<string, (event: unknown, args: unknown) => Promise<unknown>>() }))
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, args: unknown) => Promise<unknown>) => electron.handlers.set(channel, fn),
    removeHandler: (channel: string) => electron.handlers.delete(channel),
  },
  // The save dialog is the user's: the fuzz cancels it, so nothing is written.
  dialog: { showSaveDialog: async () => ({ canceled: true }), showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
  app: { getPath: () => '/tmp' },
}))
const { bindIpc } = await import('./ipc')

const SEED = Number(process.env.FUZZ_SEED ?? 20261206)
const CASES = 300
const ANSWER_MS = 10_000
const INTERNAL = /is not a function|Cannot read prop|Cannot set prop|undefined is not|is not iterable|Maximum call stack/

const APP_URL = 'file:///opt/latent-studio/out/renderer/index.html'
const mainFrame = { routingId: 1, processId: 7, url: APP_URL }
const webContents = { mainFrame, send: () => {}, on: () => {} }
const win = { isDestroyed: () => false, webContents }
const own = { sender: webContents, senderFrame: { ...mainFrame } }
const foreign = [
  { sender: { mainFrame }, senderFrame: { ...mainFrame } },
  { sender: webContents, senderFrame: { ...mainFrame, routingId: 2 } },
  { sender: webContents, senderFrame: { ...mainFrame, url: 'https://evil.example/' } },
  { sender: webContents, senderFrame: null },
]

const junk = fc.oneof(fc.constantFrom(null, undefined, true, {}, [], '', -1, 1e308, 'x'.repeat(5000)), fc.jsonValue({ maxDepth: 3 }), fc.uint8Array({ maxLength: 64 }))
const args = fc.oneof(
  junk,
  fc.record({
    modelId: fc.oneof(fc.constantFrom(GAN_ID, 'lstm-austen', 'nope'), junk),
    seed: fc.oneof(fc.nat(), junk),
    params: fc.oneof(fc.dictionary(fc.constantFrom('count', 'prime', 'length', 'voices'), fc.oneof(junk, fc.nat({ max: 100 })), { maxKeys: 3 }), junk),
    jobId: fc.oneof(fc.uuid().map((u) => u.replace(/-/g, '')), junk),
    name: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('../../etc/passwd', 'a/b.png', ''), junk),
    bytes: fc.oneof(fc.uint8Array({ maxLength: 256 }), junk),
  }, { requiredKeys: [] }),
)
const calls = fc.tuple(fc.constantFrom(...ENGINE_METHODS, ...SHELL_METHODS), args, fc.oneof({ arbitrary: fc.constant(-1), weight: 4 }, fc.nat({ max: foreign.length - 1 })))

const within = <T>(p: Promise<T>, what: string) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what}: no answer in ${ANSWER_MS} ms`)), ANSWER_MS))])

describe('fuzz: the Electron IPC handlers', () => {
  const engine = startEngine([{ dir: SHIPPED_DIR, source: 'shipped' }])
  beforeAll(async () => {
    bindIpc({ engine, window: () => win as never, isAppUrl: (u) => u === APP_URL, log: () => {} })
    await engine.start()
  })
  afterAll(() => engine.stop())

  it('every call resolves to a Result in our words; foreign senders are refused; the engine keeps working', async () => {
    const pid = (await engine.invoke('engine/info', undefined)).pid
    const started: string[] = []
    for (const [method, a, who] of fc.sample(calls, { seed: SEED, numRuns: CASES })) {
      const handler = electron.handlers.get(method)!
      const event = who < 0 ? own : foreign[who]
      const r = (await within(Promise.resolve().then(() => handler(event, a)), method)) as Result<unknown>
      expect(typeof r?.ok, `${method} answered a Result`).toBe('boolean')
      if (who >= 0) expect(r.ok, `${method} from a foreign sender`).toBe(false)
      if (!r.ok) expect(r.error, `${method}`).not.toMatch(INTERNAL)
      else if (method === 'job/start') started.push((r.value as { jobId: string }).jobId)
    }
    // The window would cancel what it started; do the same, then the engine is the same healthy process.
    for (const jobId of started) await engine.invoke('job/cancel', { jobId })
    const info = await engine.invoke('engine/info', undefined)
    expect([info.state, info.pid]).toEqual(['ready', pid])
    expect((await runJob(engine, { modelId: GAN_ID, seed: 3, params: { count: 2 }, ep: 'cpu' })).images).toHaveLength(2)
  }, 300_000)
})
