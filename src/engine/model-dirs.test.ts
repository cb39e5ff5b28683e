import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultModelDirs, userModelsDir } from './model-dirs'

describe('defaultModelDirs', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ls-dirs-'))
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  it('lists the shipped folder first, then $LATENT_STUDIO_MODELS, creating it so users can drop models in', () => {
    const user = join(tmp, 'my models')
    expect(defaultModelDirs('/repo', { LATENT_STUDIO_MODELS: user })).toEqual([
      { dir: '/repo/models', source: 'shipped' },
      { dir: user, source: 'user' },
    ])
    expect(existsSync(user)).toBe(true)
  })

  it('falls back to ~/.latent-studio/models and tolerates a folder it cannot create', () => {
    expect(userModelsDir({})).toBe(join(homedir(), '.latent-studio', 'models'))
    const file = join(tmp, 'a-file')
    writeFileSync(file, '')
    expect(() => defaultModelDirs('/repo', { LATENT_STUDIO_MODELS: join(file, 'models') })).not.toThrow() // ENOTDIR
  })
})
