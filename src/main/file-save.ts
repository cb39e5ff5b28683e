/**
 * `file/save`: the native save dialog, then write the bytes the renderer exported (a PNG with its
 * recipe). The renderer is treated as untrusted input: names are reduced to a base name, sizes
 * and extensions are checked, and only the path the user picked in the dialog is ever written.
 */
import { basename, join } from 'node:path'
import { app, dialog, type BrowserWindow } from 'electron'
import type { Req, Res } from '../common/contract'
import { writeFileAtomic } from '../engine'

/** Exports are single images/clips; anything near this is a bug or abuse, not a picture. */
export const MAX_SAVE_BYTES = 512 * 1024 * 1024

/** Throws a readable Error unless `args` is a well-formed `file/save` request. */
export function checkSaveRequest(args: unknown): Req<'file/save'> {
  const a = args as Partial<Req<'file/save'>> | null
  if (!a || typeof a !== 'object') throw new Error('file/save: expected a request object')
  if (typeof a.suggestedName !== 'string' || a.suggestedName.length === 0 || a.suggestedName.length > 255) {
    throw new Error('file/save: suggestedName must be a file name of 1..255 characters')
  }
  if (!(a.bytes instanceof Uint8Array)) throw new Error('file/save: bytes must be a Uint8Array')
  if (a.bytes.byteLength > MAX_SAVE_BYTES) throw new Error(`file/save: ${a.bytes.byteLength} bytes is more than ${MAX_SAVE_BYTES}`)
  if (typeof a.filterName !== 'string') throw new Error('file/save: filterName must be text')
  if (!Array.isArray(a.extensions) || !a.extensions.every((e) => typeof e === 'string' && /^(\*|[a-z0-9]{1,10})$/i.test(e))) {
    throw new Error('file/save: extensions must be plain extensions like "png"')
  }
  return a as Req<'file/save'>
}

/** Ask where to save, then write. `{ path: null }` when the user cancels. */
export async function saveFile(args: unknown, win: BrowserWindow | null): Promise<Res<'file/save'>> {
  const req = checkSaveRequest(args)
  // basename: a renderer-supplied "../../x" must not steer the dialog's starting folder.
  const name = basename(req.suggestedName.replace(/\\/g, '/')) || 'untitled'
  const options = {
    title: 'Export',
    defaultPath: join(app.getPath('pictures'), name),
    filters: [{ name: req.filterName || 'File', extensions: req.extensions }],
    properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[],
  }
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
  if (r.canceled || !r.filePath) return { path: null }
  // Atomic: overwriting an export on a full disk keeps the old picture instead of a torn one.
  await writeFileAtomic(r.filePath, req.bytes)
  return { path: r.filePath }
}
