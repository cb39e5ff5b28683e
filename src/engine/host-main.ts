/**
 * Engine host process entry. Started by the supervisor as an Electron utility process
 * (`process.parentPort`) or a Node child (`process.send`, serialization 'advanced' so typed arrays
 * cross intact). Waits for `init` (HostOptions), then serves EngineHandlers and emits Events.
 */
import type { EngineMethod, Envelope, EventName, Events } from '../common/contract'
import { Engine } from './engine'
import type { HostMessage } from './protocol'

interface Transport {
  send(m: HostMessage): void
  onMessage(cb: (m: HostMessage) => void): void
}

/** Electron's utility process exposes parentPort (messages wrapped as `{data}`); a Node fork has process.send. */
function transport(): Transport {
  const pp = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', cb: (e: { data: unknown }) => void): void } }).parentPort
  if (pp) return { send: (m) => pp.postMessage(m), onMessage: (cb) => pp.on('message', (e) => cb(e.data as HostMessage)) }
  if (process.send) {
    // The parent went away (crash, kill -9): nobody will read our results.
    process.on('disconnect', () => process.exit(0))
    return { send: (m) => process.send!(m), onMessage: (cb) => process.on('message', (m) => cb(m as HostMessage)) }
  }
  throw new Error('engine host: no IPC channel; start it through EngineSupervisor (nodeSpawner or utilityProcess)')
}

const port = transport()
let engine: Engine | null = null
/** Requests that arrive before `init` wait for it. */
let ready: (e: Engine) => void
const engineReady = new Promise<Engine>((r) => (ready = r))

function emit<E extends EventName>(name: E, payload: Events[E]): void {
  port.send({ t: 'evt', name, payload })
}

const reply = (id: number, result: Extract<Envelope, { t: 'res' }>['result']) => port.send({ t: 'res', id, result })
const message = (e: unknown) => (e instanceof Error ? e.message : String(e))

port.onMessage(async (m) => {
  if (m.t === 'init') {
    if (engine) return reply(m.id, { ok: false, error: 'engine host: init sent twice' })
    try {
      engine = new Engine(m.options, emit)
      await engine.init()
      ready(engine)
      reply(m.id, { ok: true, value: { pid: process.pid } })
    } catch (e) {
      reply(m.id, { ok: false, error: `engine host failed to start: ${message(e)}` })
    }
    return
  }
  if (m.t !== 'req') return
  const eng = await engineReady
  const handler = eng.handlers[m.method as EngineMethod] as ((a: unknown) => Promise<unknown>) | undefined
  if (!handler) return reply(m.id, { ok: false, error: `engine: unknown method "${m.method}"` })
  try {
    reply(m.id, { ok: true, value: await handler(m.args) })
  } catch (e) {
    reply(m.id, { ok: false, error: message(e) })
  }
})
