/**
 * The server's handler map, generated from the contract's method list (`ENGINE_METHODS`,
 * `HISTORY_METHODS`): every engine method forwards to the supervisor, every history method to the
 * server's history store, so a method added to the contract is served without a line here.
 * `dispatch` (common/rpc.ts) turns any incoming `{method, args}` into a `Result` value.
 */
import { ENGINE_METHODS, HISTORY_METHODS, type ClientHandlers, type EngineHandlers, type EngineMethod, type HistoryHandlers, type HistoryMethod, type Req, type Res } from '../common/contract'
import { NO_HISTORY, type HistoryInvoker } from '../common/history'
import { forwarders, type HandlerFns } from '../common/rpc'

/** Per-connection facts a handler may need (who is asking). */
export interface CallContext {
  /** Stable id of the calling connection. */
  clientId: number
  /** Aborts when the client cancels the request or goes away: the engine then stops its work. */
  signal?: AbortSignal
}

/** `{ 'job/start': (args, ctx) => Promise<{jobId}>, … }`, derived from the contract, nothing re-declared. */
export type EngineHandlerMap = HandlerFns<ClientHandlers, CallContext>

/** What the handlers need of the engine: the supervisor's `invoke` (any object with that shape). */
export interface EngineInvoker {
  invoke<K extends EngineMethod>(method: K, args: Req<K>, opts?: { signal?: AbortSignal }): Promise<Res<K>>
}

/** The methods this server answers: exactly the contract's engine and history methods. */
export const SERVED = new Set<string>([...ENGINE_METHODS, ...HISTORY_METHODS])

/**
 * Thin forwards to the supervisor. A host adds its own concerns on top (the WebSocket binding claims a
 * job's id for its connection before forwarding `job/start`).
 */
export function engineHandlers(engine: EngineInvoker, history?: HistoryInvoker): EngineHandlerMap {
  return {
    ...forwarders<EngineHandlers, EngineMethod, CallContext>(ENGINE_METHODS, (m, a, ctx) => engine.invoke(m, a, { signal: ctx?.signal })),
    // The server's own history store (`--history DIR`); a server started without one says so.
    ...forwarders<HistoryHandlers, HistoryMethod, CallContext>(HISTORY_METHODS, async (m, a) => {
      if (!history) throw new Error(NO_HISTORY)
      return history.invoke(m, a)
    }),
  }
}
