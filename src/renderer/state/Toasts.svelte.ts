/** Transient messages in the corner. Errors stay longer than info; at most MAX are shown. */

export type ToastKind = 'info' | 'error'

export interface Toast {
  id: number
  kind: ToastKind
  text: string
}

const MAX = 5
const LIFETIME_MS: Record<ToastKind, number> = { info: 5_000, error: 12_000 }

export class Toasts {
  #items = $state<Toast[]>([])
  #next = 1

  get items(): readonly Toast[] {
    return this.#items
  }

  info(text: string): void {
    this.push('info', text)
  }

  error(text: string): void {
    this.push('error', text)
  }

  push(kind: ToastKind, text: string): void {
    const id = this.#next++
    this.#items = [...this.#items, { id, kind, text }].slice(-MAX)
    setTimeout(() => this.dismiss(id), LIFETIME_MS[kind])
  }

  dismiss(id: number): void {
    this.#items = this.#items.filter((t) => t.id !== id)
  }
}
