import type { StudioBridge } from './bridge'

declare global {
  interface Window {
    /** Present only in the desktop app (the preload bridge); the browser host uses the WebSocket. */
    readonly studio?: StudioBridge
  }
}

export {}
