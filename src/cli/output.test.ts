/** writeItem: the CLI's one way to put an output on disk (atomic, errors name the file). */
import { linkSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeItem, type FinishedJob } from './output'

describe('writeItem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-out-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const job = { outDir: dir, modelId: 'dcgan-emoji', scale: 1 } as FinishedJob

  it('overwrites an earlier output by a rename: a second name of the old file keeps the old bytes, no temp left', async () => {
    const old = join(dir, 'dcgan-emoji-7.png')
    writeFileSync(old, 'earlier run')
    linkSync(old, join(dir, 'witness'))
    expect(await writeItem(job, 7, 'png', Uint8Array.of(1, 2, 3))).toBe(old)
    expect(new Uint8Array(readFileSync(old))).toEqual(Uint8Array.of(1, 2, 3))
    expect(readFileSync(join(dir, 'witness'), 'utf8')).toBe('earlier run')
    expect(readdirSync(dir).sort()).toEqual(['dcgan-emoji-7.png', 'witness'])
  })

  it('a folder that is gone gives an error naming the file', async () => {
    await expect(writeItem({ ...job, outDir: join(dir, 'gone') }, 3, 'wav', new Uint8Array(4))).rejects.toThrow(/cannot write .*gone.*dcgan-emoji-3\.wav: ENOENT/)
  })
})
