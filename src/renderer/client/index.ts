/**
 * The renderer's one way to reach the engine: the preload bridge in the desktop app, else the
 * server's WebSocket with the token from the address (`#token=…`, printed by `npm run serve`).
 */
import type { StudioClient } from '../../common/contract'
import { createIpcClient } from './ipc-client'
import { tokenFromHash, WsClient } from './ws-client'

let client: Promise<StudioClient> | null = null

async function create(): Promise<StudioClient> {
  if (window.studio) return createIpcClient(window.studio)
  const token = tokenFromHash(location.hash)
  if (!token) throw new Error('the address has no #token=…; open the link that `npm run serve` printed')
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  const ws = new WsClient({ url: `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}` })
  await ws.connect()
  return ws
}

/** The client for this window (created once). Rejects with a message the page can show. */
export function getClient(): Promise<StudioClient> {
  client ??= create()
  return client
}

export type { StudioClient } from '../../common/contract'
