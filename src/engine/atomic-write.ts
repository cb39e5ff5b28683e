/**
 * Every file the app writes (CLI outputs, Electron exports, the history) goes through `writeFileAtomic`:
 * the bytes go to a fresh temp file in the same folder (O_EXCL, so never someone else's file), are
 * fsynced, and only then renamed over the target, and the folder is fsynced so the rename itself lasts.
 * A full disk, a crash or a kill midway leaves the old file as it was and no temp file behind (on a
 * failure we unlink it; after a power cut at most a `.name.*.tmp` stays, never a torn target).
 *
 * Our ~60 lines rather than npm `write-file-atomic`: it pulls two more packages and does not fsync the
 * folder; here the I/O calls are injectable, which lets a test fail a write midway for real.
 */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** The calls the writer makes; a test replaces `write` to fail midway (e.g. ENOSPC from /dev/full). */
export interface AtomicIo {
  /** Write `length` bytes of `buffer` from `offset` to the open temp file; resolves to how many were written. */
  write(handle: fs.FileHandle, buffer: Uint8Array, offset: number, length: number): Promise<number>
}

export interface AtomicWriteOptions {
  /** File mode of a new file (an existing file's mode is kept). Default 0o666 less the umask. */
  mode?: number
  /** Bytes per write call; small chunks make "fails midway" testable. Default 1 MiB. */
  chunk?: number
  io?: Partial<AtomicIo>
}

const DEFAULT_IO: AtomicIo = {
  write: async (h, buf, off, len) => (await h.write(buf, off, len)).bytesWritten,
}

/** Write `data` to `path` so that `path` holds either its old content or all of `data`, never a part. */
export async function writeFileAtomic(path: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): Promise<void> {
  const io = { ...DEFAULT_IO, ...options.io }
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  const chunk = Math.max(1, options.chunk ?? 1 << 20)
  const dir = dirname(path)
  // A leading dot hides it from file browsers while it exists; pid + random bytes never collide in practice.
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  const mode = options.mode ?? (await existingMode(path)) ?? 0o666
  let handle: fs.FileHandle | null = await fs.open(temp, 'wx', mode)
  try {
    for (let off = 0; off < bytes.byteLength; ) {
      const n = await io.write(handle, bytes, off, Math.min(chunk, bytes.byteLength - off))
      if (!(n > 0)) throw Object.assign(new Error(`short write to ${temp}`), { code: 'EIO' })
      off += n
    }
    await handle.sync()
    await handle.close()
    handle = null
    await fs.rename(temp, path)
  } catch (e) {
    await handle?.close().catch(() => undefined)
    await fs.unlink(temp).catch(() => undefined)
    throw e
  }
  await syncDir(dir)
}

async function existingMode(path: string): Promise<number | null> {
  try {
    return (await fs.stat(path)).mode & 0o7777
  } catch {
    return null
  }
}

/** Make the rename durable. Windows cannot open a folder for fsync; there the rename is as durable as it gets. */
async function syncDir(dir: string): Promise<void> {
  let h: fs.FileHandle | null = null
  try {
    h = await fs.open(dir, 'r')
    await h.sync()
  } catch {
    // EISDIR/EPERM/EINVAL on platforms without directory fsync: the file itself is already synced.
  } finally {
    await h?.close().catch(() => undefined)
  }
}
