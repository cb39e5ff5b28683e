/** The `interpolate`, `breed` and `encode` commands: their words and flags → `explore` (explore.ts), output printed. */
import type { ExecutionProviderPref } from '../common/manifest'
import { UsageError, type CliValues } from './args'
import { withEngine, type EngineFlags } from './engine'
import { explore, type ExploreOptions } from './explore'

export async function exploreCommand(
  command: 'interpolate' | 'breed' | 'encode', positionals: string[], v: CliValues, flags: EngineFlags, out: (s: string) => void,
): Promise<void> {
  const [modelId, ...rest] = positionals
  if (!modelId) throw new UsageError(`${command} needs a model id (see: npm run cli -- models)`)
  let parents: string[]
  if (command === 'encode') {
    if (rest.length !== 1) throw new UsageError('encode needs one image file after the model id')
    parents = rest
  } else {
    if (rest.length) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`)
    parents = command === 'interpolate' ? [v.from, v.to].filter((p): p is string => p !== undefined) : (v.parent ?? [])
    if (command === 'interpolate' && v.direction !== undefined) {
      if (v.to !== undefined || v.from === undefined) throw new UsageError('interpolate --direction needs --from and no --to')
    } else if (command === 'interpolate' && parents.length !== 2) throw new UsageError('interpolate needs --from and --to (a seed, z:LATENT or a file), or --from and --direction')
    if (command === 'breed' && parents.length === 0) throw new UsageError('breed needs at least one --parent')
    if (v.weight && v.weight.length !== parents.length) throw new UsageError(`--weight must be given once per --parent (${parents.length}), got ${v.weight.length}`)
  }
  const opts: ExploreOptions = {
    modelId, op: command === 'breed' ? 'breed' : command, parents, weights: v.weight, spread: v.spread, frames: v.frames,
    direction: v.direction, amount: v.amount,
    // A strip and an encoding do not use the seed: 0 keeps their files the same run after run.
    seed: v.seed ?? (command === 'breed' ? Math.floor(Math.random() * 0x100000000) : 0), count: v.count, out: v.out ?? '.', params: v.param ?? [],
    scale: v.scale ?? 1, ep: v.ep as ExecutionProviderPref | undefined,
  }
  const r = await withEngine(flags, (e) => explore(e, opts))
  for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`)
  if (command === 'encode' && v.json) return out(JSON.stringify({ file: r.paths[0], latent: r.latents[0] }))
  for (const p of r.paths) out(p)
  if (command === 'encode') out(r.latents[0])
}
