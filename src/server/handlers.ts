/**
 * One handler map typed from the contract (Actual Budget's habit): every engine method of
 * `EngineHandlers` has exactly one function here, and `dispatch` turns any incoming
 * `{method, args}` into a `Result` value, so errors cross the socket as values, never as throws.
 */
import { ENGINE_METHODS, type EngineHandlers, type EngineMethod, type Req, type Res, type Result } from '../common/contract'

/** Per-connection facts a handler may need (who is asking). */
export interface CallContext {
  /** Stable id of the calling connection. */
  clientId: number
}

/** `{ 'job/start': (args, ctx) => Promise<{jobId}>, … }`, derived from the contract, nothing re-declared. */
export type HandlerMap<H extends { [K in keyof H]: { req: unknown; res: unknown } }, C = CallContext> = {
  [K in keyof H]: (args: H[K]['req'], ctx: C) => Promise<H[K]['res']>
}

export type EngineHandlerMap = HandlerMap<EngineHandlers>

/** What the handlers need of the engine: the supervisor's `invoke` (any object with that shape). */
export interface EngineInvoker {
  invoke<K extends EngineMethod>(method: K, args: Req<K>): Promise<Res<K>>
}

/**
 * The engine handlers: thin forwards to the supervisor. A host adds its own concerns around
 * `dispatch` (the WebSocket binding claims job ownership after the job/start reply is sent).
 */
export function engineHandlers(engine: EngineInvoker): EngineHandlerMap {
  return {
    'models/list': () => engine.invoke('models/list', undefined),
    'models/reload': () => engine.invoke('models/reload', undefined),
    'engine/info': () => engine.invoke('engine/info', undefined),
    'job/start': (args) => engine.invoke('job/start', args),
    'job/cancel': (args) => engine.invoke('job/cancel', args),
    'text/next': (args) => engine.invoke('text/next', args),
  }
}

const KNOWN = new Set<string>(ENGINE_METHODS)

/**
 * Run `method` from an untrusted caller: unknown methods and thrown errors become `{ok:false}`.
 * Slow calls are not an error, but callers can log `ms` (Signal's habit).
 */
export async function dispatch(
  map: EngineHandlerMap,
  method: unknown,
  args: unknown,
  ctx: CallContext,
): Promise<Result<unknown>> {
  if (typeof method !== 'string' || !KNOWN.has(method)) {
    return { ok: false, error: `unknown method ${JSON.stringify(method)}` }
  }
  try {
    // The engine host validates args (model, seed, params, EP) and answers errors as values.
    const handler = map[method as EngineMethod] as (a: unknown, c: CallContext) => Promise<unknown>
    return { ok: true, value: await handler(args, ctx) }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) }
  }
}
