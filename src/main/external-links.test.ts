/**
 * The allow-list of addresses the app opens in the user's browser is exact, and complete: every https
 * address the renderer or a shipped model card or manifest shows is in it (today there are none).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXTERNAL_LINKS, isAllowedExternal } from './external-links'

const ROOT = join(__dirname, '../..')

function files(dir: string, keep: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : files(p, keep)
    return keep.test(name) && !/\.test\.ts$/.test(name) ? [p] : []
  })
}

describe('external links', () => {
  it('compares parsed https URLs exactly: no other scheme, host, path, credentials or query', () => {
    const list = ['https://example.org/licence']
    expect(isAllowedExternal('https://example.org/licence', list)).toBe(true)
    expect(isAllowedExternal('https://EXAMPLE.org/licence', list)).toBe(true) // the same URL once parsed
    for (const url of ['http://example.org/licence', 'https://example.org/licence?x', 'https://example.org/licence/', 'https://example.org.evil.com/licence',
      'https://user@example.org/licence', 'https://example.org/other', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', '']) {
      expect(isAllowedExternal(url, list), url).toBe(false)
    }
    expect(isAllowedExternal('https://example.org/licence')).toBe(false) // the real list is empty today
  })

  it('lists every https address the page or a shipped model can show', () => {
    const sources = [...files(join(ROOT, 'src/renderer'), /\.(ts|svelte|html)$/), ...files(join(ROOT, 'models'), /^(CARD\.md|model\.json|card\.json)$/)]
    expect(sources.length).toBeGreaterThan(20)
    const found = new Set<string>()
    for (const f of sources) {
      for (const m of readFileSync(f, 'utf8').matchAll(/https:\/\/[^\s"'`)<>\]]+/g)) {
        if (!EXTERNAL_LINKS.includes(m[0])) found.add(`${relative(ROOT, f)}: ${m[0]}`)
      }
    }
    expect([...found], 'add these to EXTERNAL_LINKS (src/main/external-links.ts) or remove them').toEqual([])
  })
})
