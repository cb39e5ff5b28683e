/**
 * Engine host process entry. Started by the supervisor as an Electron utility process
 * (`process.parentPort`) or a Node child (`process.send`, serialization 'advanced' so typed arrays
 * cross intact). Serves `host/init` (HostOptions) first, then EngineHandlers; emits Events. The
 * request/reply half is the common RpcPeer; this file only picks the channel.
 */
import { ENGINE_METHODS, type Events } from '../common/contract'
import { dispatch, errorMessage, RpcPeer } from '../common/rpc'
import { Engine } from './engine'
import type { HostHandlers, HostMessage, HostOptions } from './protocol'

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
const KNOWN = new Set<string>(ENGINE_METHODS)
let engine: Engine | null = null
/** Requests that arrive before `host/init` wait for it. */
let ready: (e: Engine) => void
const engineReady = new Promise<Engine>((r) => (ready = r))

async function init(options: HostOptions): Promise<HostHandlers['host/init']['res']> {
  if (engine) throw new Error('engine host: init sent twice')
  try {
    engine = new Engine(options, (name, payload) => peer.notify(name, payload))
    await engine.init()
  } catch (e) {
    throw new Error(`engine host failed to start: ${errorMessage(e)}`)
  }
  ready(engine)
  return { pid: process.pid }
}

const peer = new RpcPeer<Record<never, never>, Events>({
  send: (m) => port.send(m),
  serve: async (method, args, signal) => {
    if (method === 'host/init') return init(args as HostOptions).then((value) => ({ ok: true, value }), (e) => ({ ok: false, error: errorMessage(e) }))
    return dispatch((await engineReady).handlers, KNOWN, method, args, signal)
  },
})
port.onMessage((m) => peer.receive(m))
