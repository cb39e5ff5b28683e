/**
 * A typed event fan-out keyed by the contract's event map. The engine supervisor and the renderer's
 * WebSocket client both hand events to many listeners; one listener that throws must not stop the rest.
 */
export class Emitter<M> {
  private listeners = new Map<keyof M, Set<(payload: never) => void>>()

  /** @param onListenerError where a throwing listener is reported (the emitter keeps going). */
  constructor(private onListenerError: (name: keyof M, error: unknown) => void) {}

  on<E extends keyof M>(name: E, cb: (payload: M[E]) => void): () => void {
    let set = this.listeners.get(name)
    if (!set) this.listeners.set(name, (set = new Set()))
    set.add(cb as (payload: never) => void)
    return () => void set.delete(cb as (payload: never) => void)
  }

  emit<E extends keyof M>(name: E, payload: M[E]): void {
    for (const cb of this.listeners.get(name) ?? []) {
      try {
        ;(cb as (p: M[E]) => void)(payload)
      } catch (e) {
        this.onListenerError(name, e)
      }
    }
  }
}
