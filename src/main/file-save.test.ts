/**
 * `file/save` with Electron's dialog mocked (the one thing a test cannot click) and the real disk.
 */
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'

const mocks = vi.hoisted(() => ({
  answer: { canceled: true, filePath: '' } as { canceled: boolean; filePath?: string },
  calls: [] as { win: unknown; options: { defaultPath: string; filters: { name: string; extensions: string[] }[] } }[],
  pictures: '',
}))
vi.mock('electron', () => ({
  app: { getPath: (name: string) => (name === 'pictures' ? mocks.pictures : '/nowhere') },
  dialog: {
    showSaveDialog: async (win: unknown, options: (typeof mocks.calls)[number]['options']) => {
      mocks.calls.push({ win, options })
      return mocks.answer
    },
  },
}))

const { saveFile } = await import('./file-save')

describe('file/save', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-save-'))
  mocks.pictures = join(dir, 'Pictures')
  const win = { id: 1 }
  const bytes = Uint8Array.of(137, 80, 78, 71, 1, 2, 3)
  const req = { suggestedName: 'dcgan-emoji-7.png', bytes, filterName: 'PNG image', extensions: ['png'] }
  beforeEach(() => (mocks.calls.length = 0))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('writes the bytes to the path the user chose', async () => {
    const chosen = join(dir, 'chosen.png')
    mocks.answer = { canceled: false, filePath: chosen }
    expect(await saveFile(req, win as never)).toEqual({ path: chosen })
    expect(new Uint8Array(readFileSync(chosen))).toEqual(bytes)
    expect(mocks.calls[0].win).toBe(win)
    expect(mocks.calls[0].options.defaultPath).toBe(join(mocks.pictures, 'dcgan-emoji-7.png'))
    expect(mocks.calls[0].options.filters).toEqual([{ name: 'PNG image', extensions: ['png'] }])
  })

  it('replaces an existing export by a rename, never by truncating it in place', async () => {
    const sub = join(dir, 'again')
    rmSync(sub, { recursive: true, force: true })
    const chosen = join(sub, 'again.png')
    mkdirSync(sub)
    writeFileSync(chosen, 'old picture')
    // A second name for the old file's bytes: an in-place O_TRUNC write would change it too; a rename leaves it.
    linkSync(chosen, join(sub, 'witness'))
    mocks.answer = { canceled: false, filePath: chosen }
    await saveFile(req, win as never)
    expect(new Uint8Array(readFileSync(chosen))).toEqual(bytes)
    expect(readFileSync(join(sub, 'witness'), 'utf8')).toBe('old picture')
    expect(readdirSync(sub).sort()).toEqual(['again.png', 'witness'])
  })

  it('writes nothing and answers null when the user cancels', async () => {
    const would = join(dir, 'cancelled.png')
    mocks.answer = { canceled: true, filePath: would }
    expect(await saveFile(req, win as never)).toEqual({ path: null })
    expect(existsSync(would)).toBe(false)
  })

  it('keeps a renderer-supplied name inside the default folder', async () => {
    mocks.answer = { canceled: true }
    await saveFile({ ...req, suggestedName: '../../etc/passwd' }, win as never)
    await saveFile({ ...req, suggestedName: '..\\..\\evil.png' }, win as never)
    expect(mocks.calls.map((c) => c.options.defaultPath)).toEqual([join(mocks.pictures, 'passwd'), join(mocks.pictures, 'evil.png')])
  })

  it('refuses malformed requests before any dialog opens', async () => {
    await expect(saveFile({ ...req, bytes: 'AAAA' }, win as never)).rejects.toThrow(/bytes must be a Uint8Array/)
    await expect(saveFile({ ...req, extensions: ['png/../x'] }, win as never)).rejects.toThrow(/extensions/)
    await expect(saveFile({ ...req, suggestedName: '' }, win as never)).rejects.toThrow(/suggestedName/)
    await expect(saveFile(null, win as never)).rejects.toThrow(/request object/)
    expect(mocks.calls).toHaveLength(0)
  })
})
