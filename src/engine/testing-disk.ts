/**
 * A disk that fills up, for tests of writes that must not tear: the first `okBytes` go to the file for
 * real, every later write goes to /dev/full, where the kernel answers ENOSPC as a full disk does (Linux;
 * elsewhere a thrown ENOSPC). Plug it into writeFileAtomic's `io` (or a HistoryStore's).
 */
import { existsSync } from 'node:fs'
import { open } from 'node:fs/promises'
import type { AtomicIo } from './atomic-write'

export function fullDiskAfter(okBytes: number): Partial<AtomicIo> {
  let written = 0
  return {
    write: async (h, buf, off, len) => {
      if (written + len <= okBytes) {
        written += len
        return (await h.write(buf, off, len)).bytesWritten
      }
      if (!existsSync('/dev/full')) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
      const full = await open('/dev/full', 'w')
      try {
        return (await full.write(buf, off, len)).bytesWritten
      } finally {
        await full.close()
      }
    },
  }
}
