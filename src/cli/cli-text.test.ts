/**
 * The CLI with a text model as a user runs it (a tsx subprocess, a real engine host, files on disk):
 * one .md per draft with its recipe in front matter, same args → same bytes, each file alone writes
 * its draft again, `info` reads the recipe back, and a bad prime is one clear line.
 */
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readTextFile } from '../common/front-matter'
import { REPO_ROOT, SHIPPED_DIR } from '../engine/testing'

const ID = 'lstm-austen'
const tmp = mkdtempSync(join(tmpdir(), 'ls-cli-text-'))
const extra = resolve(SHIPPED_DIR) === resolve(REPO_ROOT, 'models') ? [] : ['--models', SHIPPED_DIR]
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', TSX, join(REPO_ROOT, 'src/cli/main.ts'), ...args], { cwd: tmp, env: { ...process.env, LATENT_STUDIO_MODELS: join(tmp, 'none') } }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}
const generate = (out: string, ...args: string[]) => cli('generate', ID, '--out', join(tmp, out), ...extra, ...args)
const ARGS = ['--prime', 'It was', '--length', '300', '--param', 'temperature=0.7', '--seed', '3']

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('cli with a text model', () => {
  it('writes one .md per draft (prime + draft, recipe in front matter) and prints their paths; same args, same bytes', async () => {
    const a = await generate('a', ...ARGS, '--count', '2')
    expect(a.stderr).not.toMatch(/latent-studio:/)
    expect(a.code).toBe(0)
    expect(a.stdout.trim().split('\n')).toEqual([3, 4].map((s) => join(tmp, 'a', `${ID}-${s}.md`)))
    const file = readTextFile(readFileSync(join(tmp, 'a', `${ID}-3.md`), 'utf8'))
    expect(file.text.startsWith('It was')).toBe(true)
    expect(file.text.length).toBe('It was'.length + 300)
    expect(file.recipe).toMatchObject({ modelId: ID, seed: 3, params: { prime: 'It was', length: 300, temperature: 0.7, drafts: 1 } })
    const b = await generate('b', ...ARGS, '--count', '2')
    expect(b.code).toBe(0)
    for (const s of [3, 4]) expect(readFileSync(join(tmp, 'b', `${ID}-${s}.md`)).equals(readFileSync(join(tmp, 'a', `${ID}-${s}.md`)))).toBe(true)
    expect(readFileSync(join(tmp, 'a', `${ID}-4.md`), 'utf8')).not.toBe(readFileSync(join(tmp, 'a', `${ID}-3.md`), 'utf8'))
  })

  it('each file alone writes its draft again; info prints its recipe', async () => {
    const file = join(tmp, 'a', `${ID}-4.md`) // draft 1 of the seed-3 job
    const info = await cli('info', file)
    expect(info.code).toBe(0)
    const recipe = JSON.parse(info.stdout)
    expect(recipe).toEqual(readTextFile(readFileSync(file, 'utf8')).recipe)
    expect(recipe.seed).toBe(4)
    const params = Object.entries(recipe.params as Record<string, unknown>).flatMap(([k, v]) => ['--param', `${k}=${v}`])
    const again = await generate('alone', '--seed', '4', ...params)
    expect(again.code).toBe(0)
    expect(readFileSync(again.stdout.trim()).equals(readFileSync(file))).toBe(true)
  })

  it('a prime the model cannot read is one line naming the characters', async () => {
    const r = await generate('bad', '--prime', 'Straße 中', '--length', '10', '--seed', '1')
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('latent-studio:'))).toEqual([
      expect.stringMatching(/^latent-studio: the prime has characters this model never saw: "ß" \(U\+00DF\), "中" \(U\+4E2D\)/),
    ])
  })
})
