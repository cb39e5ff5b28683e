/**
 * Imports go one way (STYLE.md): the folder a file sits in says which runtime it runs in, and this test
 * reads every import of src/**\/*.ts and *.svelte (a regex, no compiler) and checks the direction:
 *   common   → common only; no node:/built-in, electron, onnxruntime, ws or sharp (it runs everywhere)
 *   engine   → common, engine; never renderer/main/server/cli/preload
 *   renderer → common, renderer; never engine/main/server/cli/preload, no node:/built-ins
 *   server, cli, main → common, their own folder, and the engine only through its public entry (engine/index.ts)
 *   preload  → common and the bridge's type (renderer/client/bridge)
 * Data files (`.json`) are not code and may be read from anywhere.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = dirname(fileURLToPath(import.meta.url))
const LAYERS = ['common', 'engine', 'renderer', 'server', 'cli', 'main', 'preload'] as const
type Layer = (typeof LAYERS)[number]

/** Which other layers' files each layer may import (its own is always allowed). `engine:entry` = engine/index.ts only. */
const MAY_IMPORT: Record<Layer, readonly (Layer | 'engine:entry' | 'renderer/client/bridge')[]> = {
  common: [],
  engine: ['common'],
  renderer: ['common'],
  server: ['common', 'engine:entry'],
  cli: ['common', 'engine:entry'],
  main: ['common', 'engine:entry'],
  preload: ['common', 'renderer/client/bridge'],
}
/** Packages that bind a runtime: not for code that must run in both Node and the browser. */
const RUNTIME_BOUND = /^(node:|electron$|onnxruntime-|ws$|sharp$)/
const BUILTINS = new Set(builtinModules)
/** Layers whose code also runs in a browser page (no Node built-ins, no native packages). */
const PORTABLE: ReadonlySet<Layer> = new Set(['common', 'renderer'])
/** Tests drive real hosts: they may also use these helpers of other layers. */
const TEST_HELPERS = [/^engine\/(?:[\w-]+\/)*testing[\w-]*\.ts$/, /^renderer\/client\/ws-client\.ts$/, /^server\/csp\.ts$/]

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'fixtures' ? [] : sources(p)
    return /\.(ts|svelte)$/.test(e.name) ? [p] : []
  })
}

const ALL = new Set(sources(SRC))

/** Module specifiers of `import … from`, `export … from`, `import '…'` and `import('…')`. */
function importsOf(text: string): string[] {
  const out: string[] = []
  const re = /(?:^|[\s;}])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2])
  return out
}

/** `engine/families/gan.ts` for a relative specifier (extension and /index added as the bundler would). */
function target(from: string, spec: string): string {
  const base = relative(SRC, resolve(dirname(from), spec)).replaceAll('\\', '/')
  if (/\.(json|svelte|ts|css)$/.test(base)) return base
  const candidates = [`${base}.ts`, `${base}/index.ts`, `${base}.svelte.ts`]
  return candidates.find((c) => ALL.has(join(SRC, c))) ?? `${base}.ts`
}

/** What is wrong with the imports of one file (`rel` under src/, its text). */
function problems(rel: string, text: string): string[] {
  const bad: string[] = []
  const layer = rel.split('/')[0] as Layer
  if (!LAYERS.includes(layer)) return bad
  const isTest = /\.test\.ts$/.test(rel)
  for (const spec of importsOf(text)) {
    if (!spec.startsWith('.')) {
      const bare = spec.replace(/^node:/, '')
      if (PORTABLE.has(layer) && !isTest && (RUNTIME_BOUND.test(spec) || BUILTINS.has(bare.split('/')[0]))) bad.push(`${rel} imports ${spec} (${layer} must run in a browser page too)`)
      continue
    }
    const to = target(join(SRC, rel), spec)
    if (to.endsWith('.json') || to.startsWith('..')) continue // data, or package.json beside src
    const toLayer = to.split('/')[0] as Layer
    if (toLayer === layer) continue
    const allowed = MAY_IMPORT[layer]
    const ok =
      allowed.includes(toLayer) ||
      (to === 'engine/index.ts' && allowed.includes('engine:entry')) ||
      (to === 'renderer/client/bridge.ts' && allowed.includes('renderer/client/bridge')) ||
      (isTest && TEST_HELPERS.some((r) => r.test(to)))
    if (!ok) bad.push(`${rel} imports ${to} (${layer} may import ${[layer, ...allowed].join(', ')})`)
  }
  return bad
}

describe('import direction', () => {
  it('reads every form of import', () => {
    const text = `import a from './a'\nimport type { B } from "../b"\nexport { c } from './c'\nexport * from './d'\nimport './e.css'\nconst f = await import('./f')\nimport {\n  g,\n  h,\n} from './gh'`
    expect(importsOf(text).sort()).toEqual(['./a', '../b', './c', './d', './e.css', './f', './gh'].sort())
  })

  it('goes one way: common ← engine ← server/cli/main; common ← renderer; nothing into common', () => {
    const files = [...ALL]
    expect(files.length).toBeGreaterThan(100)
    expect(files.flatMap((f) => problems(relative(SRC, f).replaceAll('\\', '/'), readFileSync(f, 'utf8')))).toEqual([])
  })

  it('catches a wrong-way import (the checker is not vacuous)', () => {
    expect(problems('renderer/state/x.ts', `import { Engine } from '../../engine/engine'`)).toEqual([
      'renderer/state/x.ts imports engine/engine.ts (renderer may import renderer, common)',
    ])
    expect(problems('common/x.ts', `import { readFile } from 'node:fs'\nimport { s } from '../server/ws-binding'`)).toHaveLength(2)
    expect(problems('cli/x.ts', `import { EngineSupervisor } from '../engine'`)).toEqual([])
    expect(problems('cli/x.ts', `import { Engine } from '../engine/engine'`)).toHaveLength(1)
    expect(problems('engine/x.ts', `import type { WsClient } from '../renderer/client/ws-client'`)).toHaveLength(1)
    expect(problems('server/x.test.ts', `import { startEngine } from '../engine/testing'`)).toEqual([])
  })
})
