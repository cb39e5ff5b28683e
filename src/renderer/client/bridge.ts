/**
 * The shape of `window.studio`, the preload bridge (src/preload/index.ts builds it). One named
 * function per contract method, answering `Result` values, plus `onEvent`; never ipcRenderer itself.
 * Type-only: the preload and the renderer both import it, neither imports the other's code.
 */
import type { EventName, Events, Method, Req, Res, Result } from '../../common/contract'

export type StudioBridge = {
  readonly [K in Method]: (args: Req<K>) => Promise<Result<Res<K>>>
} & {
  /** Subscribe to an engine event; returns the unsubscribe function. */
  readonly onEvent: <E extends EventName>(name: E, cb: (payload: Events[E]) => void) => () => void
}
