/**
 * The server's handler map, generated from the contract's method list (`ENGINE_METHODS`): every engine
 * method forwards to the supervisor, so a method added to the contract is served without a line here.
 * `dispatch` (common/rpc.ts) turns any incoming `{method, args}` into a `Result` value.
 */
import { ENGINE_METHODS, type EngineHandlers, type EngineMethod, type Req, type Res } from '../common/contract'
import { forwarders, type HandlerFns } from '../common/rpc'

/** Per-connection facts a handler may need (who is asking). */
export interface CallContext {
  /** Stable id of the calling connection. */
  clientId: number
  /** Aborts when the client cancels the request or goes away: the engine then stops its work. */
  signal?: AbortSignal
}

/** `{ 'job/start': (args, ctx) => Promise<{jobId}>, … }`, derived from the contract, nothing re-declared. */
export type EngineHandlerMap = HandlerFns<EngineHandlers, CallContext>

/** What the handlers need of the engine: the supervisor's `invoke` (any object with that shape). */
export interface EngineInvoker {
  invoke<K extends EngineMethod>(method: K, args: Req<K>, opts?: { signal?: AbortSignal }): Promise<Res<K>>
}

/** The engine methods this server answers: exactly the contract's. */
export const SERVED = new Set<string>(ENGINE_METHODS)

/**
 * Thin forwards to the supervisor. A host adds its own concerns on top (the WebSocket binding claims a
 * job's id for its connection before forwarding `job/start`).
 */
export function engineHandlers(engine: EngineInvoker): EngineHandlerMap {
  return forwarders<EngineHandlers, EngineMethod, CallContext>(ENGINE_METHODS, (m, a, ctx) => engine.invoke(m, a, { signal: ctx?.signal }))
}
