/**
 * StudioClient over the preload bridge (desktop app). The bridge answers `Result` values; this
 * turns `{ok:false}` back into a rejected promise with the engine's message.
 */
import type { ClientMethod, Req, Res, Result, StudioClient } from '../../common/contract'
import type { StudioBridge } from './bridge'

/** Save-dialog filter for a MIME type: a readable name and the extensions to offer. */
export function saveFilter(name: string, mime: string): { filterName: string; extensions: string[] } {
  const known: Record<string, [string, string]> = {
    'image/png': ['PNG image', 'png'],
    'image/gif': ['GIF animation', 'gif'],
    'audio/wav': ['WAV audio', 'wav'],
    'audio/x-wav': ['WAV audio', 'wav'],
    'text/plain': ['Text', 'txt'],
    'text/markdown': ['Markdown', 'md'],
    'application/json': ['JSON', 'json'],
  }
  const k = known[mime]
  if (k) return { filterName: k[0], extensions: [k[1]] }
  const ext = /\.([a-z0-9]{1,10})$/i.exec(name)?.[1]
  return { filterName: 'File', extensions: ext ? [ext.toLowerCase()] : ['*'] }
}

export function createIpcClient(bridge: StudioBridge): StudioClient {
  return {
    host: 'electron',
    async invoke<K extends ClientMethod>(method: K, args: Req<K>): Promise<Res<K>> {
      const call = bridge[method] as (a: Req<K>) => Promise<Result<Res<K>>>
      const r = await call(args)
      if (!r.ok) throw new Error(r.error)
      return r.value
    },
    on: (name, cb) => bridge.onEvent(name, cb),
    async saveFile(suggestedName, bytes, mime) {
      const r = await bridge['file/save']({ suggestedName, bytes, ...saveFilter(suggestedName, mime) })
      if (!r.ok) throw new Error(r.error)
      return r.value.path
    },
  }
}
