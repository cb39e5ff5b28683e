import { mkdtemp, readdir, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFileAtomic } from './atomic-write'
import { fullDiskAfter } from './testing-disk'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomic-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('writeFileAtomic', () => {
  it('a full disk midway leaves the old file byte for byte and no temp file behind', async () => {
    const file = join(dir, 'emoji-7.png')
    const old = new Uint8Array(16_384).map((_, i) => i * 7)
    await writeFile(file, old)
    const next = new Uint8Array(64 * 1024).fill(0xab)
    const err = await writeFileAtomic(file, next, { chunk: 4096, io: fullDiskAfter(16 * 1024) }).catch((e: NodeJS.ErrnoException) => e)
    expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC')
    expect(new Uint8Array(await readFile(file))).toEqual(old)
    expect(await readdir(dir)).toEqual(['emoji-7.png'])
  })

  it('a full disk on a new file leaves nothing at all', async () => {
    const file = join(dir, 'new.wav')
    await expect(writeFileAtomic(file, new Uint8Array(10_000), { chunk: 1000, io: fullDiskAfter(3000) })).rejects.toMatchObject({ code: 'ENOSPC' })
    expect(await readdir(dir)).toEqual([])
  })

  it('replaces the file whole, keeps its mode, and writes strings as UTF-8', async () => {
    const file = join(dir, 'draft.md')
    await writeFile(file, 'old text that is longer than the new one')
    await chmod(file, 0o640)
    await writeFileAtomic(file, 'naïve ✓', { chunk: 3 })
    expect(await readFile(file, 'utf8')).toBe('naïve ✓')
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o640)
    expect(await readdir(dir)).toEqual(['draft.md'])
  })

  it('writes an empty file and a missing folder fails without a trace', async () => {
    await writeFileAtomic(join(dir, 'empty.txt'), new Uint8Array(0))
    expect((await stat(join(dir, 'empty.txt'))).size).toBe(0)
    await expect(writeFileAtomic(join(dir, 'nope', 'x.png'), 'x')).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('two writers at once: the file is one of them whole, no temp left', async () => {
    const file = join(dir, 'race.bin')
    const a = new Uint8Array(300_000).fill(1)
    const b = new Uint8Array(200_000).fill(2)
    await Promise.all([writeFileAtomic(file, a, { chunk: 4096 }), writeFileAtomic(file, b, { chunk: 4096 })])
    const got = new Uint8Array(await readFile(file))
    expect(got.length === a.length ? got.every((x) => x === 1) : got.length === b.length && got.every((x) => x === 2)).toBe(true)
    expect(await readdir(dir)).toEqual(['race.bin'])
  })
})
