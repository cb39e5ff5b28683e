/**
 * `npm run cli -- <command>`: models, generate, interpolate, breed, encode, info. Output is for scripts: data on stdout (paths
 * one a line, or JSON), warnings and the one-line error on stderr, exit 1 on errors, 2 on usage.
 */
import { parseCli, UsageError, type CliValues } from './args'
import { withEngine, type EngineFlags } from './engine'
import { exploreCommand } from './explore-command'
import { generate } from './generate'
import { info } from './info'
import { modelsJson, modelsTable } from './models'
import type { ExecutionProviderPref } from '../common/manifest'

function engineFlags(v: CliValues): EngineFlags {
  return { models: v.models ?? [], threads: v.threads }
}

async function run(argv: string[]): Promise<void> {
  const args = parseCli(argv)
  if ('help' in args) {
    if (!args.noCommand) return void process.stdout.write(args.help + '\n')
    process.stderr.write(args.help + '\n\n')
    throw new UsageError('no command given')
  }
  const v = args.values
  const out = (s: string) => process.stdout.write(s + '\n')
  switch (args.command) {
    case 'models': {
      if (args.positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`)
      const list = await withEngine(engineFlags(v), (e) => e.invoke('models/list', undefined))
      out(v.json ? modelsJson(list) : modelsTable(list))
      return
    }
    case 'generate': {
      const [modelId, extra] = args.positionals
      if (!modelId) throw new UsageError('generate needs a model id (see: npm run cli -- models)')
      if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`)
      const opts = {
        modelId,
        // Seeds are uint32; without --seed pick one (the file names show it, so it is never lost).
        seed: v.seed ?? Math.floor(Math.random() * 0x100000000),
        count: v.count,
        out: v.out ?? '.',
        // Text models: --prime / --length are shorthands for --param prime=… / length=….
        params: [...(v.param ?? []), ...(v.prime !== undefined ? [`prime=${v.prime}`] : []), ...(v.length !== undefined ? [`length=${v.length}`] : [])],
        inputs: v.input ?? [],
        scale: v.scale ?? 1,
        wav: v.wav ?? false,
        ep: v.ep as ExecutionProviderPref | undefined,
      }
      const { paths, warnings } = await withEngine(engineFlags(v), (e) => generate(e, opts))
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`)
      for (const p of paths) out(p)
      return
    }
    case 'interpolate':
    case 'breed':
    case 'encode':
      return exploreCommand(args.command, args.positionals, v, engineFlags(v), out)
    case 'info': {
      const [file] = args.positionals
      if (!file) throw new UsageError('info needs a PNG, GIF, WAV, text (.md/.txt) or MIDI (.mid) file')
      out(await info(file))
      return
    }
  }
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0]
    process.stderr.write(`latent-studio: ${msg}\n`)
    process.exit(e instanceof UsageError ? 2 : 1)
  },
)
