/**
 * Parent ↔ engine-host plumbing that is private to src/engine: how a host process is reached
 * (HostPort, provided by main's utilityProcess spawner or `nodeSpawner`) and the one request that is
 * not part of the public contract, `host/init`, which carries HostOptions before any other request.
 * Both sides speak `RpcPeer` (common/rpc.ts) over it.
 */
import type { EngineHandlers, Envelope } from '../common/contract'
import type { ModelDir } from './model-dirs'

/** Given to the host at start. */
export interface HostOptions {
  /** Scanned in order; on duplicate ids the earlier folder wins. */
  modelDirs: ModelDir[]
  /** ORT intra-op threads (default: min(available cores, 4)). */
  threads?: number
  /** Written into every recipe. */
  appVersion: string
}

/** What the host serves: the contract's engine methods plus its private start-up request. */
export type HostHandlers = EngineHandlers & {
  /** First request of every host process; the others wait for it. Answers the host's pid. */
  'host/init': { req: HostOptions; res: { pid: number } }
}

/** Everything that crosses to/from the host: contract envelopes (structured clones, typed arrays intact). */
export type HostMessage = Envelope

/**
 * A running host process, whatever started it. Methods (not function properties) on purpose: an
 * implementation typed `postMessage(m: Envelope)` still fits.
 */
export interface HostPort {
  postMessage(m: HostMessage): void
  onMessage(cb: (m: HostMessage) => void): void
  onExit(cb: (code: number | null) => void): void
  kill(): void
  readonly pid: number | null
}

/** Starts a fresh host process; called again after every crash. */
export type SpawnHost = () => HostPort
